#include "core/digit_groups.hpp"

namespace proactif {

size_t group_space_at(std::string_view text, size_t at) {
  const std::string_view rest = text.substr(at);
  if (rest.starts_with(' ')) return 1;
  if (rest.starts_with("\xC2\xA0")) return 2;
  if (rest.starts_with("\xE2\x80\xAF")) return 3;
  return 0;
}

std::optional<std::string> without_digit_group_spaces(std::string_view number) {
  std::string out;
  size_t in_group = 0, groups = 0;  // digits since the last space; spaces met
  bool decimals = false;
  for (size_t i = 0; i < number.size(); ++i) {
    if (const size_t space = group_space_at(number, i)) {
      if (decimals || in_group == 0 || in_group > 3 || (groups > 0 && in_group != 3)) return std::nullopt;
      ++groups;
      in_group = 0;
      i += space - 1;
      continue;
    }
    const char c = number[i];
    if (c == ',' || c == '.') {
      if (groups > 0 && !decimals && in_group != 3) return std::nullopt;
      decimals = true;
    } else if (!decimals && c >= '0' && c <= '9') {
      ++in_group;
    }
    out += c;
  }
  if (groups > 0 && !decimals && in_group != 3) return std::nullopt;
  return out;
}

}  // namespace proactif
