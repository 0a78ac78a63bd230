// A plan with its parameters resolved at one evaluation date: the values in
// force that day, and where each comes from, for the explanation.
#pragma once

#include <memory>
#include <vector>

#include "core/result.hpp"
#include "rules/plan.hpp"

namespace proactif {

struct BoundPlan {
  const Plan* plan = nullptr;
  // The plan specialised to the parameters' values on the date, when some
  // of its operations fold into constants (eval/specialise.hpp): `plan`
  // then points to it.
  std::shared_ptr<const Plan> specialised;
  Days date = 0;
  std::vector<double> param_values;                 // per program parameter
  std::vector<std::vector<int32_t>> param_sets;     // code lists, sorted ids
  std::vector<std::vector<ScaleRow>> scales;        // scales
  std::vector<const DatedValue*> sources;           // value in force, per parameter
};

Result<BoundPlan> bind(const Plan& plan, Days date, const CodeTable& codes);

}  // namespace proactif
