// Interned codes (commune codes, roles, housing status...). Columns hold a
// code's id as a number; the table is filled while programs and territory
// data load, then only read, so readers on several threads can share it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace proactif {

class CodeTable {
 public:
  int32_t intern(std::string_view code);
  std::optional<int32_t> find(std::string_view code) const;
  const std::string& name(int32_t id) const { return names_[static_cast<size_t>(id)]; }
  size_t size() const { return names_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::string> names_;
};

}  // namespace proactif
