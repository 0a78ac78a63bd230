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

  // Raw text since a quoted field opened, kept so that a quote never closed
  // costs one row, not the rest of the file: the lines after the one it
  // opened on are read again as rows of their own.
  std::string replay;

  // Where the open quoted field began, when in the text being read: a
  // stray quote "closed" by a later quoted field is found there.
  const char* quote_at = nullptr;
  // Reads the text; returns null, or where it stopped because the open
  // quoted field grew past options.max_quoted_bytes.
  auto consume = [&](const char* p, const char* end) -> const char* {
    quote_at = nullptr;
    while (p < end) {
      char c = *p;
      switch (state) {
        case State::kFieldStart:
          if (c == '"') {
            state = State::kQuoted;
            quote_line = line;
            record_has_content = true;
            replay.clear();
            quote_at = ++p;
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
          replay.append(p, static_cast<size_t>(q - p));
          p = q;
          if (replay.size() > options.max_quoted_bytes) return p;
          if (p < end) {
            state = State::kQuoteInQuoted;
            replay += '"';
            ++p;
          }
          break;
        }
        case State::kQuoteInQuoted:
          if (c == '"') {  // "" stands for one quote
            field() += '"';
            replay += '"';
            state = State::kQuoted;
            ++p;
            break;
          }
          if (c != sep && c != '\n' && c != '\r' && line > quote_line && quote_at) {
            // Text right after a quote that closes a field spanning lines:
            // the quote that opened it was a stray one, and this quote opens
            // a later field. The row it opened on is set aside; the lines
            // after it are read again.
            record.truncated = true;
            record.line = quote_line;
            end_record();
            record.truncated = false;
            p = static_cast<const char*>(std::memchr(quote_at, '\n', static_cast<size_t>(end - quote_at))) + 1;
            line = quote_line + 1;
            record.line = line;
            state = State::kFieldStart;
            start_field();
            replay.clear();
            quote_at = nullptr;
            break;
          }
          replay.clear();
          if (c == sep) {
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
    return nullptr;
  };

  // Whether the rest of the line a set-aside quote opened on is still to be
  // skipped (its field grew past the limit within that line).
  bool skip_to_line_end = false;
  // The quote that opened the field still open was a stray one: the row it
  // opened on is set aside, and the text after that line is returned, to be
  // read again; when that line has not ended yet, the rest of it is skipped.
  auto set_aside_open_quote = [&]() -> std::string {
    record.truncated = true;
    record.line = std::min(record.line, quote_line);
    end_record();
    record.truncated = false;
    std::string rest;
    size_t newline = replay.find('\n');
    if (newline != std::string::npos) rest = replay.substr(newline + 1);
    skip_to_line_end = newline == std::string::npos;
    line = quote_line + 1;
    record.line = line;
    state = State::kFieldStart;
    start_field();
    replay.clear();
    return rest;
  };
  // Reads the text, and again what follows a quoted field grown past the
  // limit. A field past it has no quote in it but the one that opened it,
  // so the text read again holds no new open field: each byte is read
  // twice at most, and no more than the limit and a block is held.
  auto read_text = [&](const char* p, const char* end) {
    std::string again;
    for (;;) {
      if (skip_to_line_end) {
        const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        if (!newline) return;  // the line goes on in the next block
        p = newline + 1;
        skip_to_line_end = false;
      }
      const char* stop = consume(p, end);
      if (!stop) return;
      std::string rest = set_aside_open_quote();
      if (skip_to_line_end) {  // nothing read again: the rest of the line is skipped at the top
        p = stop;
        continue;
      }
      rest.append(stop, end);
      again = std::move(rest);
      p = again.data();
      end = p + again.size();
    }
  };

  std::vector<char> bytes(options.block_bytes);
  std::string text;
  bool last = false, first_block = true;
  start_field();
  while (!last) {
    size_t got = std::fread(bytes.data(), 1, bytes.size(), file);
    if (std::ferror(file)) return Error{ErrorKind::kUnavailable, name + ": read error (" + std::strerror(errno) + ")"};
    last = got < bytes.size();
    text.clear();
    if (auto decoded = decoder.decode(std::string_view(bytes.data(), got), last, text); !decoded.ok()) {
      // The line of the bad byte: the lines decoded so far, and those of this block.
      size_t at = line;
      for (char c : text) at += c == '\n';
      return Error{ErrorKind::kInput, SourcePosition{name, static_cast<int>(at)}, decoded.error().message};
    }
    if (first_block) {
      // Lines ended by CR alone (old Mac files) would read as one line:
      // refused rather than read as nothing.
      size_t lf = 0, lone_cr = 0;
      for (size_t i = 0; i < text.size(); ++i) {
        lf += text[i] == '\n';
        lone_cr += text[i] == '\r' && i + 1 < text.size() && text[i + 1] != '\n';
      }
      if (lone_cr > lf)
        return Error{ErrorKind::kInput, SourcePosition{name, 1},
                     "lines end with a carriage return alone (CR, an old Mac format): convert the file to LF or CRLF "
                     "line ends"};
      first_block = false;
    }
    read_text(text.data(), text.data() + text.size());
  }
  // A quote still open at the end of the file: the lines after the one it
  // opened on, read again.
  while (state == State::kQuoted) {
    std::string rest = set_aside_open_quote();
    read_text(rest.data(), rest.data() + rest.size());
  }
  if (state != State::kFieldStart || !field().empty() || fields > 0) {
    record.unterminated = state != State::kQuoteInQuoted;  // a closing quote ended its last field
    end_record();
  }
  return records;
}

}  // namespace proactif
