// The optimised plan must decide, compute, name missing inputs and explain
// exactly as the plan as written, on every real program.
#include <gtest/gtest.h>

#include <random>

#include "eval/decision_json.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

class PlanOptimiser : public ::testing::TestWithParam<const char*> {};

TEST_P(PlanOptimiser, SameDecisionsMissingInputsAndExplanationsAsThePlanAsWritten) {
  auto written = testing::compile_text(testing::read_program(GetParam()), "", false);
  auto optimised = testing::compile_text(testing::read_program(GetParam()), "", true);
  ASSERT_EQ(written->error, "");
  ASSERT_EQ(optimised->error, "");
  EXPECT_LE(optimised->plan->instrs.size(), written->plan->instrs.size());
  EXPECT_LE(optimised->plan->regs.size(), written->plan->regs.size());

  auto situations = testing::random_situations(*written, 2000, 5);
  EvalOptions options;
  options.explain = true;
  options.chunk_households = 64;
  auto a = testing::evaluate_json(*written, situations, options);
  auto b = testing::evaluate_json(*optimised, situations, options);
  ASSERT_EQ(a.lines.size(), b.lines.size());
  size_t statuses[3] = {0, 0, 0};
  for (size_t i = 0; i < a.lines.size(); ++i) {
    ASSERT_EQ(a.lines[i], b.lines[i]) << situations[i];
    ++statuses[static_cast<int>(a.outcome.status[i])];
  }
  // The draw reaches every status, so that the comparison covers them all.
  EXPECT_GT(statuses[0], 30u);
  EXPECT_GT(statuses[1], 30u);
  EXPECT_GT(statuses[2], 30u);
}

INSTANTIATE_TEST_SUITE_P(RealPrograms, PlanOptimiser,
                         ::testing::Values("c2s", "rsa", "grenoble-tag-solidaire", "brest-bibus-boursiers", "l1113-1"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

// What the real programs never give: an unknown key, a key within the
// tolerance of a case, cases that agree, a case repeated, a named variable
// inside a chain, a subexpression shared by two variables.
TEST(PlanOptimiser, UnknownKeysAgreeingCasesNamedTailsAndSharedSubexpressions) {
  const std::string program = R"(id: chains
title: Chains
authority: Test
algorithm_role: Test
inputs:
  k: {entity: household, type: number, unit: "1"}
  a: {entity: household, type: number, unit: EUR}
  b: {entity: household, type: number, unit: EUR}
  c: {entity: household, type: number, unit: EUR}
  flag: {entity: household, type: boolean}
  x: {entity: person, type: number, unit: EUR}
variables:
  tail:
    type: number
    unit: EUR
    formula: if k == 3 then c else if k == 4 then a else b
  chosen:
    type: number
    unit: EUR
    formula: if k == 1 then a else if 2 == k then b else tail
  same:
    type: number
    unit: EUR
    formula: if k == 1 then 100 else if k == 2 then 100 else 100
  tabled:
    type: number
    unit: EUR
    formula: if k == 1 then 10 else if k == 2 then 20 else if k == 1 then 30 else c
  shared:
    type: number
    unit: EUR
    formula: |
      sum(persons: x) + a
  twice:
    type: number
    unit: EUR
    formula: |
      (sum(persons: x) + a) * 2
eligibility:
  formula: chosen <= 1000 and (flag or twice < 5000)
result:
  amount: {type: number, unit: EUR, formula: chosen + same + shared + tabled}
)";
  auto written = testing::compile_text(program, "", false);
  auto optimised = testing::compile_text(program, "", true);
  ASSERT_EQ(written->error, "");
  ASSERT_EQ(optimised->error, "");
  size_t selects = 0;
  for (const Instr& in : optimised->plan->instrs) selects += in.op == Op::kSelect;
  EXPECT_EQ(selects, 4u);
  EXPECT_LT(optimised->plan->instrs.size(), written->plan->instrs.size());

  std::mt19937_64 rng(3);
  auto maybe = [&](std::string v) { return rng() % 4 == 0 ? std::string("null") : v; };
  // Whole keys, and keys near or between the cases' values.
  const char* keys[] = {"0", "1", "2", "3", "4", "5", "2.0000000001", "1.9999999999", "2.5", "-1", "17"};
  std::vector<std::string> situations;
  for (int i = 0; i < 2000; ++i) {
    std::string s = "{\"id\": \"h" + std::to_string(i) + "\", \"date\": \"2025-06-15\", \"household\": {\"k\": " +
                    maybe(keys[rng() % 11]) + ", \"a\": " + maybe(std::to_string(rng() % 3 * 600)) +
                    ", \"b\": " + maybe(std::to_string(rng() % 3 * 600)) + ", \"c\": " +
                    maybe(std::to_string(rng() % 3 * 600)) + ", \"flag\": " + maybe(rng() % 2 ? "true" : "false") +
                    "}, \"persons\": [";
    for (uint64_t p = 0, n = 1 + rng() % 3; p < n; ++p)
      s += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\", \"x\": " +
           maybe(std::to_string(rng() % 2000)) + "}";
    situations.push_back(s + "]}");
  }
  EvalOptions options;
  options.explain = true;
  auto a = testing::evaluate_json(*written, situations, options);
  auto b = testing::evaluate_json(*optimised, situations, options);
  size_t unknown_key_decided = 0;
  for (size_t i = 0; i < a.lines.size(); ++i) {
    ASSERT_EQ(a.lines[i], b.lines[i]) << situations[i];
    unknown_key_decided += situations[i].find("\"k\": null") != std::string::npos &&
                           a.outcome.status[i] != Status::kUndetermined;
  }
  EXPECT_GT(unknown_key_decided, 10u);  // cases that agree decide without the key
}

// The ceiling tables by household size are what the select lowering is for.
TEST(PlanOptimiser, LowersTheChainsOfEqualitiesOfTheC2sCeilings) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  size_t selects = 0;
  for (const Instr& in : c->plan->instrs) selects += in.op == Op::kSelect;
  EXPECT_GE(selects, 4u);  // the four ceiling tables, mainland and overseas
}

}  // namespace

}  // namespace proactif
