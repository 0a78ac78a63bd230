#pragma once

#include <string_view>

namespace proactif {

// Jaro-Winkler similarity of two strings (1 identical, 0 nothing in common),
// the usual measure for typing errors in names.
double jaro_winkler(std::string_view a, std::string_view b);

}  // namespace proactif
