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

// A parameter without a value on the date (before the benefit existed,
// after the last value known) is an error, unless `absent_is_unknown`: then
// it is unknown, as `unknown_when_absent` makes it, and the decisions that
// depend on it are undetermined, naming it (`evaluate` gives every
// situation its decision, CONTRACT.md). A scale without a bracket stays an
// error.
Result<BoundPlan> bind(const Plan& plan, Days date, const CodeTable& codes, bool absent_is_unknown = false);

}  // namespace proactif
