#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace proactif {

// Strings end to end in one buffer: ten million identifiers cost their
// characters and an offset each, not ten million allocations. `intern`
// finds an equal string through an index that can be dropped once no more
// strings come; `add` appends without looking, for strings known distinct.
class StringPool {
 public:
  uint32_t intern(std::string_view s);
  uint32_t add(std::string_view s);
  std::string_view at(uint32_t id) const {
    return std::string_view(text_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  size_t size() const { return offsets_.size() - 1; }
  void drop_index() { std::vector<uint64_t>().swap(slots_); }
  size_t memory_bytes() const {
    return text_.capacity() + offsets_.capacity() * sizeof(uint32_t) + slots_.capacity() * sizeof(uint64_t);
  }
  const std::string& text() const { return text_; }
  const std::vector<uint32_t>& offsets() const { return offsets_; }
  void assign(std::string text, std::vector<uint32_t> offsets);

 private:
  void grow();

  std::string text_;
  std::vector<uint32_t> offsets_{0};
  // The index: open addressing, linear probing; a slot holds a string's id
  // + 1 (0: empty) in its low half and 32 bits of its hash in the high half,
  // so that a probe compares text only when the hashes agree, and the index
  // costs 8 bytes a slot, not a copy of each string.
  std::vector<uint64_t> slots_;
};

}  // namespace proactif
