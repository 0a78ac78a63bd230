// A person whose foyer is not settled (its membership unknown, or a minor
// left out, not decided alone) may still be decided where the dwelling
// settles it: a fare's territory is the same for every foyer living there.
#pragma once

#include "eval/workspace.hpp"
#include "rules/plan.hpp"

namespace proactif {

// Whether a condition of the eligibility that reads only the dwelling
// (Plan::dwelling_conditions) is certainly not met for chunk-local
// `household` (or `person`, for a condition computed per person): nobody
// living there is eligible, whatever foyer they belong to.
inline bool dwelling_excludes(const Plan& plan, const Workspace& ws, size_t household, size_t person) {
  for (const auto& [variable, negated] : plan.dwelling_conditions) {
    const int reg = plan.variable_regs[static_cast<size_t>(variable)];
    const double met = ws.at(reg, plan.regs[static_cast<size_t>(reg)].entity == Entity::kHousehold ? household : person);
    if (met == (negated ? 1.0 : 0.0)) return true;
  }
  return false;
}

}  // namespace proactif
