// Rewrites a compiled plan into a cheaper one that computes the same values.
#pragma once

#include "rules/plan.hpp"

namespace proactif {

// Fills the plan's producer and constant tables from its instructions.
void index_plan(Plan& plan);

// - The same operation on the same operands is computed once
//   (`departement(commune)` in two variables, a bracket read in two formulas).
// - A chain `if k == v1 then x1 else if k == v2 then x2 else y` on one key
//   becomes one select: a pass per case over the rows instead of a
//   comparison and a choice per case (the ceiling tables by household size).
// - What no variable, result or fallback reads is dropped, and the registers
//   are renumbered so that the working set of a chunk stays small.
// - What depends only on a count of persons and constants (the ceilings by
//   household size) is grouped into a keyed table, which the executor
//   computes once per household size in a chunk.
// Registers that hold a variable, a result or a fallback are never merged,
// so that explanations (which list the variables a decision depended on)
// and missing inputs are exactly those of the plan as written.
void optimise_plan(Plan& plan);

// After a plan's operations were replaced by constants (at an evaluation
// date, see eval/specialise.hpp): what nothing reads any more is dropped,
// and the plan indexed and its keyed tables found again.
void settle_plan(Plan& plan);

}  // namespace proactif
