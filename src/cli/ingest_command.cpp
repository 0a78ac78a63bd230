// proactif ingest: reads administrations' extracts through their mappings,
// sets bad rows aside in a rejects file, and prints what was read, accepted
// and rejected, by reason. Personal data never goes to the terminal: only
// counts and reasons do; values go to the rejects file, for correction.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "eval/program_catalog.hpp"
#include "population/ingestion.hpp"

namespace proactif {

constexpr const char* kUsage =
    "usage: proactif ingest <mapping.yaml>... [--snapshot FILE] [--rejects-dir DIR] [--review FILE]\n"
    "                       [--dump FILE] [--truth truth_records.csv]\n";

int ingest_command(const Args& args) {
  std::vector<std::string> mappings;
  IngestOptions options;
  options.territory_dir = territory_dir();
  std::string snapshot_path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rejects-dir" && i + 1 < args.size()) options.rejects_dir = args[++i];
    else if (args[i] == "--dump" && i + 1 < args.size()) options.dump = args[++i];
    else if (args[i] == "--truth" && i + 1 < args.size()) options.truth_path = args[++i];
    else if (args[i] == "--review" && i + 1 < args.size()) options.review_path = args[++i];
    else if (args[i] == "--snapshot" && i + 1 < args.size()) snapshot_path = args[++i];
    else if (args[i].rfind("--", 0) == 0) {
      std::cerr << kUsage;
      return 2;
    } else {
      mappings.push_back(args[i]);
    }
  }
  if (mappings.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  options.build_snapshot = !snapshot_path.empty();
  Ingestion ingestion = ingest_extracts(mappings, options, std::cout, std::cerr);
  if (ingestion.snapshot) {
    const Snapshot& snapshot = *ingestion.snapshot;
    if (auto err = snapshot.save(snapshot_path)) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
    std::printf("population snapshot %s: %zu households, %zu persons, %zu columns, %.0f bytes per person in memory\n",
                snapshot_path.c_str(), snapshot.households(), snapshot.persons(), snapshot.columns.size(),
                static_cast<double>(snapshot.memory_bytes()) / static_cast<double>(std::max<size_t>(1, snapshot.persons())));
  }
  return ingestion.status;
}

}  // namespace proactif
