// A plan specialised to its parameters' values on an evaluation date: an
// `and` one of whose operands is false whatever the row, an `or` one of
// whose operands is true, a `not` or an `if` of such a value, become
// constants, and what only they read is dropped. A rule not yet in force
// (a presumption of the C2S before its date) then costs nothing per row.
// The values are those the plan as written would give, row by row.
#pragma once

#include <memory>
#include <vector>

#include "rules/plan.hpp"

namespace proactif {

// `values`: per register, its value where it is constant (Plan::constant),
// NaN (unknown) or anything elsewhere. Null when nothing folds.
std::shared_ptr<Plan> specialise(const Plan& plan, const std::vector<double>& values);

}  // namespace proactif
