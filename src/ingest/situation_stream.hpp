// Streams a JSONL file of situations through the engine: blocks of lines are
// split across threads, each thread reads its lines into a batch, evaluates
// every program and formats the decisions; blocks are written in input
// order, so the output does not depend on the number of threads. Memory
// stays bounded by the block size, whatever the file's size.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eval/engine.hpp"
#include "eval/outcome.hpp"

namespace proactif {

struct StreamOptions {
  std::optional<Days> date;
  bool explain = false;
  unsigned threads = 0;  // 0: all cores
  size_t block_bytes = 8 << 20;
};

// Called for each decision row, in input order, to format it.
using DecisionFormatter = std::function<void(std::string& out, const std::string& situation,
                                             const std::string* person, const BoundPlan& bound, const Batch& batch,
                                             const Outcome& outcome, size_t row, const CodeTable& codes)>;

struct StreamReport {
  size_t lines = 0;
  size_t situations = 0;
  size_t errors = 0;
};

// Reads `path` ("-" for standard input), writes decisions to `out` and one
// message per rejected line ("line N: ...") to `err`.
Result<StreamReport> stream_situations(const Engine& engine, const std::string& path, const StreamOptions& options,
                                       const DecisionFormatter& format, std::FILE* out, std::FILE* err);

// One request's situations (the service), evaluated on the calling thread:
// the same decisions, in the same order and bytes, as stream_situations
// writes for the same lines. `source` names where they came from in the
// explanations.
struct RefusedLine {
  size_t line;         // 1-based
  std::string reason;  // may quote the input, newlines included
};
struct EvaluatedText {
  std::string decisions;
  std::vector<RefusedLine> refused;
  StreamReport report;
};
// `input_sources`, by input name, says where some values came from instead
// of `source` (a datum fetched from API Particulier beside the person's own
// answers); under kOtherPersons and the name, where a person input's values
// came from for the persons after each household's first (the person
// asking), when not from the same place (not asked about them); under
// kOtherPersonsStated and the name, where those of their values that are
// known came from (the person's statement about them), the others keeping
// kOtherPersons's.
inline constexpr const char* kOtherPersons = "other persons:";
inline constexpr const char* kOtherPersonsStated = "other persons stated:";
Result<EvaluatedText> evaluate_situation_text(const Engine& engine, std::string_view text, const StreamOptions& options,
                                              const DecisionFormatter& format, const std::string& source,
                                              const std::map<std::string, std::string>& input_sources = {});

}  // namespace proactif
