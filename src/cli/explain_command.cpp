#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/population_evaluate.hpp"
#include "cli/situation_stream.hpp"
#include "eval/citizen_text.hpp"
#include "eval/decision_json.hpp"
#include "eval/explanation_text.hpp"

namespace proactif {

bool parse_stream_args(const Args& args, std::vector<std::string>& programs, std::string& situations,
                       StreamOptions& options, std::vector<std::string>* only, const char* usage,
                       std::string* population);

int explain_command(const Args& args) {
  static constexpr const char* kUsage =
      "usage: proactif explain --program <id or file> [--program ...]\n"
      "                        (--situations <file.jsonl or -> | --population <snapshot>)\n"
      "                        [--situation ID ...] [--date YYYY-MM-DD] [--for-person]\n"
      "  --for-person: the explanation the person concerned reads, in plain French\n"
      "                (by default, the agent's and auditor's, with names and formulas)\n";
  std::vector<std::string> programs, only;
  std::string situations, population;
  StreamOptions options;
  Args stream_args;
  bool for_person = false;
  for (const auto& a : args) {
    if (a == "--for-person") for_person = true;
    else stream_args.push_back(a);
  }
  if (!parse_stream_args(stream_args, programs, situations, options, &only, kUsage, &population)) return 2;
  options.explain = true;
  auto engine = load_engine(programs);
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  auto format = [&](std::string& out, const std::string& situation, const std::string* person, const BoundPlan& bound,
                    const Batch& batch, const Outcome& outcome, size_t row, const CodeTable& codes) {
    if (!only.empty() && std::find(only.begin(), only.end(), situation) == only.end()) return;
    std::string result;
    append_result(result, bound, outcome, row, codes);
    if (for_person) {
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
  if (!population.empty()) return evaluate_snapshot_file(**engine, population, options, format);
  auto report = stream_situations(**engine, situations, options, format, stdout, stderr);
  if (!report) {
    std::cerr << "proactif: " << report.error().message << "\n";
    return 2;
  }
  return report->errors > 0 ? 1 : 0;
}

}  // namespace proactif
