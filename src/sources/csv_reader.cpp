#include "sources/csv_reader.hpp"

#include <algorithm>
#include <cstring>

namespace proactif {

Result<size_t> read_csv(std::FILE* file, const std::string& name, TextDecoder& decoder, const CsvOptions& options,
                        const std::function<void(const CsvRecord&)>& on_record) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  State state = State::kFieldStart;
  CsvRecord record;
  record.line = 1;
  size_t fields = 0;  // fields of the current record; their strings are reused from record to record
  size_t line = 1, records = 0, quote_line = 0;
  bool record_has_content = false;
  const char sep = options.separator;

  auto field = [&]() -> std::string& {
    if (record.fields.size() <= fields) record.fields.emplace_back();
    return record.fields[fields];
  };
  auto start_field = [&] { field().clear(); };
  auto end_field = [&] { ++fields; };
  auto end_record = [&] {
    end_field();
    // A line with nothing on it is no record.
    if (record_has_content || fields > 1) {
      record.fields.resize(fields);
      on_record(record);
      ++records;
    }
    fields = 0;
    record_has_content = false;
  };

  std::vector<char> bytes(options.block_bytes);
  std::string text, error;
  bool last = false;
  start_field();
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
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      char c = *p;
      switch (state) {
        case State::kFieldStart:
          if (c == '"') {
            state = State::kQuoted;
            quote_line = line;
            record_has_content = true;
            ++p;
            break;
          }
          state = State::kUnquoted;
          [[fallthrough]];
        case State::kUnquoted: {
          // Copy up to the next separator or line end in one go.
          const char* q = p;
          while (q < end && *q != sep && *q != '\n') ++q;
          if (q > p) {
            field().append(p, static_cast<size_t>(q - p));
            record_has_content |= !(q - p == 1 && *p == '\r');
          }
          p = q;
          if (p == end) break;
          if (*p == sep) {
            end_field();
            start_field();
          } else {
            std::string& f = field();
            if (!f.empty() && f.back() == '\r') f.pop_back();
            end_record();
            start_field();
            record.line = ++line;
          }
          state = State::kFieldStart;
          ++p;
          break;
        }
        case State::kQuoted: {
          const char* q = p;
          while (q < end && *q != '"') {
            line += *q == '\n';
            ++q;
          }
          field().append(p, static_cast<size_t>(q - p));
          p = q;
          if (p < end) {
            state = State::kQuoteInQuoted;
            ++p;
          }
          break;
        }
        case State::kQuoteInQuoted:
          if (c == '"') {  // "" stands for one quote
            field() += '"';
            state = State::kQuoted;
          } else if (c == sep) {
            end_field();
            start_field();
            state = State::kFieldStart;
          } else if (c == '\n') {
            end_record();
            start_field();
            record.line = ++line;
            state = State::kFieldStart;
          } else if (c != '\r') {
            field() += c;  // text after the closing quote is kept, as spreadsheets do
            state = State::kUnquoted;
          }
          ++p;
          break;
      }
    }
  }
  if (state == State::kQuoted) {
    record.truncated = true;
    record.line = std::min(record.line, quote_line);
    end_record();
  } else if (state != State::kFieldStart || !field().empty() || fields > 0) {
    end_record();
  }
  return records;
}

}  // namespace proactif
