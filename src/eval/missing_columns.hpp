// The missing inputs of every undetermined household of a chunk at once,
// found column-wise: the per-decision walk of trace.hpp reads one value of
// each register it passes, a cache miss each, for a third of households.
#pragma once

#include <cstdint>
#include <vector>

#include "eval/isa.hpp"
#include "eval/outcome.hpp"
#include "eval/workspace.hpp"

namespace proactif {

// For a household program whose chunk was just run: appends to `out`, in row
// order, the missing inputs of each chunk household h with traced[h] set
// (the same inputs as append_missing_inputs in trace.hpp finds), and adds
// their number to counts[h].
// Compiled with the executor, once per instruction set (eval/isa.hpp).
namespace PROACTIF_ISA {
void append_missing_inputs_of_chunk(const BoundPlan& bound, Workspace& ws, const uint8_t* traced,
                                    std::vector<MissingInput>& out, uint32_t* counts);
}  // namespace PROACTIF_ISA

}  // namespace proactif
