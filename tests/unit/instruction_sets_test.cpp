// A portable build compiles the evaluation's loops once per x86-64 level
// (eval/isa.hpp): each level must decide, compute, name missing inputs and
// explain exactly as the others, on every real program.
#include <gtest/gtest.h>

#include <algorithm>

#include "eval/decision_json.hpp"
#include "test_support.hpp"

namespace proactif {

#if defined(PROACTIF_MULTI_ISA)
namespace isa_v2 {
Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options);
}
namespace isa_v3 {
Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options);
}
namespace isa_v4 {
Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options);
}
#endif

class InstructionSets : public ::testing::TestWithParam<const char*> {};

TEST_P(InstructionSets, EveryLevelDecidesAsTheOneChosen) {
#if !defined(PROACTIF_MULTI_ISA)
  GTEST_SKIP() << "this build compiles the evaluation for one instruction set (PROACTIF_NATIVE or clang)";
#else
  auto compiled = testing::compile_text(testing::read_program(GetParam()));
  ASSERT_EQ(compiled->error, "");
  EvalOptions options;
  options.explain = true;
  options.chunk_households = 64;
  auto chosen = testing::evaluate_json(*compiled, testing::random_situations(*compiled, 3000, 9), options);
  auto bound = bind(*compiled->plan, chosen.batch.date, compiled->codes);
  ASSERT_TRUE(bound);
  using Evaluate = Outcome (*)(const BoundPlan&, const Batch&, const CodeTable&, const EvalOptions&);
  std::vector<std::pair<const char*, Evaluate>> levels{{"x86-64-v2", isa_v2::evaluate}};
  if (__builtin_cpu_supports("x86-64-v3")) levels.emplace_back("x86-64-v3", isa_v3::evaluate);
  if (__builtin_cpu_supports("x86-64-v4")) levels.emplace_back("x86-64-v4", isa_v4::evaluate);
  for (const auto& level : levels) {
    Outcome outcome = level.second(*bound, chosen.batch, compiled->codes, options);
    ASSERT_EQ(outcome.rows(), chosen.lines.size()) << level.first;
    for (size_t r = 0; r < outcome.rows(); ++r) {
      size_t h = r;
      const std::string* person = nullptr;
      if (outcome.entity == Entity::kPerson) {
        person = &chosen.batch.person_ids[r];
        h = static_cast<size_t>(std::upper_bound(chosen.batch.person_offsets.begin(), chosen.batch.person_offsets.end(),
                                                 static_cast<uint32_t>(r)) - chosen.batch.person_offsets.begin()) - 1;
      }
      std::string line;
      append_decision(line, chosen.batch.household_ids[h], person, *bound, chosen.batch, outcome, r, compiled->codes);
      ASSERT_EQ(line, chosen.lines[r]) << level.first << ", row " << r;
      ASSERT_EQ(outcome.explanations[r] != nullptr, chosen.outcome.explanations[r] != nullptr) << level.first;
    }
  }
#endif
}

INSTANTIATE_TEST_SUITE_P(RealPrograms, InstructionSets,
                         ::testing::Values("c2s", "rsa", "m-reso-solidaire", "brest-bibus-boursiers", "l1113-1"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace proactif
