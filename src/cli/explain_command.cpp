#include <algorithm>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <set>

#include "cli/commands.hpp"
#include "cli/population_evaluate.hpp"
#include "ingest/situation_stream.hpp"
#include "eval/citizen_text.hpp"
#include "eval/decision_json.hpp"
#include "eval/explanation_text.hpp"

namespace proactif {

int explain_command(const StreamArguments& args) {
  StreamOptions options = args.options;
  options.explain = true;
  auto engine = load_engine(args.programs);
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  std::mutex found_mutex;
  std::set<std::string> found;
  auto format = [&](std::string& out, const std::string& situation, const std::string* person, const BoundPlan& bound,
                    const Batch& batch, const Outcome& outcome, size_t row, const CodeTable& codes) {
    if (!args.only.empty()) {
      if (std::find(args.only.begin(), args.only.end(), situation) == args.only.end()) return;
      std::lock_guard lock(found_mutex);  // formatters run on the evaluation threads
      found.insert(situation);
    }
    std::string result;
    append_result(result, bound, outcome, row, codes);
    if (args.for_person) {
      const CitizenReader reader{person ? *person : "", bound.plan->program.get(), (*engine)->territory.get(),
                                 missing_names(*bound.plan->program, batch, outcome.missing_of(row)), result};
      out += citizen_text(*outcome.explanations[row], status_name(outcome.status[row]), reader);
    } else {
      std::string missing;
      for (const auto& m : missing_names(*bound.plan->program, batch, outcome.missing_of(row)))
        missing += (missing.empty() ? "" : ", ") + m;
      std::string subject = "situation " + situation + (person ? ", personne " + *person : "");
      out += explanation_text(*outcome.explanations[row], subject, status_name(outcome.status[row]),
                              result, missing);
    }
    out += "\n────────────────────────────────────────────────────────────\n\n";
  };
  int status = 0;
  if (!args.population.empty()) {
    status = evaluate_snapshot_file(**engine, args.population, options, format);
  } else {
    auto report = stream_situations(**engine, args.situations, options, format, stdout, stderr);
    if (!report) {
      std::cerr << "proactif: " << report.error().message << "\n";
      return 2;
    }
    status = report->errors > 0 ? 1 : 0;
  }
  if (status == 2) return status;
  // A situation asked for and not found is said, not passed over in silence.
  for (const auto& wanted : args.only)
    if (!found.count(wanted)) {
      std::cerr << "proactif: no situation '" << wanted << "' in " << (args.population.empty() ? args.situations : args.population) << "\n";
      status = std::max(status, 1);
    }
  return status;
}

}  // namespace proactif
