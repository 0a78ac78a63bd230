// The program loader (YAML, includes, formulas, checker) on any file, with
// the real parameters: an error naming the file, or a program.
#include <cstdint>
#include <memory>

#include "core/data_paths.hpp"
#include "eval/engine.hpp"
#include "fuzz_support.hpp"
#include "rules/program_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto params = proactif::ParameterSet::load(proactif::programs_dir() + "/parameters");
  if (!params) return 0;
  // An error is a right answer to bad input: the fuzzer looks for crashes and leaks.
  (void)proactif::load_program(proactif::fuzz::write_input("program.yaml", data, size), *params);
  return 0;
}
