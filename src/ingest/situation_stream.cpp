#include "ingest/situation_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

#include "core/byte_order_mark.hpp"
#include "core/hidden_characters.hpp"
#include "ingest/situation_ids.hpp"
#include "sources/situation_reader.hpp"

namespace proactif {

namespace {

struct Line {
  size_t offset;
  size_t length;
  size_t number;  // 1-based line number in the file
};

// A line whose id an earlier line gave: that line's number (0 for none)
// and the id.
struct FirstGiven {
  size_t line = 0;
  std::string id;
};

struct Part {
  std::string out;
  std::vector<std::pair<size_t, std::string>> ids;  // each line with decisions written, and its situation's id
  std::vector<RefusedLine> refused;
  size_t situations = 0;
  std::string failure;  // an exception in the thread (out of memory): the run stops
};

class Worker {
 public:
  Worker(const Engine& engine, const StreamOptions& options, const DecisionFormatter& format, const std::string& source,
         const std::map<std::string, std::string>& input_sources = {})
      : engine_(engine), options_(options), format_(format), reader_(engine.schema, engine.codes), source_(source),
        input_sources_(input_sources) {
    bound_.resize(engine.plans.size());
  }

  // A line that `first_given` marks is refused: an earlier line gave its id.
  void run(const char* data, size_t capacity, const std::vector<Line>& lines, const std::vector<FirstGiven>& first_given,
           size_t from, size_t to, Part& part) {
    part_ = &part;
    reset();
    for (size_t i = from; i < to; ++i) {
      const Line& l = lines[i];
      std::string_view text(data + l.offset, l.length);
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (first_given[i].line != 0) {
        reject(l.number, "id: " + quoted_value(first_given[i].id) + " already given at line " +
                             std::to_string(first_given[i].line) +
                             " (each situation needs its own: its decisions name it)");
        continue;
      }
      size_t cap = capacity - l.offset;
      Days date = 0;
      auto error = reader_.append(text, cap, batch_, options_.date, date);
      if (!error && batch_.households() > 1 && date != batch_.date) {
        // A batch shares one date: finish it, then read this line again.
        drop_last();
        flush();
        error = reader_.append(text, cap, batch_, options_.date, date);
      }
      if (error) {
        reject(l.number, *error);
        continue;
      }
      batch_.date = date;
      line_numbers_.push_back(l.number);
    }
    flush();
    // A batch's lines refused for a program come after the lines read
    // later and refused at once: in the order of the file again.
    std::stable_sort(part.refused.begin(), part.refused.end(),
                     [](const RefusedLine& a, const RefusedLine& b) { return a.line < b.line; });
  }

 private:
  void reset() {
    reader_.reset(batch_);
    batch_.source = source_;
    batch_.origins.clear();
    batch_.origin_labels.clear();
    line_numbers_.clear();
  }

  void reject(size_t line, const std::string& message) { part_->refused.push_back({line, message}); }

  void drop_last() {
    size_t h = batch_.households() - 1;
    size_t p = batch_.person_offsets[h];
    batch_.person_offsets.pop_back();
    batch_.household_ids.pop_back();
    batch_.person_ids.resize(p);
    for (size_t s = 0; s < engine_.schema.slots.size(); ++s) {
      size_t rows = engine_.schema.slots[s].entity == Entity::kHousehold ? h : p;
      batch_.inputs[s].value.resize(rows);
    }
  }

  const Result<BoundPlan>& bound(size_t plan, Days date) {
    auto& cache = bound_[plan];
    auto it = cache.find(date);
    if (it == cache.end()) it = cache.emplace(date, bind(*engine_.plans[plan], date, engine_.codes, true)).first;
    return it->second;
  }

  // The inputs whose values came from elsewhere than `source_`, each named
  // with its own source; a person input's other persons than each
  // household's first with the source under kOtherPersons, where given, and
  // their known values with that under kOtherPersonsStated.
  void mark_sources() {
    if (input_sources_.empty()) return;
    batch_.origins.assign(engine_.schema.slots.size(), {});
    auto label_of = [&](const std::string& text) {
      batch_.origin_labels.push_back(text);
      return static_cast<uint8_t>(batch_.origin_labels.size() - 1);
    };
    for (size_t s = 0; s < engine_.schema.slots.size(); ++s) {
      const InputSlot& slot = engine_.schema.slots[s];
      auto it = input_sources_.find(slot.name);
      if (it == input_sources_.end()) continue;
      batch_.origins[s].assign(batch_.inputs[s].value.size(), ValueOrigin{label_of(it->second), false, ValueOrigin::kWholeSource});
      auto others = input_sources_.find(kOtherPersons + slot.name);
      if (others == input_sources_.end() || slot.entity != Entity::kPerson) continue;
      const uint8_t label = label_of(others->second);
      auto stated = input_sources_.find(kOtherPersonsStated + slot.name);
      const uint8_t stated_label = stated == input_sources_.end() ? label : label_of(stated->second);
      for (size_t h = 0; h < batch_.households(); ++h)
        for (uint32_t p = batch_.person_offsets[h] + 1; p < batch_.person_offsets[h + 1]; ++p)
          batch_.origins[s][p] = ValueOrigin{is_known(batch_.inputs[s].value[p]) ? stated_label : label, false,
                                             ValueOrigin::kWholeSource};
    }
  }

