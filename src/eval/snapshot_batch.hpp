// A population snapshot as the engine's input columns: the inputs the
// programs read, each with its provenance (extract and line).
#pragma once

#include "eval/engine.hpp"
#include "population/batch.hpp"
#include "population/snapshot.hpp"

namespace proactif {

// A code the programs do not know becomes unknown, and is counted in `unknown_codes`.
Batch batch_of_snapshot(const Snapshot& snap, const Engine& engine, size_t& unknown_codes);

}  // namespace proactif
