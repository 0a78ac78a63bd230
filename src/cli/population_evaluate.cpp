// `proactif evaluate --population FILE`: every household of a population
// snapshot (built by `proactif ingest --snapshot`) against the programs, in
// columns and on all cores, decisions written as CONTRACT.md says, keyed by
// household (and person) id; then, per program, each person its foyer left
// out of their household, decided as a foyer of their own and keyed by
// their person id.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "cli/population_evaluate.hpp"
#include "eval/decision_json.hpp"
#include "eval/own_foyers.hpp"
#include "eval/snapshot_batch.hpp"

namespace proactif {


int evaluate_snapshot_file(const Engine& engine, const std::string& path, const StreamOptions& options,
                        const DecisionFormatter& format) {
  auto snap = Snapshot::load(path);
  if (!snap) {
    std::cerr << "proactif: " << snap.error().message << "\n";
    return 2;
  }
  for (const auto& s : snap->sources)
    std::fprintf(stderr, "proactif: %s %s of %s: %llu rows read, %llu accepted, %llu rejected at ingestion\n", s.source.c_str(),
                 s.extract.c_str(), s.extracted_on.c_str(), static_cast<unsigned long long>(s.rows_read),
                 static_cast<unsigned long long>(s.rows_accepted), static_cast<unsigned long long>(s.rows_rejected));
  Days date = options.date ? *options.date : 0;
  if (!options.date) {
    // The extracts' date, when they agree: the situation they describe.
    auto d = parse_iso_date(snap->sources.empty() ? "" : snap->sources.front().extracted_on);
    if (!d) {
      std::cerr << "proactif: give --date: the snapshot's extracts have no extraction date\n";
      return 2;
    }
    date = *d;
  }
  SnapshotReading reading;
  Batch batch = batch_of_snapshot(*snap, engine, date, reading);
  batch.date = date;
  EvalOptions eval;
  eval.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  eval.explain = options.explain;
  std::vector<BoundPlan> bound;
  std::vector<PopulationOutcome> outcomes;
  for (const auto& plan : engine.plans) {
    auto b = bind(*plan, date, engine.codes);
    if (!b) {
      std::cerr << "proactif: " << b.error().message << "\n";
      return 2;
    }
    bound.push_back(std::move(*b));
  }
  for (const auto& b : bound) outcomes.push_back(evaluate_population(b, engine.schema, batch, engine.codes, eval));
  std::string out;
  auto write = [&](const Batch& b, size_t h, const BoundPlan& plan, const Outcome& outcome) {
    if (outcome.entity == Entity::kHousehold) {
      format(out, b.household_ids[h], nullptr, plan, b, outcome, h, engine.codes);
    } else {
      for (size_t p = b.person_offsets[h]; p < b.person_offsets[h + 1]; ++p)
        format(out, b.household_ids[h], &b.person_ids[p], plan, b, outcome, p, engine.codes);
    }
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  };
  for (size_t h = 0; h < batch.households(); ++h)
    for (size_t i = 0; i < bound.size(); ++i) write(batch, h, bound[i], outcomes[i].outcome);
  for (size_t i = 0; i < bound.size(); ++i)
    for (size_t g = 0; g < outcomes[i].own.batch.households(); ++g)
      write(outcomes[i].own.batch, g, bound[i], outcomes[i].own_outcome);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::string said = reading.summary(); !said.empty()) std::cerr << "proactif: " << said << "\n";
  return 0;
}

}  // namespace proactif
