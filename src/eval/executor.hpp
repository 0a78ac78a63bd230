// The interpreter of a bound plan: each instruction a loop over the rows of
// a chunk, in a workspace of columns. Compiled once per x86-64 level
// (eval/isa.hpp); the rest of Proactif calls bind, evaluate and run_chunk
// through eval/isa_dispatch.cpp (declared in bound_plan.hpp, outcome.hpp and
// workspace.hpp), the evaluation's own files call these in their level.
#pragma once

#include <cstddef>

#include "eval/isa.hpp"
#include "eval/workspace.hpp"

namespace proactif {
namespace PROACTIF_ISA {

// Columns for a chunk of this many households and persons, the constants
// filled once (a workspace grows, never shrinks).
void reserve(const BoundPlan& bound, Workspace& ws, size_t households, size_t persons);

// One instruction over the first n rows of the current chunk.
void execute(const BoundPlan& bound, Workspace& ws, const Instr& in, size_t n);

// As proactif::run_chunk (workspace.hpp), in this level.
void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1,
               bool every_register = false, Households next = {});

}  // namespace PROACTIF_ISA
}  // namespace proactif
