#include <iostream>

#include "cli/commands.hpp"
#include "eval/engine.hpp"

namespace proactif {

int check_command(const std::vector<std::string>& programs) {
  int status = 0;
  for (const auto& ref : programs) {
    auto engine = load_engine({ref});
    if (!engine) {
      std::cerr << engine.error().message << "\n";
      status = 1;
      continue;
    }
    const Plan& plan = *(*engine)->plans[0];
    const Program& p = *plan.program;
    size_t per_household = 0, per_person = 0;
    for (const Instr& in : plan.instrs) {
      if (plan.constant[static_cast<size_t>(in.dest)]) continue;
      (plan.regs[static_cast<size_t>(in.dest)].entity == Entity::kHousehold ? per_household : per_person) += 1;
    }
    std::cout << p.id << ": " << p.title << " — " << p.inputs.size() << " inputs, " << p.params.size()
              << " parameters, " << p.variables.size() << " variables; " << per_household
              << " vector operations over households and " << per_person << " over persons\n";
  }
  return status;
}

}  // namespace proactif
