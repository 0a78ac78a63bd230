// The optimised plan must decide, compute, name missing inputs and explain
// exactly as the plan as written, on every real program.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "eval/decision_json.hpp"
#include "rules/plan_check.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

size_t selects_in(const Plan& plan) {
  size_t selects = 0;
  for (const Instr& in : plan.instrs) selects += in.op == Op::kSelect;
  return selects;
}

class PlanOptimiser : public ::testing::TestWithParam<const char*> {};

TEST_P(PlanOptimiser, SameDecisionsMissingInputsAndExplanationsAsThePlanAsWritten) {
  auto written = testing::compile_text(testing::read_program(GetParam()), "", false);
  auto optimised = testing::compile_text(testing::read_program(GetParam()), "", true);
  ASSERT_EQ(written->error, "");
  ASSERT_EQ(optimised->error, "");
  EXPECT_LE(optimised->plan->instrs.size(), written->plan->instrs.size());
  EXPECT_LE(optimised->plan->regs.size(), written->plan->regs.size());

  auto situations = testing::random_situations(*written, 3000, 5);
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
                         ::testing::Values("c2s", "rsa", "m-reso-solidaire", "brest-bibus-boursiers", "l1113-1"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

// Specialised to the parameters in force on a date, a plan decides, computes,
// names missing inputs and explains as the plan as bound without it: the
// C2S on dates before and after each of its presumptions comes into force
// (the other programs have no rule that a date turns off).
TEST(Specialise, SameDecisionsMissingInputsAndExplanationsAsThePlanUnspecialised) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  const auto drawn = testing::random_situations(*c, 1500, 9);
  size_t specialised = 0;
  for (const char* date : {"2023-06-15", "2024-03-01", "2024-09-01", "2025-06-15", "2026-09-01"}) {
    std::vector<std::string> situations = drawn;
    for (auto& s : situations) s.replace(s.find("2025-06-15"), 10, date);
    EvalOptions options;
    options.explain = true;
    options.chunk_households = 64;
    auto e = testing::evaluate_json(*c, situations, options);  // bound, and specialised where something folds
    auto bound = bind(*c->plan, e.batch.date, c->codes);
    ASSERT_TRUE(bound) << bound.error().message;
    specialised += bound->specialised != nullptr;
    BoundPlan as_written = *bound;
    as_written.specialised = nullptr;
    as_written.plan = c->plan.get();
    Outcome o = evaluate(as_written, e.batch, c->codes, options);
    ASSERT_EQ(o.status.size(), e.outcome.status.size());
    for (size_t r = 0; r < o.status.size(); ++r) {
      std::string line;
      append_decision(line, e.batch.household_ids[r], nullptr, as_written, e.batch, o, r, c->codes);
      ASSERT_EQ(line, e.lines[r]) << date << ": " << situations[r];
      std::string a, b;
      append_explanation_json(a, *o.explanations[r]);
      append_explanation_json(b, *e.outcome.explanations[r]);
      ASSERT_EQ(a, b) << date << ": " << situations[r];
    }
  }
  // Most of these dates fold something, or the comparison tests nothing.
  EXPECT_GE(specialised, 3u);
}

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
      sum(all_persons: x) + a
  twice:
    type: number
    unit: EUR
    formula: |
      (sum(all_persons: x) + a) * 2
eligibility:
  formula: chosen <= 1000 and (flag or twice < 5000)
result:
  amount: {type: number, unit: EUR, formula: chosen + same + shared + tabled}
)";
  auto written = testing::compile_text(program, "", false);
  auto optimised = testing::compile_text(program, "", true);
  ASSERT_EQ(written->error, "");
  ASSERT_EQ(optimised->error, "");
  EXPECT_EQ(selects_in(*optimised->plan), 4u);
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

// The plan without its keyed tables: every instruction over every row.
void drop_keyed_tables(Plan& plan) {
  plan.keyed.clear();
  plan.keyed_of.assign(plan.instrs.size(), -1);
}

