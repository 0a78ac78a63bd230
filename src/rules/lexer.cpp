#include "rules/lexer.hpp"

#include <cctype>
#include <charconv>

namespace proactif {

bool tokenize(std::string_view s, std::vector<Token>& tokens, LexError& error) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == '#') {  // comment to end of line
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    Token t;
    t.offset = static_cast<int>(i);
    if (std::isdigit(c)) {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_'))
        ++j;
      std::string digits;
      for (size_t k = i; k < j; ++k)
        if (s[k] != '_') digits += s[k];
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t.number);
      if (ec != std::errc() || ptr != digits.data() + digits.size()) {
        error = {t.offset, "malformed number '" + std::string(s.substr(i, j - i)) + "'"};
        return false;
      }
      t.kind = TokenKind::kNumber;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (std::isalpha(c) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      t.kind = TokenKind::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != static_cast<char>(c) && s[j] != '\n') ++j;
      if (j >= s.size() || s[j] != static_cast<char>(c)) {
        error = {t.offset, "string not closed"};
        return false;
      }
      t.kind = TokenKind::kString;
      t.text = std::string(s.substr(i + 1, j - i - 1));
      i = j + 1;
    } else {
      static constexpr std::string_view kTwo[] = {"<=", ">=", "==", "!="};
      t.kind = TokenKind::kSymbol;
      for (auto two : kTwo)
        if (s.substr(i, 2) == two) t.text = std::string(two);
      if (t.text.empty()) {
        if (std::string_view("+-*/<>()[],:").find(static_cast<char>(c)) == std::string_view::npos) {
          error = {t.offset, std::string("unexpected character '") + static_cast<char>(c) + "'"};
          return false;
        }
        t.text = std::string(1, static_cast<char>(c));
      }
      i += t.text.size();
    }
    tokens.push_back(std::move(t));
  }
  size_t end = s.size();  // errors at the end point just after the last character
  while (end > 0 && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  tokens.push_back({TokenKind::kEnd, "", 0, static_cast<int>(end)});
  return true;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd: return "end of formula";
    case TokenKind::kString: return "string \"" + t.text + "\"";
    default: return "'" + t.text + "'";
  }
}

}  // namespace proactif
