#include "core/hidden_characters.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace proactif {

namespace {

// Unicode's format characters (general category Cf) and default-ignorable
// code points: drawn as nothing, or changing how what follows is drawn. A
// name holding one reads as another name (a soft hyphen in "Blan\u00ADchez",
// a tag character after a letter).
constexpr std::pair<char32_t, char32_t> kInvisible[] = {
    {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},
    {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x115F, 0x1160},   {0x17B4, 0x17B5},
    {0x180B, 0x180F},   {0x200B, 0x200F},   {0x2028, 0x202E},   {0x2060, 0x206F},   {0x3164, 0x3164},
    {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},   {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
};

}  // namespace

CodePoint code_point_at(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  const unsigned c = byte(0);
  if (i >= text.size()) return {};
  if (c < 0x80) return {c, 1};
  const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (length == 0) return {};
  char32_t point = c & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return {};
    point = point << 6 | (byte(k) & 0x3F);
  }
  return {point, length};
}

size_t hidden_character_at(std::string_view text, size_t i) {
  const unsigned c = i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
  if (c < 0x20 || c == 0x7f) return 1;
  if (c < 0x80) return 0;
  // The code point starting here; not one (a continuation byte, bad UTF-8,
  // which the readers refuse) hides nothing.
  const auto [point, length] = code_point_at(text, i);
  if (length == 0) return 0;
  if (point >= 0x80 && point <= 0x9F) return length;  // C1 controls, NEL among them
  for (const auto& [first, last] : kInvisible)
    if (point >= first && point <= last) return length;
  return 0;
}

std::string escape_hidden(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t hidden = hidden_character_at(text, i);
    if (hidden == 0) {
      out += text[i++];
      continue;
    }
    // The code point, from the one to four bytes found above.
    const auto at = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(text[i + k])); };
    unsigned code = hidden == 1 ? at(0) : at(0) & (0x7F >> hidden);
    for (size_t k = 1; k < hidden; ++k) code = code << 6 | (at(k) & 0x3F);
    char escaped[16];
    std::snprintf(escaped, sizeof escaped, code > 0xFFFF ? "\\U%08X" : "\\u%04X", code);
    out += escaped;
    i += hidden;
  }
  return out;
}

std::string quoted_value(std::string_view text) {
  constexpr size_t kShown = 80;
  size_t cut = std::min(text.size(), kShown);
  while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;  // not inside a character
  return "\"" + escape_hidden(text.substr(0, cut)) + (cut < text.size() ? "…\"" : "\"");
}

}  // namespace proactif