// Decisions, missing inputs and explanations with keyed tables and without,
// in chunks of 7 (smaller than a table) and of the default size.
void expect_same_without_keyed_tables(testing::Compiled& c, const std::vector<std::string>& situations) {
  ASSERT_FALSE(c.plan->keyed.empty());
  for (bool explain : {false, true})
    for (size_t chunk : {size_t{7}, EvalOptions{}.chunk_households}) {
      EvalOptions options;
      options.explain = explain;
      options.chunk_households = chunk;
      Plan keyed = *c.plan;
      auto with = testing::evaluate_json(c, situations, options);
      drop_keyed_tables(*c.plan);
      auto without = testing::evaluate_json(c, situations, options);
      *c.plan = keyed;
      ASSERT_EQ(with.lines.size(), without.lines.size());
      for (size_t i = 0; i < with.lines.size(); ++i) ASSERT_EQ(with.lines[i], without.lines[i]) << situations[i];
    }
}

// The RSA's amounts depend on the commune (Mayotte's are its own): what
// depends on the household's size alone is in the C2S's ceilings and the
// flat rates the C2S and L1113-1 share.
TEST(PlanOptimiser, KeyedTablesDecideAsEveryInstructionOverEveryRow) {
  for (const char* id : {"c2s", "l1113-1"}) {
    auto c = testing::compile_text(testing::read_program(id));
    ASSERT_EQ(c->error, "");
    expect_same_without_keyed_tables(*c, testing::random_situations(*c, 2000, 8));
  }
}

// What the real programs never give: a value unknown for one household size
// (a division by zero), a count that is unknown (its filter is), households
// larger than a table holds, a value unknown whatever the count (`never`)
// whose known operand (`same`) still leads back to an unknown count.
TEST(PlanOptimiser, KeyedTablesWithUnknownValuesUnknownCountsAndLargeHouseholds) {
  const std::string program = R"(id: sizes
title: Sizes
authority: Test
algorithm_role: Test
inputs:
  income: {entity: household, type: number, unit: EUR}
  student: {entity: person, type: boolean}
variables:
  size:
    type: number
    unit: "1"
    formula: count(all_persons)
  share:
    type: number
    unit: EUR
    formula: 1200 [EUR] / (size - 2)
  students:
    type: number
    unit: "1"
    formula: count(all_persons where student)
  bonus:
    type: number
    unit: EUR
    formula: if students == 1 then 100 [EUR] else if students == 2 then 150 [EUR] else 200 [EUR] + students * 10 [EUR]
  same:
    type: number
    unit: EUR
    formula: if students == 1 then 5 [EUR] else 2 [EUR] + 3 [EUR]
  never:
    type: number
    unit: EUR
    formula: same + 1 [EUR] / 0
eligibility:
  formula: income < share * 10 or income < bonus * 20
result:
  amount: {type: number, unit: EUR, formula: share}
  never: {type: number, unit: EUR, formula: never}
)";
  auto c = testing::compile_text(program);
  ASSERT_EQ(c->error, "");
  ASSERT_EQ(c->plan->keyed.size(), 2u);
  std::mt19937_64 rng(9);
  std::vector<std::string> situations;
  // Large households in the first chunks only, so that the other chunks
  // have more households than their tables have counts.
  for (int i = 0; i < 3000; ++i) {
    uint64_t persons = i < 200 && i % 50 == 0 ? 65 + rng() % 10 : 1 + rng() % 6;
    std::string s = "{\"id\": \"h" + std::to_string(i) + "\", \"date\": \"2025-06-15\", \"household\": {\"income\": " +
                    (rng() % 8 == 0 ? std::string("null") : std::to_string(rng() % 6000)) + "}, \"persons\": [";
    for (uint64_t p = 0; p < persons; ++p) {
      const char* student = rng() % 10 == 0 ? "null" : rng() % 3 == 0 ? "true" : "false";
      s += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\", \"student\": " + student + "}";
    }
    situations.push_back(s + "]}");
  }
  expect_same_without_keyed_tables(*c, situations);
}

