// The identifiers an extract has shown so far, to refuse a duplicate. Ten
// million identifiers must fit: they are kept end to end in one buffer and
// found through an open-addressing table of hashes, not as ten million
// separately allocated strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace proactif {

class IdentifierSet {
 public:
  IdentifierSet();
  ~IdentifierSet();
  IdentifierSet(const IdentifierSet&) = delete;
  IdentifierSet& operator=(const IdentifierSet&) = delete;

  // Starts loading the identifier's place in the table, so that the insert
  // made a little later (after the row's other fields are read) finds it in
  // cache; returns the hash, for that insert.
  uint64_t prefetch(std::string_view id) const;
  // Records `id` (whose hash `prefetch` gave) first seen at `line`; when it
  // was seen before, returns the line where it was, and 0 otherwise.
  size_t insert(std::string_view id, uint64_t hash, size_t line);

 private:
  // A slot is small so that more of the table stays in cache; what is
  // needed only when hashes match lives in entries_.
  struct Slot {
    uint32_t tag;    // the hash's low half, which also places the slot
    uint32_t entry;  // 1 + index in entries_; 0: empty slot
  };
  struct Entry {
    uint64_t offset;  // in text_
    uint32_t length;
    uint32_t line;
  };
  // Slots in zeroed memory the kernel may back with 2 MB pages: a table of
  // millions of slots probed at random costs a TLB miss per row otherwise.
  static Slot* allocate(size_t slots);
  static void release(Slot* slots, size_t count);
  void grow();

  size_t slot_count_ = 1024;
  Slot* slots_;
  std::vector<Entry> entries_;
  std::string text_;
};

}  // namespace proactif
