#include "eval/specialise.hpp"

#include <cmath>

#include "rules/plan_optimiser.hpp"

namespace proactif {

std::shared_ptr<Plan> specialise(const Plan& plan, const std::vector<double>& values) {
  // A known value per register: a constant that is not unknown.
  std::vector<double> known(plan.regs.size(), std::nan(""));
  for (size_t r = 0; r < plan.regs.size(); ++r)
    if (plan.constant[r]) known[r] = values[r];
  auto is = [&](int reg, double v) { return reg >= 0 && known[static_cast<size_t>(reg)] == v; };
  std::vector<std::pair<size_t, double>> folds;  // instruction, value
  for (size_t i = 0; i < plan.instrs.size(); ++i) {
    const Instr& in = plan.instrs[i];
    if (plan.constant[static_cast<size_t>(in.dest)]) continue;
    double v = std::nan("");
    switch (in.op) {
      case Op::kAnd: if (is(in.a, 0) || is(in.b, 0)) v = 0; break;
      case Op::kOr: if (is(in.a, 1) || is(in.b, 1)) v = 1; break;
      case Op::kNot: if (is(in.a, 0) || is(in.a, 1)) v = is(in.a, 0) ? 1 : 0; break;
      case Op::kIf: {
        const int branch = is(in.a, 1) ? in.b : is(in.a, 0) ? in.c : -1;
        if (branch >= 0 && !std::isnan(known[static_cast<size_t>(branch)])) v = known[static_cast<size_t>(branch)];
        break;
      }
      default: break;
    }
    if (std::isnan(v)) continue;
    known[static_cast<size_t>(in.dest)] = v;
    folds.emplace_back(i, v);
  }
  if (folds.empty()) return nullptr;
  auto out = std::make_shared<Plan>(plan);
  for (auto it = folds.rbegin(); it != folds.rend(); ++it) {
    Instr folded = out->instrs[it->first];
    folded = {Op::kConst, folded.dest, -1, -1, -1, it->second, -1};
    out->instrs.erase(out->instrs.begin() + static_cast<std::ptrdiff_t>(it->first));
    out->constants.push_back(folded);
  }
  settle_plan(*out);
  return out;
}

}  // namespace proactif