  void flush() {
    if (batch_.households() == 0) return;
    mark_sources();
    // A program that cannot be evaluated on the batch's date (a scale or a
    // code list with no value then; a number's absence leaves its decisions
    // undetermined instead) refuses these lines for itself only: the other
    // programs' decisions are written, and each line says which did not.
    std::vector<Outcome> outcomes(engine_.plans.size());
    std::vector<const BoundPlan*> plans(engine_.plans.size(), nullptr);  // null: not evaluated on this date
    std::string not_evaluated;
    EvalOptions eval;
    eval.explain = options_.explain;
    for (size_t i = 0; i < engine_.plans.size(); ++i) {
      const auto& b = bound(i, batch_.date);
      if (!b) {
        not_evaluated += (not_evaluated.empty() ? "" : "; ") + engine_.plans[i]->program->id + " not evaluated: " + b.error().message;
        continue;
      }
      plans[i] = &*b;
      outcomes[i] = evaluate(*b, batch_, engine_.codes, eval);
    }
    for (size_t line : line_numbers_)
      if (!not_evaluated.empty()) reject(line, not_evaluated);
    for (size_t h = 0; h < batch_.households(); ++h) {
      for (size_t i = 0; i < engine_.plans.size(); ++i) {
        if (!plans[i]) continue;
        const BoundPlan& b = *plans[i];
        if (outcomes[i].entity == Entity::kHousehold) {
          format_(part_->out, batch_.household_ids[h], nullptr, b, batch_, outcomes[i], h, engine_.codes);
        } else {
          for (size_t p = batch_.person_offsets[h]; p < batch_.person_offsets[h + 1]; ++p)
            format_(part_->out, batch_.household_ids[h], &batch_.person_ids[p], b, batch_, outcomes[i], p, engine_.codes);
        }
      }
    }
    if (std::any_of(plans.begin(), plans.end(), [](const BoundPlan* b) { return b != nullptr; }))
      for (size_t h = 0; h < batch_.households(); ++h) part_->ids.emplace_back(line_numbers_[h], batch_.household_ids[h]);
    if (not_evaluated.empty()) part_->situations += batch_.households();
    reset();
  }

