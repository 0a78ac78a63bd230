#include "core/codes.hpp"

namespace proactif {

int32_t CodeTable::intern(std::string_view code) {
  if (auto it = ids_.find(code); it != ids_.end()) return it->second;
  auto id = static_cast<int32_t>(names_.size());
  names_.emplace_back(code);
  ids_.emplace(std::string(code), id);
  return id;
}

std::optional<int32_t> CodeTable::find(std::string_view code) const {
  if (auto it = ids_.find(code); it != ids_.end()) return it->second;
  return std::nullopt;
}

}  // namespace proactif
