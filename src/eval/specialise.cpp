#include "eval/specialise.hpp"

#include <cmath>

#include "core/check.hpp"
#include "rules/plan_check.hpp"
#include "rules/plan_optimiser.hpp"

namespace proactif {

std::shared_ptr<Plan> specialise(const Plan& plan, const std::vector<double>& values) {
  // A known value per register: a constant that is not unknown.
  std::vector<double> known(plan.regs.size(), std::nan(""));
  for (size_t r = 0; r < plan.regs.size(); ++r)
    if (plan.constant[r]) known[r] = values[r];
  auto is = [&](int reg, double v) { return reg >= 0 && known[static_cast<size_t>(reg)] == v; };
  // Each folded instruction, as the constant it becomes with the constants
  // that settled it: the operand the explanation of the plan as written
  // would name (the first of two, as Relevance does in trace.cpp).
  std::vector<std::pair<size_t, Instr>> folds;
  for (size_t i = 0; i < plan.instrs.size(); ++i) {
    const Instr& in = plan.instrs[i];
    if (plan.constant[static_cast<size_t>(in.dest)]) continue;
    double v = std::nan("");
    int by = -1, and_by = -1;
    switch (in.op) {
      case Op::kAnd:
      case Op::kOr: {
        const double settles = in.op == Op::kOr ? 1 : 0;
        if (is(in.a, settles) || is(in.b, settles)) {
          v = settles;
          by = is(in.a, settles) ? in.a : in.b;
        }
        break;
      }
      case Op::kNot:
        if (is(in.a, 0) || is(in.a, 1)) v = is(in.a, 0) ? 1 : 0, by = in.a;
        break;
      case Op::kIf: {
        const int branch = is(in.a, 1) ? in.b : is(in.a, 0) ? in.c : -1;
        if (branch >= 0 && !std::isnan(known[static_cast<size_t>(branch)]))
          v = known[static_cast<size_t>(branch)], by = in.a, and_by = branch;
        break;
      }
      default: break;
    }
    if (std::isnan(v)) continue;
    known[static_cast<size_t>(in.dest)] = v;
    folds.emplace_back(i, Instr{Op::kConst, in.dest, by, and_by, -1, v, -1});
  }
  if (folds.empty()) return nullptr;
  auto out = std::make_shared<Plan>(plan);
  for (auto it = folds.rbegin(); it != folds.rend(); ++it) {
    out->instrs.erase(out->instrs.begin() + static_cast<std::ptrdiff_t>(it->first));
    out->constants.push_back(it->second);
  }
  settle_plan(*out);
  PROACTIF_CHECK(plan_defect(*out).empty());
  return out;
}

}  // namespace proactif
