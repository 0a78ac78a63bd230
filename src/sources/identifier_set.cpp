#include "sources/identifier_set.hpp"

#include <sys/mman.h>

#include <new>

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

// Tables stay under 2^32 slots, so the low half of the hash both places a
// slot and is kept in it to place it again when the table grows.
uint32_t tag_of(uint64_t h) { return static_cast<uint32_t>(h); }

}  // namespace

IdentifierSet::IdentifierSet() : slots_(allocate(slot_count_)) {}

IdentifierSet::~IdentifierSet() { release(slots_, slot_count_); }

IdentifierSet::Slot* IdentifierSet::allocate(size_t slots) {
  size_t bytes = slots * sizeof(Slot);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  madvise(p, bytes, MADV_HUGEPAGE);  // advice only: without it, 4 kB pages
  return static_cast<Slot*>(p);
}

void IdentifierSet::release(Slot* slots, size_t count) { munmap(slots, count * sizeof(Slot)); }

uint64_t IdentifierSet::prefetch(std::string_view id) const {
  uint64_t h = hash_of(id);
  __builtin_prefetch(&slots_[h & (slot_count_ - 1)]);
  return h;
}

size_t IdentifierSet::insert(std::string_view id, uint64_t h, size_t line) {
  // At most half full: probe sequences stay short.
  if ((entries_.size() + 1) * 2 > slot_count_) grow();
  size_t mask = slot_count_ - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.entry == 0) {
      entries_.push_back({text_.size(), static_cast<uint32_t>(id.size()), static_cast<uint32_t>(line)});
      text_.append(id);
      s = {tag_of(h), static_cast<uint32_t>(entries_.size())};
      return 0;
    }
    if (s.tag == tag_of(h)) {
      const Entry& e = entries_[s.entry - 1];
      if (std::string_view(text_).substr(e.offset, e.length) == id) return e.line;
    }
  }
}

void IdentifierSet::grow() {
  size_t count = slot_count_ * 2;
  Slot* grown = allocate(count);
  size_t mask = count - 1;
  for (size_t k = 0; k < slot_count_; ++k) {
    const Slot& s = slots_[k];
    if (s.entry == 0) continue;
    size_t i = s.tag & mask;
    while (grown[i].entry != 0) i = (i + 1) & mask;
    grown[i] = s;
  }
  release(slots_, slot_count_);
  slots_ = grown;
  slot_count_ = count;
}

}  // namespace proactif
