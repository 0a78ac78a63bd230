// Numbers as people and spreadsheets write them: spaces (no-break and narrow
// no-break ones too) group the digits before the decimal mark by three,
// after a first group of one to three (1 222,50). Extracts and the
// service's forms read them by the same rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace proactif {

// `number` without the spaces that group its digits, or nothing where
// spaces do not group them so: "12 34" is two numbers or a typing error, not
// 1 234, and no space stands after the decimal mark (',' or '.').
std::optional<std::string> without_digit_group_spaces(std::string_view number);

// The length of the space `text` holds at `at` (1 for ' ', 2 or 3 for a
// no-break or narrow no-break space in UTF-8), 0 for another character.
size_t group_space_at(std::string_view text, size_t at);

}  // namespace proactif
