#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace proactif {

enum class TokenKind { kNumber, kString, kIdent, kSymbol, kEnd };

struct Token {
  TokenKind kind;
  std::string text;
  double number = 0;
  int offset = 0;
};

struct LexError {
  int offset;
  std::string message;
};

// Splits a formula into tokens; on failure `error` tells where and why.
bool tokenize(std::string_view text, std::vector<Token>& tokens, LexError& error);

std::string describe(const Token& token);

}  // namespace proactif
