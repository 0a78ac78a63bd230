// proactif synth: writes a synthetic population's extracts for a real
// territory, with their mappings and the ground truth (see synth/).
#include <iostream>

#include "cli/commands.hpp"
#include "synth/synthesise.hpp"

namespace proactif {

int synth_command(const SynthArguments& args) {
  auto summary = synthesise(args.territory, args.households, args.seed, args.date, args.out);
  if (!summary) {
    std::cerr << "proactif synth: " << summary.error().message << "\n";
    return 2;
  }
  std::cout << *summary;
  return 0;
}

}  // namespace proactif
