// Characters that text from outside must not carry into a printed line, an
// email, a request to another body or a log: they break the line, reorder
// what follows or are invisible, so the text shown is not the text read.
#pragma once

#include <string>
#include <string_view>

namespace proactif {

// The code point of the UTF-8 character starting at `text[i]` and its
// length in bytes; length 0 where none starts there (a continuation byte,
// bad UTF-8, the end of the text).
struct CodePoint {
  char32_t point = 0;
  size_t length = 0;
};
CodePoint code_point_at(std::string_view text, size_t i);

// The length in bytes of such a character at `text[i]` (UTF-8), 0 for any
// other: a C0 or C1 control (line breaks among them), DEL, and Unicode's
// format characters and default-ignorable code points (the soft hyphen,
// zero-width and direction marks, variation selectors, fillers, tags).
size_t hidden_character_at(std::string_view text, size_t i);

// The text with the characters above written as \uXXXX ("\u000A", and
// \UXXXXXXXX past U+FFFF): a
// message about an input, as printed, holds no line but its own.
std::string escape_hidden(std::string_view text);

// An input value quoted for a message about it (38185, a line break and X: "38185\u000D\u000AX"): the
// characters above escaped, and cut after 80 bytes, so that a value can
// neither forge a line of the log nor flood it.
std::string quoted_value(std::string_view text);

}  // namespace proactif
