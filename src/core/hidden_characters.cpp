#include "core/hidden_characters.hpp"

#include <algorithm>
#include <cstdio>

namespace proactif {

size_t hidden_character_at(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  const unsigned c = byte(0), next = byte(1), third = byte(2);
  if (c < 0x20 || c == 0x7f) return 1;
  if (c == 0xC2 && next >= 0x80 && next <= 0x9F) return 2;  // C1 controls, NEL among them
  if (c == 0xD8 && next == 0x9C) return 2;                  // U+061C
  if (c == 0xE2 && next == 0x80 && ((third >= 0x8B && third <= 0x8F) || (third >= 0xA8 && third <= 0xAE))) return 3;
  if (c == 0xE2 && next == 0x81 && third >= 0xA0 && third <= 0xA9) return 3;
  if (c == 0xEF && next == 0xBB && third == 0xBF) return 3;  // U+FEFF
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
    // The code point, from the one to three bytes found above.
    const auto at = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(text[i + k])); };
    const unsigned code = hidden == 1   ? at(0)
                          : hidden == 2 ? ((at(0) & 0x1F) << 6) | (at(1) & 0x3F)
                                        : ((at(0) & 0x0F) << 12) | ((at(1) & 0x3F) << 6) | (at(2) & 0x3F);
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\u%04X", code);
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
