// The situation ids a stream has given, so that a second line with one of
// them is refused: its decisions would carry the same `situation` as the
// first's, and a tool joining decisions to situations by id could not tell
// them apart. Kept compactly (the ids back to back, and an open-addressing
// table of their indexes tagged with their hashes) since a stream of
// millions of situations otherwise runs in bounded memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace proactif {

class SituationIds {
 public:
  // The line that first gave `id`; none when it is new, and then `line`
  // is recorded as its first.
  std::optional<size_t> claim(std::string_view id, size_t line);

 private:
  std::string_view id_at(uint32_t k) const { return std::string_view(chars_).substr(starts_[k], starts_[k + 1] - starts_[k]); }
  void grow();

  std::string chars_;
  std::vector<uint64_t> starts_ = {0};  // id k is chars_[starts_[k], starts_[k + 1])
  std::vector<uint64_t> lines_;
  // k + 1 for id k in the low 32 bits, its hash's high 32 bits above; 0 when free
  std::vector<uint64_t> slots_;
};

}  // namespace proactif
