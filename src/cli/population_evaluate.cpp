// `proactif evaluate --population FILE`: every household of a population
// snapshot (built by `proactif ingest --snapshot`) against the programs, in
// columns and on all cores, decisions written as CONTRACT.md says, keyed by
// household (and person) id.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "cli/population_evaluate.hpp"
#include "eval/decision_json.hpp"
#include "population/snapshot.hpp"

namespace proactif {

namespace {

// The snapshot's columns as the engine's input columns; a code the programs
// do not know becomes unknown, and is counted.
Batch batch_of(const Snapshot& snap, const Engine& engine, size_t& unknown_codes) {
  Batch b;
  b.person_offsets = snap.person_offsets;
  b.under_review = snap.under_review;
  for (uint32_t id : snap.household_ids) b.household_ids.emplace_back(snap.strings.at(id));
  for (uint32_t id : snap.person_ids) b.person_ids.emplace_back(snap.strings.at(id));
  b.source = "population snapshot";
  for (const auto& s : snap.sources)
    b.origin_labels.push_back(s.source + ", extrait « " + s.extract + " » du " + s.extracted_on + " (" + s.file + ")");
  for (const InputSlot& slot : engine.schema.slots) {
    bool per_person = slot.entity == Entity::kPerson;
    Column col;
    col.value.assign(per_person ? snap.persons() : snap.households(), kUnknown);
    std::vector<ValueOrigin> origins(col.value.size());
    if (const SnapshotColumn* c = snap.column(slot.name, per_person)) {
      for (size_t i = 0; i < origins.size(); ++i) origins[i] = {c->source[i], c->line[i]};
      for (size_t i = 0; i < col.value.size(); ++i) {
        if (!c->text) {
          col.value[i] = c->number[i];
          continue;
        }
        if (c->string[i] == UINT32_MAX) continue;
        auto id = engine.codes.find(snap.strings.at(c->string[i]));
        bool allowed = id && (slot.domain != CodeDomain::kListed ||
                              std::binary_search(slot.allowed.begin(), slot.allowed.end(), *id));
        if (allowed) col.value[i] = *id;
        else ++unknown_codes;
      }
    }
    b.inputs.push_back(std::move(col));
    b.origins.push_back(std::move(origins));
  }
  return b;
}

}  // namespace

int evaluate_population(const Engine& engine, const std::string& path, const StreamOptions& options,
                        const DecisionFormatter& format) {
  auto snap = Snapshot::load(path);
  if (!snap) {
    std::cerr << "proactif: " << snap.error().message << "\n";
    return 2;
  }
  size_t unknown_codes = 0;
  Batch batch = batch_of(*snap, engine, unknown_codes);
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
  batch.date = date;
  EvalOptions eval;
  eval.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  eval.explain = options.explain;
  std::vector<BoundPlan> bound;
  std::vector<Outcome> outcomes;
  for (const auto& plan : engine.plans) {
    auto b = bind(*plan, date, engine.codes);
    if (!b) {
      std::cerr << "proactif: " << b.error().message << "\n";
      return 2;
    }
    bound.push_back(std::move(*b));
  }
  for (const auto& b : bound) outcomes.push_back(evaluate(b, batch, engine.codes, eval));
  std::string out;
  for (size_t h = 0; h < batch.households(); ++h) {
    for (size_t i = 0; i < bound.size(); ++i) {
      if (outcomes[i].entity == Entity::kHousehold) {
        format(out, batch.household_ids[h], nullptr, bound[i], batch, outcomes[i], h, engine.codes);
      } else {
        for (size_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p) {
          format(out, batch.household_ids[h], &batch.person_ids[p], bound[i], batch, outcomes[i], p, engine.codes);
        }
      }
    }
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (unknown_codes)
    std::cerr << "proactif: " << unknown_codes << " values were codes the programs do not know; read as unknown\n";
  return 0;
}

}  // namespace proactif
