// Reads a CSV extract as administrations write them: `;` or `,` between
// fields, fields in double quotes (with "" for a quote, and line breaks
// inside), CRLF or LF line ends (a file whose lines end with CR alone is
// refused), any of the encodings TextDecoder knows. A quote never closed,
// or one whose field runs past CsvOptions::max_quoted_bytes, costs its own
// row: the lines after the one it opened on are read again. It
// streams: records are handed over one by one, with the line each starts
// on, and a file of any size is never held whole in memory.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "sources/text_decoder.hpp"

namespace proactif {

struct CsvRecord {
  std::vector<std::string> fields;
  size_t line = 0;  // 1-based line where the record starts
  bool truncated = false;  // a quote opened in this record is never closed (or runs past the limit)
  bool unterminated = false;  // the file's last record, which no line end follows (nor a closing quote)
};

struct CsvOptions {
  char separator = ';';
  size_t block_bytes = 1 << 20;
  // A quoted field longer than this (an address of several lines is a few
  // hundred bytes) is taken for a stray quote: its row is set aside as a
  // quote never closed and the lines after it are read again, so that a
  // stray quote holds neither the rest of the file in memory nor its rows.
  size_t max_quoted_bytes = 64 * 1024;
};

// Calls `on_record` for each record (the header included); a quoted field
// still open at the end of the file, or grown past the limit, gives a record
// marked `truncated` (the line it opened on), then the lines after that one
// as records. Returns the number of records, or an error when the file
// cannot be read (unreadable, invalid bytes for its encoding).
Result<size_t> read_csv(std::FILE* file, const std::string& name, TextDecoder& decoder, const CsvOptions& options,
                        const std::function<void(const CsvRecord&)>& on_record);

}  // namespace proactif
