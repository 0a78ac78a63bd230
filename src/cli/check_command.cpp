#include <iostream>

#include "cli/commands.hpp"
#include "cli/program_catalog.hpp"

namespace proactif {

int check_command(const Args& args) {
  if (args.empty()) {
    std::cerr << "usage: proactif check <program id or file>...\n";
    return 2;
  }
  int status = 0;
  for (const auto& ref : args) {
    auto engine = load_engine({ref});
    if (!engine) {
      std::cerr << engine.error().message << "\n";
      status = 1;
      continue;
    }
    const Plan& plan = *(*engine)->plans[0];
    const Program& p = *plan.program;
    std::cout << p.id << ": " << p.title << " — " << p.inputs.size() << " inputs, " << p.params.size()
              << " parameters, " << p.variables.size() << " variables, " << plan.instrs.size()
              << " vector operations\n";
  }
  return status;
}

}  // namespace proactif
