#include <charconv>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/situation_stream.hpp"
#include "cli/population_evaluate.hpp"
#include "eval/decision_json.hpp"

namespace proactif {

namespace {

constexpr const char* kUsage =
    "usage: proactif evaluate --program <id or file> [--program ...] --situations <file.jsonl or ->\n"
    "                         [--date YYYY-MM-DD] [--explain] [--threads N]\n"
    "       proactif evaluate --program <id or file> [--program ...] --population <snapshot>\n"
    "                         [--date YYYY-MM-DD] [--explain] [--threads N]\n";

}  // namespace

// Shared by evaluate and explain: parses the common options.
bool parse_stream_args(const Args& args, std::vector<std::string>& programs, std::string& situations,
                       StreamOptions& options, std::vector<std::string>* only, const char* usage,
                       std::string* population) {
  for (size_t i = 0; i < args.size(); ++i) {
    auto value = [&](std::string& into) {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    std::string v;
    if (args[i] == "--program" && value(v)) {
      programs.push_back(v);
    } else if (args[i] == "--situations" && value(v)) {
      situations = v;
    } else if (population && args[i] == "--population" && value(v)) {
      *population = v;
    } else if (args[i] == "--date" && value(v)) {
      options.date = parse_iso_date(v);
      if (!options.date) {
        std::cerr << "proactif: --date: '" << v << "' is not a valid date (YYYY-MM-DD)\n";
        return false;
      }
    } else if (args[i] == "--explain") {
      options.explain = true;
    } else if (args[i] == "--threads" && value(v)) {
      unsigned threads = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), threads);
      if (ec != std::errc() || end != v.data() + v.size() || threads > 1024) {
        std::cerr << "proactif: --threads: '" << v << "' is not a number of threads\n";
        return false;
      }
      options.threads = threads;
    } else if (only && args[i] == "--situation" && value(v)) {
      only->push_back(v);
    } else {
      std::cerr << "proactif: unexpected argument '" << args[i] << "'\n" << usage;
      return false;
    }
  }
  if (programs.empty() || (situations.empty() == (!population || population->empty()))) {
    std::cerr << usage;
    return false;
  }
  return true;
}

int evaluate_command(const Args& args) {
  std::vector<std::string> programs;
  std::string situations, population;
  StreamOptions options;
  if (!parse_stream_args(args, programs, situations, options, nullptr, kUsage, &population)) return 2;
  auto engine = load_engine(programs);
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  const DecisionFormatter decision_line = [](auto&&... args) { append_decision(args...); };
  if (!population.empty()) return evaluate_snapshot_file(**engine, population, options, decision_line);
  auto report = stream_situations(**engine, situations, options, decision_line, stdout, stderr);
  if (!report) {
    std::cerr << "proactif: " << report.error().message << "\n";
    return 2;
  }
  if (report->errors > 0) {
    std::cerr << "proactif: " << report->errors << " of " << report->errors + report->situations
              << " situations rejected (see the lines above); the others were evaluated\n";
    return 1;
  }
  return 0;
}

}  // namespace proactif
