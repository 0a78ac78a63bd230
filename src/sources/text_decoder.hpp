// Turns an extract's bytes into UTF-8, whatever encoding the administration
// wrote it in (UTF-8 with or without BOM, Latin-1, Windows-1252), block by
// block. A byte that the declared encoding
// cannot hold stops the reading with the line where it stands: a file in
// the wrong encoding is unreadable, never silently garbled.
#pragma once

#include <iconv.h>

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace proactif {

class TextDecoder {
 public:
  // `encoding`: utf-8, latin1 (iso-8859-1) or windows-1252 (cp1252).
  static Result<TextDecoder> open(const std::string& encoding);
  TextDecoder(TextDecoder&& other) noexcept;
  TextDecoder& operator=(TextDecoder&&) = delete;
  ~TextDecoder();

  // Appends the UTF-8 text of `bytes` to `out`. A multibyte character cut at
  // the end of a block waits for the next block. `last`: no more blocks.
  // An invalid byte is an error giving its value.
  Result<void> decode(std::string_view bytes, bool last, std::string& out);

  const std::string& name() const { return name_; }

 private:
  TextDecoder(iconv_t cd, std::string name) : cd_(cd), name_(std::move(name)) {}
  iconv_t cd_;
  std::string name_;
  std::string pending_;  // the start of a character cut by the block's end
  bool at_start_ = true;
};

}  // namespace proactif
