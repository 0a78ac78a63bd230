// A population snapshot as the engine's input columns: the inputs the
// programs read, each with its provenance (extract and line).
#pragma once

#include "eval/engine.hpp"
#include "population/batch.hpp"
#include "population/snapshot.hpp"

namespace proactif {

// What reading a snapshot for the programs set aside, as unknown: codes they
// do not know, and values outside their inputs' domains, as the situation
// and extract readers refuse them (a program may bound an input more
// narrowly than the extract's mapping did, and a snapshot file may have
// been changed); the first named by its extract, line and field.
struct SnapshotReading {
  size_t unknown_codes = 0, out_of_domain = 0;
  std::string first_out_of_domain;
  // What to tell the operator; empty when nothing was set aside.
  std::string summary() const;
};

// The snapshot's columns for the engine's inputs, read as of `date` (dates
// after it, or more than 150 years before, are outside their domain).
Batch batch_of_snapshot(const Snapshot& snap, const Engine& engine, Days date, SnapshotReading& reading);

}  // namespace proactif
