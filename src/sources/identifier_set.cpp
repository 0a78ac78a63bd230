#include "sources/identifier_set.hpp"

namespace proactif {

namespace {

uint64_t hash_of(std::string_view s) {
  // FNV-1a, then a final mix so that similar identifiers spread over the table.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

uint64_t IdentifierSet::prefetch(std::string_view id) const {
  uint64_t h = hash_of(id);
  __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
  return h;
}

size_t IdentifierSet::insert(std::string_view id, uint64_t h, size_t line) {
  // At most half full: probe sequences stay short.
  if ((entries_.size() + 1) * 2 > slots_.size()) grow();
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.entry == 0) {
      entries_.push_back({text_.size(), static_cast<uint32_t>(id.size()), static_cast<uint32_t>(line)});
      text_.append(id);
      s = {h, static_cast<uint32_t>(entries_.size())};
      return 0;
    }
    if (s.hash == h) {
      const Entry& e = entries_[s.entry - 1];
      if (std::string_view(text_).substr(e.offset, e.length) == id) return e.line;
    }
  }
}

void IdentifierSet::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.entry == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].entry != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace proactif