  const Engine& engine_;
  const StreamOptions& options_;
  const DecisionFormatter& format_;
  SituationReader reader_;
  std::string source_;
  std::map<std::string, std::string> input_sources_;
  Batch batch_;
  std::vector<size_t> line_numbers_;
  std::vector<std::map<Days, Result<BoundPlan>>> bound_;
  Part* part_ = nullptr;
};

// The ids of the lines whose decisions `parts` wrote, claimed in the order
// of the file (`parts` are in that order, each in order): a line whose id
// an earlier one gave is marked with it in `first_given` (by its index
// among the block's lines, the first numbered `first_number`). Whether
// one was.
bool claim_ids(const std::vector<Part>& parts, size_t first_number, SituationIds& seen, std::vector<FirstGiven>& first_given) {
  bool again = false;
  for (const Part& part : parts)
    for (const auto& [line, id] : part.ids)
      if (auto earlier = seen.claim(id, line)) {
        first_given[line - first_number] = {*earlier, id};
        again = true;
      }
  return again;
}

constexpr const char* kInUtf16 =
    "the text is in UTF-16 (its byte order mark says so): situations are read in UTF-8, one JSON object per line; "
    "save it again as UTF-8";

std::vector<Line> split_lines(const char* data, size_t end, size_t first_number) {
  std::vector<Line> lines;
  for (size_t pos = 0; pos < end;) {
    const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', end - pos));
    size_t stop = nl ? static_cast<size_t>(nl - data) : end;
    lines.push_back({pos, stop - pos, first_number + lines.size()});
    pos = stop + 1;
  }
  return lines;
}

}  // namespace

Result<EvaluatedText> evaluate_situation_text(const Engine& engine, std::string_view text, const StreamOptions& options,
                                              const DecisionFormatter& format, const std::string& source,
                                              const std::map<std::string, std::string>& input_sources) {
  if (byte_order_mark(text) == ByteOrderMark::kUtf16)
    return EvaluatedText{"", {{1, kInUtf16}}, {1, 0, 1}};
  if (byte_order_mark(text) == ByteOrderMark::kUtf8) text.remove_prefix(kUtf8ByteOrderMarkLength);
  // The reader parses in place and needs simdjson's padding past the text.
  std::vector<char> buf(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buf.data(), text.data(), text.size());
  std::vector<Line> lines = split_lines(buf.data(), text.size(), 1);
  SituationIds seen;
  std::vector<FirstGiven> first_given(lines.size());
  std::vector<Part> parts(1);
  Worker worker(engine, options, format, source, input_sources);
  try {
    worker.run(buf.data(), buf.size(), lines, first_given, 0, lines.size(), parts[0]);
    // Run again, the later lines of an id refused, where there are.
    if (claim_ids(parts, 1, seen, first_given)) {
      parts[0] = Part{};
      worker.run(buf.data(), buf.size(), lines, first_given, 0, lines.size(), parts[0]);
    }
  } catch (const std::exception& e) {
    return Error{ErrorKind::kInternal, std::string("evaluation stopped: ") + e.what()};
  }
  Part& part = parts[0];
  const size_t refused = part.refused.size();
  return EvaluatedText{std::move(part.out), std::move(part.refused), {lines.size(), part.situations, refused}};
}

Result<StreamReport> stream_situations(const Engine& engine, const std::string& path, const StreamOptions& options,
                                       const DecisionFormatter& format, std::FILE* out, std::FILE* err) {
  std::FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!in) return Error{ErrorKind::kNotFound, path + ": cannot open situations file (" + std::strerror(errno) + ")"};
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::string source = "situation déclarée (" + (path == "-" ? std::string("entrée standard") : path) + ")";
  std::vector<Worker> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) workers.emplace_back(engine, options, format, source);

  StreamReport report;
  SituationIds seen;
  std::vector<char> buf;
  size_t filled = 0, block = options.block_bytes, next_line = 1;
  bool eof = false;
  while (!eof || filled > 0) {
    buf.resize(block + simdjson::SIMDJSON_PADDING);
    if (!eof) {
      size_t got = std::fread(buf.data() + filled, 1, block - filled, in);
      filled += got;
      if (filled < block) eof = true;
      if (std::ferror(in)) return Error{ErrorKind::kUnavailable, path + ": read error"};
      if (next_line == 1 && filled == got) {  // the start of the file
        const ByteOrderMark mark = byte_order_mark(std::string_view(buf.data(), filled));
        if (mark == ByteOrderMark::kUtf16) {
          if (in != stdin) std::fclose(in);
          return Error{ErrorKind::kInput, (path == "-" ? std::string("standard input") : path) + ": " + kInUtf16};
        }
        if (mark == ByteOrderMark::kUtf8) {
          filled -= kUtf8ByteOrderMarkLength;
          std::memmove(buf.data(), buf.data() + kUtf8ByteOrderMarkLength, filled);
        }
      }
    }
    // Cut at the last complete line; a line longer than the block grows it.
    size_t end = filled;
    if (!eof) {
      const char* last = static_cast<const char*>(memrchr(buf.data(), '\n', filled));
      if (!last) {
        block *= 2;
        continue;
      }
      end = static_cast<size_t>(last - buf.data()) + 1;
    }
    std::vector<Line> lines = split_lines(buf.data(), end, next_line);
    next_line += lines.size();
    // The block's lines evaluated in `threads` parts; again where a line
    // gave an id an earlier one did, that line refused (rare: the common
    // case pays only the claiming of each id).
    std::vector<FirstGiven> first_given(lines.size());
    std::vector<Part> parts;
    for (int pass = 0; pass < 2; ++pass) {
      parts.assign(threads, Part{});
      size_t per = (lines.size() + threads - 1) / std::max<size_t>(1, threads);
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t) {
        size_t from = std::min(lines.size(), t * per), to = std::min(lines.size(), from + per);
        if (from == to) continue;
        auto job = [&, t, from, to] {
          try {
            workers[t].run(buf.data(), buf.size(), lines, first_given, from, to, parts[t]);
          } catch (const std::exception& e) {
            parts[t].failure = e.what();
          }
        };
        if (t + 1 == threads || to == lines.size()) job();
        else pool.emplace_back(job);
      }
      for (auto& th : pool) th.join();
      if (pass == 1 || lines.empty() || std::any_of(parts.begin(), parts.end(), [](const Part& p) { return !p.failure.empty(); }) ||
          !claim_ids(parts, lines.front().number, seen, first_given))
        break;
    }
    for (auto& part : parts)
      if (!part.failure.empty()) {
        if (in != stdin) std::fclose(in);
        return Error{ErrorKind::kInternal, "evaluation stopped: " + part.failure};
      }
    for (auto& part : parts) {
      std::fwrite(part.out.data(), 1, part.out.size(), out);
      for (const RefusedLine& r : part.refused) std::fprintf(err, "line %zu: %s\n", r.line, escape_hidden(r.reason).c_str());
      report.situations += part.situations;
      report.errors += part.refused.size();
    }
    report.lines += lines.size();
    // Nothing more is evaluated once the output cannot take it.
    if (std::ferror(out) || std::fflush(out) != 0) {
      if (in != stdin) std::fclose(in);
      return Error{ErrorKind::kUnavailable, std::string("standard output: not all decisions were written (") + std::strerror(errno) + ")"};
    }
    std::memmove(buf.data(), buf.data() + end, filled - end);
    filled -= end;
    if (eof && filled == 0) break;
  }
  if (in != stdin) std::fclose(in);
  return report;
}

}  // namespace proactif
