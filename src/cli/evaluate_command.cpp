#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "ingest/situation_stream.hpp"
#include "cli/population_evaluate.hpp"
#include "eval/decision_json.hpp"

namespace proactif {

int evaluate_command(const StreamArguments& args) {
  auto engine = load_engine(args.programs);
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  const DecisionFormatter decision_line = [](auto&&... args) { append_decision(args...); };
  if (!args.population.empty()) return evaluate_snapshot_file(**engine, args.population, args.options, decision_line);
  auto report = stream_situations(**engine, args.situations, args.options, decision_line, stdout, stderr);
  if (!report) {
    std::cerr << "proactif: " << report.error().message << "\n";
    return 2;
  }
  if (report->errors > 0) {
    std::cerr << "proactif: " << report->errors << " of " << report->errors + report->situations
              << " situations rejected or not evaluated by every program (see the lines above); the others were "
                 "evaluated\n";
    return 1;
  }
  return 0;
}

}  // namespace proactif
