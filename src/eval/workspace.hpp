// Per-thread column buffers for one chunk of a batch. Input registers point
// into the batch; computed registers live here; constants are filled once.
#pragma once

#include <cstdint>
#include <vector>

#include "eval/bound_plan.hpp"
#include "population/batch.hpp"

namespace proactif {

struct Workspace {
  std::vector<std::vector<double>> values;
  std::vector<const double*> v;  // per register, for the current chunk
  size_t household_capacity = 0;
  size_t person_capacity = 0;
  // current chunk
  size_t h0 = 0, h1 = 0, p0 = 0, p1 = 0;
  std::vector<uint32_t> offsets;       // chunk-local person offsets, size households+1
  std::vector<uint32_t> household_of;  // chunk-local household of each person
  std::vector<uint8_t> flags;          // per household, scratch for aggregates

  double* out(int reg) { return values[static_cast<size_t>(reg)].data(); }
  double at(int reg, size_t row) const { return v[static_cast<size_t>(reg)][row]; }
};

// Runs every instruction of `bound` over households [h0, h1) of `batch`.
void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1);

}  // namespace proactif
