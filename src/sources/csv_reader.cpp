#include "sources/csv_reader.hpp"

#include <cstring>

namespace proactif {

Result<size_t> read_csv(std::FILE* file, const std::string& name, TextDecoder& decoder, const CsvOptions& options,
                        const std::function<void(const CsvRecord&)>& on_record) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  State state = State::kFieldStart;
  CsvRecord record;
  record.line = 1;
  std::string field;
  size_t line = 1, records = 0, quote_line = 0;
  bool record_has_content = false;

  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    // A line with nothing on it is no record.
    if (record_has_content || record.fields.size() > 1) {
      on_record(record);
      ++records;
    }
    record.fields.clear();
    record_has_content = false;
  };

  std::vector<char> bytes(options.block_bytes);
  std::string text, error;
  bool last = false;
  while (!last) {
    size_t got = std::fread(bytes.data(), 1, bytes.size(), file);
    if (std::ferror(file)) return Error{name + ": read error (" + std::strerror(errno) + ")"};
    last = got < bytes.size();
    text.clear();
    if (!decoder.decode(std::string_view(bytes.data(), got), last, text, error)) {
      // The line of the bad byte: the lines decoded so far, and those of this block.
      size_t at = line;
      for (char c : text) at += c == '\n';
      return Error{name + ":" + std::to_string(at) + ": " + error};
    }
    for (char c : text) {
      switch (state) {
        case State::kFieldStart:
          if (c == '"') {
            state = State::kQuoted;
            quote_line = line;
            record_has_content = true;
            break;
          }
          state = State::kUnquoted;
          [[fallthrough]];
        case State::kUnquoted:
          if (c == options.separator) {
            end_field();
            state = State::kFieldStart;
          } else if (c == '\n') {
            if (!field.empty() && field.back() == '\r') field.pop_back();
            end_record();
            record.line = ++line;
            state = State::kFieldStart;
          } else {
            field += c;
            record_has_content |= c != '\r';
          }
          break;
        case State::kQuoted:
          if (c == '"') {
            state = State::kQuoteInQuoted;
          } else {
            if (c == '\n') ++line;
            field += c;
          }
          break;
        case State::kQuoteInQuoted:
          if (c == '"') {  // "" stands for one quote
            field += '"';
            state = State::kQuoted;
          } else if (c == options.separator) {
            end_field();
            state = State::kFieldStart;
          } else if (c == '\n') {
            end_record();
            record.line = ++line;
            state = State::kFieldStart;
          } else if (c != '\r') {
            field += c;  // text after the closing quote is kept, as spreadsheets do
            state = State::kUnquoted;
          }
          break;
      }
    }
  }
  if (state == State::kQuoted)
    return Error{name + ":" + std::to_string(quote_line) +
                 ": a quoted field opened here is never closed (is the file truncated?)"};
  if (state != State::kFieldStart || !field.empty() || !record.fields.empty()) end_record();
  return records;
}

}  // namespace proactif
