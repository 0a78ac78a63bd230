// The CSV reader on any bytes, in small blocks so that records and
// characters are cut between them, and with a small limit on quoted fields
// so that fields past it are read again: records or one error, never a
// crash.
#include <cstdint>
#include <cstdio>

#include "sources/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::FILE* f = ::fmemopen(const_cast<uint8_t*>(data), size, "rb");
  if (!f) return 0;
  for (const char* encoding : {"utf-8", "windows-1252"}) {
    auto decoder = proactif::TextDecoder::open(encoding);
    proactif::CsvOptions options;
    options.block_bytes = 7;
    options.max_quoted_bytes = 16;
    std::rewind(f);
    (void)proactif::read_csv(f, "fuzz.csv", *decoder, options, [](const proactif::CsvRecord&) {});
  }
  std::fclose(f);
  return 0;
}
