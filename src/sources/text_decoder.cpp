#include "sources/text_decoder.hpp"

#include <cerrno>
#include <cstdio>

namespace proactif {

Result<TextDecoder> TextDecoder::open(const std::string& encoding) {
  std::string e;
  for (char c : encoding) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const char* from = e == "utf-8" || e == "utf8"                                           ? "UTF-8"
                     : e == "latin1" || e == "latin-1" || e == "iso-8859-1"               ? "ISO-8859-1"
                     : e == "windows-1252" || e == "cp1252"                                ? "WINDOWS-1252"
                                                                                            : nullptr;
  if (!from) return Error{"unknown encoding '" + encoding + "' (utf-8, latin1 or windows-1252)"};
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return Error{std::string("this system cannot decode ") + from};
  return TextDecoder(cd, from);
}

TextDecoder::TextDecoder(TextDecoder&& other) noexcept
    : cd_(other.cd_), name_(std::move(other.name_)), pending_(std::move(other.pending_)), at_start_(other.at_start_) {
  other.cd_ = reinterpret_cast<iconv_t>(-1);
}

TextDecoder::~TextDecoder() {
  if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
}

bool TextDecoder::decode(std::string_view bytes, bool last, std::string& out, std::string& error) {
  std::string input;
  if (!pending_.empty()) {
    input = pending_ + std::string(bytes);
    pending_.clear();
    bytes = input;
  }
  if (at_start_ && name_ == "UTF-8" && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // BOM
  if (!bytes.empty()) at_start_ = false;
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
      return true;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*in));
    error = std::string("byte ") + hex + " is not valid " + name_ +
            (name_ == "UTF-8" ? " (is the file in latin1 or windows-1252? say so with `encoding:` in the mapping)" : "");
    return false;
  }
  return true;
}

}  // namespace proactif
