#include "core/string_pool.hpp"

namespace proactif {

namespace {

uint32_t hash32(std::string_view s) {
  // FNV-1a over 64 bits, folded: fast on the short strings interned here
  // (identifiers, codes, names), and stable from one build to the next.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

}  // namespace

void StringPool::grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {
    if (!slot) continue;
    size_t pos = (slot >> 32) & mask;
    while (slots_[pos]) pos = (pos + 1) & mask;
    slots_[pos] = slot;
  }
}

uint32_t StringPool::intern(std::string_view s) {
  // Kept under 50 % full, so that probes stay short.
  if ((size() + 1) * 2 > slots_.size()) grow();
  const uint32_t h = hash32(s);
  const size_t mask = slots_.size() - 1;
  for (size_t pos = h & mask;; pos = (pos + 1) & mask) {
    uint64_t slot = slots_[pos];
    if (!slot) {
      uint32_t id = static_cast<uint32_t>(size());
      slots_[pos] = (static_cast<uint64_t>(h) << 32) | (id + 1);
      text_.append(s);
      offsets_.push_back(static_cast<uint32_t>(text_.size()));
      return id;
    }
    if (static_cast<uint32_t>(slot >> 32) == h) {
      uint32_t id = static_cast<uint32_t>(slot) - 1;
      if (at(id) == s) return id;
    }
  }
}

uint32_t StringPool::add(std::string_view s) {
  text_.append(s);
  offsets_.push_back(static_cast<uint32_t>(text_.size()));
  return static_cast<uint32_t>(size() - 1);
}

void StringPool::assign(std::string text, std::vector<uint32_t> offsets) {
  text_ = std::move(text);
  offsets_ = std::move(offsets);
  std::vector<uint64_t>().swap(slots_);
}

}  // namespace proactif
