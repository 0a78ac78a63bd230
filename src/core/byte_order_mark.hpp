// A file saved by a spreadsheet or Windows' Notepad may open with a byte
// order mark. UTF-8's is no part of the text it starts; UTF-16's says the
// whole file is in another encoding than the UTF-8 JSON lines are read in.
#pragma once

#include <string_view>

namespace proactif {

enum class ByteOrderMark { kNone, kUtf8, kUtf16 };

inline constexpr size_t kUtf8ByteOrderMarkLength = 3;

inline ByteOrderMark byte_order_mark(std::string_view start) {
  if (start.starts_with("\xEF\xBB\xBF")) return ByteOrderMark::kUtf8;
  if (start.starts_with("\xFF\xFE") || start.starts_with("\xFE\xFF")) return ByteOrderMark::kUtf16;
  return ByteOrderMark::kNone;
}

}  // namespace proactif
