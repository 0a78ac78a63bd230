// Per-thread column buffers for one chunk of a batch. Input registers point
// into the batch; computed registers live here; constants are filled once.
#pragma once

#include <cstdint>
#include <vector>

#include "eval/bound_plan.hpp"
#include "eval/outcome.hpp"
#include "population/batch.hpp"

namespace proactif {

// The order the last rank of a chunk found (kRank, household_aggregates.hpp):
// for each household of up to eight persons, which persons come up to
// which, for a running sum in the same order.
struct RankOrders {
  const double* filter = nullptr;
  const double* key = nullptr;
  size_t chunk_h0 = ~size_t{0};
  std::vector<uint64_t> order;  // per household: bit 8q+p, person q comes up to person p
  std::vector<uint8_t> gone;    // per household: bit p, person p's place unknown
};

struct Workspace {
  std::vector<std::vector<double>> values;
  std::vector<const double*> v;  // per register, for the current chunk
  size_t household_capacity = 0;
  size_t person_capacity = 0;
  // current chunk
  size_t h0 = 0, h1 = 0, p0 = 0, p1 = 0;
  std::vector<uint32_t> offsets;       // chunk-local person offsets, size households+1
  std::vector<uint32_t> large;         // the chunk's households of more than four persons, in order
  // Registers over persons have this many values past the last person, so
  // that a broadcast can write four persons of a household without a branch.
  static constexpr size_t kPersonPadding = 4;
  // Household registers have room for a keyed table's values by count (0 to
  // 64, then unknown) even in a smaller chunk.
  static constexpr size_t kKeyedRows = 66;
  // Scratch for aggregates: each person's term of a sum; each person's term
  // of a count, any or all as a byte (counted, and unsettled in bit 1),
  // with room for four past the last person; whether each household's is
  // unsettled.
  std::vector<double> terms;
  std::vector<uint8_t> terms_open, household_open;
  std::vector<double> ones;  // 1 for every person: the filter or value an aggregate leaves out
  std::vector<int> inputs_read;  // the input registers something reads, whose next chunk is prefetched
  // The column-wise missing-input pass (missing_columns.hpp): per register,
  // which rows need its unknown value, whether its flags are cleared for this
  // chunk, and whether any row of this chunk needs it.
  std::vector<std::vector<uint8_t>> need;
  std::vector<uint8_t> need_active, need_any;
  std::vector<uint8_t> need_scratch;
  std::vector<MissingInput> missing_scratch;
  std::vector<MissingInput> gap_scratch;  // formulas without a value (append_value_gaps)
  std::vector<std::vector<uint8_t>> parameter_needs;  // per parameter without a value: which households need it
  std::vector<uint32_t> traced_rows;
  // Keyed tables: the count's values in the chunk, a register's values by
  // count, and which registers are looked up per row.
  std::vector<double> keys, keyed_values;
  std::vector<uint8_t> looked_up;
  RankOrders rank_orders;

  double* out(int reg) { return values[static_cast<size_t>(reg)].data(); }
  double at(int reg, size_t row) const { return v[static_cast<size_t>(reg)][row]; }
};

// Households [first, last) of a batch.
struct Households {
  size_t first = 0, last = 0;
};

// Runs every instruction of `bound` over households [h0, h1) of `batch`.
// A keyed table's registers get a value per row only where something may
// read it (its outputs, and what leads to an unknown value), unless
// `every_register` is set, as an explanation needs. The inputs of `next`,
// the chunk this thread runs after, are fetched into the cache meanwhile.
void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1,
               bool every_register = false, Households next = {});

}  // namespace proactif
