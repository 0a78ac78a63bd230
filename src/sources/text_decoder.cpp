#include "sources/text_decoder.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>

#include <simdjson.h>

namespace proactif {

Result<TextDecoder> TextDecoder::open(const std::string& encoding) {
  std::string e;
  for (char c : encoding) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const char* from = e == "utf-8" || e == "utf8"                                           ? "UTF-8"
                     : e == "latin1" || e == "latin-1" || e == "iso-8859-1"               ? "ISO-8859-1"
                     : e == "windows-1252" || e == "cp1252"                                ? "WINDOWS-1252"
                                                                                            : nullptr;
  if (!from) return Error{ErrorKind::kConfiguration, "unknown encoding '" + encoding + "' (utf-8, latin1 or windows-1252)"};
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return Error{ErrorKind::kUnavailable, std::string("this system cannot decode ") + from};
  return TextDecoder(cd, from);
}

TextDecoder::TextDecoder(TextDecoder&& other) noexcept
    : cd_(other.cd_), name_(std::move(other.name_)), pending_(std::move(other.pending_)), at_start_(other.at_start_) {
  other.cd_ = reinterpret_cast<iconv_t>(-1);
}

TextDecoder::~TextDecoder() {
  if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
}

Result<void> TextDecoder::decode(std::string_view bytes, bool last, std::string& out) {
  std::string input;
  if (!pending_.empty()) {
    input = pending_ + std::string(bytes);
    pending_.clear();
    bytes = input;
  }
  if (at_start_ && name_ == "UTF-8" && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // BOM
  if (!bytes.empty()) at_start_ = false;
  // The two common cases, faster than iconv: UTF-8 is only validated (with
  // simdjson's SIMD validator), Latin-1 maps each byte to the code point of
  // the same value.
  if (name_ == "UTF-8") {
    size_t whole = bytes.size();
    if (!last) {  // leave a character cut by the block's end for the next block
      size_t back = 0;
      while (back < 3 && back < whole && (static_cast<unsigned char>(bytes[whole - 1 - back]) & 0xC0) == 0x80) ++back;
      if (back < whole) {
        unsigned char lead = static_cast<unsigned char>(bytes[whole - 1 - back]);
        size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len > back + 1) whole -= back + 1;
      }
    }
    if (simdjson::validate_utf8(bytes.data(), whole)) {
      out.append(bytes.data(), whole);
      pending_.assign(bytes.data() + whole, bytes.size() - whole);
      return {};
    }
    // Invalid: let iconv find the byte, for the message.
  } else if (name_ == "ISO-8859-1" || name_ == "WINDOWS-1252") {
    // Windows-1252 is Latin-1 but for 0x80-0x9F, where it puts the euro
    // sign, typographic quotes and a few letters (0 where it has nothing).
    static constexpr uint16_t kWindows1252[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    const bool windows = name_ == "WINDOWS-1252";
    // Text in Latin-1 with accented letters is almost never valid UTF-8
    // ("é" is one byte, followed by a letter). A block that is all valid
    // UTF-8 and holds UTF-8's French letters (é is C3 A9, ’ E2 80 99) is
    // UTF-8 mislabelled, whose every accented letter would be stored wrong
    // ("Ã©"); "É" and a no-break space (C9 A0) alone are not taken for it.
    // The error names the line of its first non-ASCII byte.
    const size_t first = static_cast<size_t>(
        std::find_if(bytes.begin(), bytes.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; }) - bytes.begin());
    auto utf8_letters = [&] {
      for (size_t k = first; k + 1 < bytes.size(); ++k) {
        const auto b0 = static_cast<unsigned char>(bytes[k]), b1 = static_cast<unsigned char>(bytes[k + 1]);
        if ((b0 == 0xC3 || (b0 == 0xE2 && b1 == 0x80)) && (b1 & 0xC0) == 0x80) return true;
      }
      return false;
    };
    if (first < bytes.size() && utf8_letters() && simdjson::validate_utf8(bytes.data(), bytes.size())) {
      out.append(bytes.data(), first);
      return Error{ErrorKind::kInput, "the text is UTF-8, not " + name_ +
                                          " (its accented letters are UTF-8's bytes): say `encoding: utf-8` in the mapping"};
    }
    out.reserve(out.size() + bytes.size() + bytes.size() / 8);
    for (size_t i = 0; i < bytes.size(); ++i) {
      // Copy a run of ASCII at once: most of an extract is ASCII.
      size_t run = i;
      while (run < bytes.size() && static_cast<unsigned char>(bytes[run]) < 0x80) ++run;
      out.append(bytes.data() + i, run - i);
      if (run == bytes.size()) break;
      i = run;
      unsigned char c = static_cast<unsigned char>(bytes[i]);
      uint32_t cp = c;
      if (windows && c < 0xA0) {
        cp = kWindows1252[c - 0x80];
        if (cp == 0) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02X", c);
          return Error{ErrorKind::kInput, std::string("byte ") + hex + " is not valid " + name_};
        }
      }
      if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
      } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      }
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return {};
  }
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    size_t old = out.size();
    out.resize(old + in_left * 3 + 16);  // UTF-8 takes at most 3 bytes per byte of these encodings
    char* o = out.data() + old;
    size_t o_left = out.size() - old;
    size_t done = iconv(cd_, &in, &in_left, &o, &o_left);
    out.resize(out.size() - o_left);
    if (done != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) continue;
    if (errno == EINVAL && !last) {  // a character cut by the block's end
      pending_.assign(in, in_left);
      return {};
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*in));
    return Error{ErrorKind::kInput, std::string("byte ") + hex + " is not valid " + name_ +
                                        (name_ == "UTF-8" ? " (is the file in latin1 or windows-1252? say so with `encoding:` in the mapping)" : "")};
  }
  return {};
}

}  // namespace proactif
