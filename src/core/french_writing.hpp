// Numbers, amounts and lists as French texts write them, for what a
// person reads (messages, letters, the explanation of a decision): "1 234,56 €"
// with no-break spaces between the digits of thousands and before € and %,
// "a, b et c".
#pragma once

#include <string>
#include <vector>

#include "core/units.hpp"

namespace proactif {

// Between the digits of thousands and before € and %: French typesetting
// keeps "1 234,56 €" on one line.
inline constexpr const char* kNoBreakSpace = "\u00a0";

// `decimals` digits after the comma at most; trailing zeros dropped unless
// `keep_zeros`.
std::string french_number(double v, int decimals, bool keep_zeros = false);
// Whole euros without cents (10 339 €), else to the cent (2,50 €).
std::string euros(double v);
// "a, b et c"
std::string french_list(const std::vector<std::string>& items);
// A number with its unit as a person reads it: 10 339 € par an, 3 ans,
// 2 personnes; as a percentage when `rate` (a parameter its file gives as a
// rate, /1); a count or a rank without unit.
std::string french_quantity(double v, const Unit& unit, bool rate = false);
// The first letter a capital, when it is an ASCII lower-case letter.
std::string capitalised(std::string text);

}  // namespace proactif
