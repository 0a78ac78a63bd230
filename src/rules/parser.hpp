#pragma once

#include <string_view>

#include "rules/ast.hpp"
#include "rules/lexer.hpp"

namespace proactif {

// Parses one formula. On failure returns nullptr and fills `error` with the
// offset in `text` and what was expected there.
ExprPtr parse_formula(std::string_view text, LexError& error);

}  // namespace proactif