// A chain longer than a select holds is cut into several selects, which
// decide and name missing inputs as the chain as written.
TEST(PlanOptimiser, ChainsLongerThanASelectHolds) {
  std::string chain;
  for (int k = 1; k <= 600; ++k) chain += "if k == " + std::to_string(k) + " then " + std::to_string(k) + " [EUR] else ";
  const std::string program = "id: long\ntitle: Long\nauthority: Test\nalgorithm_role: Test\ninputs:\n"
                              "  k: {entity: household, type: number, unit: \"1\"}\n"
                              "  a: {entity: household, type: number, unit: EUR}\n"
                              "eligibility:\n  formula: (" + chain + "a) < 300 [EUR]\n"
                              "result:\n  amount:\n    type: number\n    unit: EUR\n    formula: " + chain + "a\n";
  auto written = testing::compile_text(program, "", false);
  auto optimised = testing::compile_text(program, "", true);
  ASSERT_EQ(written->error, "");
  ASSERT_EQ(optimised->error, "");
  EXPECT_GE(selects_in(*optimised->plan), 3u);
  std::vector<std::string> situations;
  for (int i = 0; i < 700; ++i) {
    std::string k = i % 7 == 0 ? "null" : std::to_string(i);
    std::string a = i % 5 == 0 ? "null" : std::to_string(i % 400);
    situations.push_back("{\"id\": \"h" + std::to_string(i) + "\", \"date\": \"2025-06-15\", \"household\": {\"k\": " + k +
                         ", \"a\": " + a + "}, \"persons\": [{\"id\": \"p\"}]}");
  }
  auto a = testing::evaluate_json(*written, situations);
  auto b = testing::evaluate_json(*optimised, situations);
  for (size_t i = 0; i < a.lines.size(); ++i) ASSERT_EQ(a.lines[i], b.lines[i]) << situations[i];
}

// The ceiling tables by household size are what the select lowering is for.
TEST(PlanOptimiser, LowersTheChainsOfEqualitiesOfTheC2sCeilings) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  EXPECT_GE(selects_in(*c->plan), 4u);  // the four ceiling tables, mainland and overseas
}

}  // namespace

}  // namespace proactif

namespace proactif {

// The invariants the executor relies on hold for every real program, and a
// plan that breaks one is named for what it breaks.
TEST(PlanCheck, RealProgramsKeepTheInvariantsAndABrokenPlanIsNamed) {
  for (const char* id : {"c2s", "rsa", "m-reso-solidaire", "brest-bibus-boursiers", "l1113-1"}) {
    auto compiled = testing::compile_text(testing::read_program(id), "", true);
    ASSERT_EQ(compiled->error, "") << id;
    EXPECT_EQ(plan_defect(*compiled->plan), "") << id;
  }
  auto compiled = testing::compile_text(testing::read_program("rsa"), "", false);
  ASSERT_EQ(compiled->error, "");
  Plan aliased = *compiled->plan;
  auto binary = std::find_if(aliased.instrs.begin(), aliased.instrs.end(), [](const Instr& in) { return in.b >= 0; });
  ASSERT_NE(binary, aliased.instrs.end());
  binary->b = binary->dest;
  EXPECT_NE(plan_defect(aliased).find("must not alias"), std::string::npos) << plan_defect(aliased);
  // An instruction moved before the one computing what it reads.
  Plan reordered = *compiled->plan;
  auto reader = std::find_if(reordered.instrs.begin() + 1, reordered.instrs.end(), [&](const Instr& in) {
    return in.a >= 0 && reordered.producer[static_cast<size_t>(in.a)] >= 0;
  });
  ASSERT_NE(reader, reordered.instrs.end());
  const int producer = reordered.producer[static_cast<size_t>(reader->a)];
  std::swap(reordered.instrs[static_cast<size_t>(producer)], *reader);
  EXPECT_NE(plan_defect(reordered).find("before it is written"), std::string::npos) << plan_defect(reordered);
}

}  // namespace proactif
