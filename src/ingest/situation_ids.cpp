#include "ingest/situation_ids.hpp"

#include <functional>

namespace proactif {

std::optional<size_t> SituationIds::claim(std::string_view id, size_t line) {
  if (4 * (lines_.size() + 1) > 3 * slots_.size()) grow();  // at most three quarters full
  const size_t mask = slots_.size() - 1;
  const uint64_t hash = std::hash<std::string_view>{}(id), tag = hash >> 32;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const uint64_t slot = slots_[at];
    if (slot == 0) {
      chars_.append(id);
      starts_.push_back(chars_.size());
      lines_.push_back(line);
      slots_[at] = tag << 32 | lines_.size();
      return std::nullopt;
    }
    // The strings are compared only where the hashes' high bits agree.
    const uint32_t k = static_cast<uint32_t>(slot) - 1;
    if (slot >> 32 == tag && id_at(k) == id) return lines_[k];
  }
}

void SituationIds::grow() {
  slots_.assign(slots_.empty() ? 1024 : 2 * slots_.size(), 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t k = 0; k < lines_.size(); ++k) {
    const uint64_t hash = std::hash<std::string_view>{}(id_at(k));
    size_t at = hash & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = (hash >> 32) << 32 | (k + 1);
  }
}

}  // namespace proactif
