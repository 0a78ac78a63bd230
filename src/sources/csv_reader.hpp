// Reads a CSV extract as administrations write them: `;` or `,` between
// fields, fields in double quotes (with "" for a quote, and line breaks
// inside), CRLF or LF line ends, any of the encodings TextDecoder knows. It
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
  bool truncated = false;  // the file ends inside this record's quoted field
};

struct CsvOptions {
  char separator = ';';
  size_t block_bytes = 1 << 20;
};

// Calls `on_record` for each record (the header included); a file cut inside
// a quoted field gives a last record marked `truncated`, so that the rows
// before it are kept. Returns the number of records, or an error when the
// file cannot be read (unreadable, invalid bytes for its encoding).
Result<size_t> read_csv(std::FILE* file, const std::string& name, TextDecoder& decoder, const CsvOptions& options,
                        const std::function<void(const CsvRecord&)>& on_record);

}  // namespace proactif
