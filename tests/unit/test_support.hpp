// Helpers to build programs and situations in tests from inline text.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/codes.hpp"
#include "eval/outcome.hpp"
#include "params/parameters.hpp"
#include "population/territory.hpp"
#include "rules/plan.hpp"

namespace proactif::testing {

// A fresh folder under the system's temporary folder, removed at exit.
std::string temp_dir();
void write_file(const std::string& path, const std::string& text);

const Territory& territory();

// A program compiled from text, with parameters from `params_dir` (or the
// repository's programs/parameters when empty); `optimise` false keeps the
// plan as written.
struct Compiled {
  std::unique_ptr<ParameterSet> params;
  CodeTable codes;
  InputSchema schema;
  std::shared_ptr<Plan> plan;
  std::string error;  // set when loading or compiling failed
};
std::unique_ptr<Compiled> compile_text(const std::string& program_yaml, const std::string& params_dir = "",
                                       bool optimise = true);

// Reads situations (one JSON object per string) into a batch and evaluates.
struct Evaluated {
  Batch batch;
  Outcome outcome;
  std::vector<std::string> lines;  // decisions as evaluate writes them
};
Evaluated evaluate_json(Compiled& c, const std::vector<std::string>& situations, const EvalOptions& options = {});

// Situations drawn from the inputs the program reads: every code allowed,
// amounts around the ceilings or small, up to nine persons, a sixth of
// values null.
std::vector<std::string> random_situations(const Compiled& c, size_t n, uint64_t seed);

}  // namespace proactif::testing

namespace proactif::testing {
// The text of programs/<id>/program.yaml, with its includes made absolute.
std::string read_program(const std::string& id);
}  // namespace proactif::testing
