// proactif ingest: reads administrations' extracts through their mappings,
// sets bad rows aside in a rejects file, and prints what was read, accepted
// and rejected, by reason. Personal data never goes to the terminal: only
// counts and reasons do; values go to the rejects file, for correction.
#include <cstdio>
#include <iostream>

#include "core/data_paths.hpp"
#include "cli/commands.hpp"
#include "eval/engine.hpp"
#include "ingest/ingestion.hpp"

namespace proactif {

int ingest_command(const IngestArguments& args) {
  IngestOptions options = args.options;
  options.territory_dir = territory_dir();
  const std::string& snapshot_path = args.snapshot_path;
  options.build_snapshot = !snapshot_path.empty();
  Ingestion ingestion = ingest_extracts(args.mappings, options, std::cout, std::cerr);
  if (ingestion.snapshot) {
    const Snapshot& snapshot = *ingestion.snapshot;
    if (auto err = snapshot.save(snapshot_path); !err.ok()) {
      std::cerr << "proactif: " << err.error().message << "\n";
      return 2;
    }
    std::printf("population snapshot %s: %zu households, %zu persons, %zu columns, %.0f bytes per person in memory\n",
                snapshot_path.c_str(), snapshot.households(), snapshot.persons(), snapshot.columns.size(),
                static_cast<double>(snapshot.memory_bytes()) / static_cast<double>(std::max<size_t>(1, snapshot.persons())));
    // Where, not what: the lines and the variable, no value of a person.
    const auto& conflicts = snapshot.conflicting_values;
    if (!conflicts.empty())
      std::printf("  values left unknown because two rows of one extract give them differently: %zu (a decision "
                  "that needs one is undetermined)\n",
                  conflicts.size());
    for (size_t i = 0; i < conflicts.size() && i < 20; ++i) std::printf("    %s\n", conflicts[i].c_str());
    if (conflicts.size() > 20) std::printf("    and %zu more\n", conflicts.size() - 20);
  }
  return ingestion.status;
}

}  // namespace proactif
