// The missing inputs of household programs are found column-wise for a whole
// chunk (missing_columns.cpp); the per-decision walk (trace.cpp) states the
// rule. Both must name the same inputs for every decision.
#include <gtest/gtest.h>

#include <algorithm>

#include "eval/missing_columns.hpp"
#include "eval/trace.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

// Every branch of the walk: `if` with a known and an unknown condition,
// selects by table and by chain with known and unknown keys, each aggregate
// with and without a filter, broadcasts, and/or. Each branch has inputs of
// its own, so that a mistake in one is not hidden by another reaching them.
const char* kBranches = R"(id: branches
title: Branches
authority: Test
algorithm_role: Test
inputs:
  a: {entity: household, type: number, unit: EUR}
  b: {entity: household, type: number, unit: EUR}
  c: {entity: household, type: number, unit: EUR}
  d: {entity: household, type: number, unit: EUR}
  flag: {entity: household, type: boolean}
  owner: {entity: household, type: boolean}
  x: {entity: person, type: number, unit: EUR}
  z: {entity: person, type: number, unit: EUR}
  adult: {entity: person, type: boolean}
  student: {entity: person, type: boolean}
  disabled: {entity: person, type: boolean}
  carer: {entity: person, type: boolean}
  worker: {entity: person, type: boolean}
  insured: {entity: person, type: boolean}
variables:
  students:
    type: number
    unit: "1"
    formula: count(all_persons where student)
  tabled:
    type: number
    unit: EUR
    formula: if students == 1 then 100 else if students == 2 then 200 else if students == 3 then 300 else 400
  chained:
    type: number
    unit: EUR
    formula: if students == 1 then a else if students == 2 then b else 0
  adults_income:
    type: number
    unit: EUR
    formula: |
      sum(all_persons where adult: x)
  some_carer:
    type: boolean
    formula: |
      any(all_persons where disabled: carer)
  all_insured:
    type: boolean
    formula: |
      all(all_persons where worker: insured)
  share:
    entity: person
    type: number
    unit: EUR
    formula: if owner then z + c else z - d
  shares:
    type: number
    unit: EUR
    formula: |
      sum(all_persons: share)
eligibility:
  formula: |
    (flag or tabled + adults_income < 2000) and (some_carer or not all_insured)
    and chained <= 1000 and shares < 5000
result:
  amount: {type: number, unit: EUR, formula: if flag then tabled else chained + shares}
)";

// The per-decision walk over every decision the executor traces.
std::vector<std::vector<MissingInput>> walked(const testing::Compiled& c, const Batch& batch, size_t chunk) {
  auto bound = bind(*c.plan, batch.date, c.codes);
  EXPECT_TRUE(bound);
  // The registers of the plan as run on the date, specialised or not.
  const Plan& plan = *bound->plan;
  std::vector<std::vector<MissingInput>> out(batch.households());
  Workspace ws;
  for (size_t h0 = 0; h0 < batch.households(); h0 += chunk) {
    size_t h1 = std::min(batch.households(), h0 + chunk);
    run_chunk(*bound, batch, ws, h0, h1);
    for (size_t h = h0; h < h1; ++h) {
      double eligible = ws.at(plan.eligible_reg, h - h0);
      Status s = !is_known(eligible) ? Status::kUndetermined : eligible != 0 ? Status::kEligible : Status::kIneligible;
      bool traced = s == Status::kUndetermined;
      for (int reg : plan.result_regs) traced |= s == Status::kEligible && !is_known(ws.at(reg, h - h0));
      if (traced) append_missing_inputs(*bound, ws, h, h - h0, s, out[h]);
    }
  }
  return out;
}

bool before(const MissingInput& x, const MissingInput& y) {
  return x.input != y.input ? x.input < y.input : x.person < y.person;
}

void expect_same_as_the_walk(const std::string& program, size_t situations) {
  auto c = testing::compile_text(program);
  ASSERT_EQ(c->error, "");
  for (size_t chunk : {7, 64, 256}) {
    EvalOptions options;
    options.chunk_households = chunk;
    auto e = testing::evaluate_json(*c, testing::random_situations(*c, situations, 11), options);
    auto expected = walked(*c, e.batch, chunk);
    size_t undetermined = 0, named = 0;
    for (size_t h = 0; h < e.batch.households(); ++h) {
      auto got = e.outcome.missing_of(h);
      std::vector<MissingInput> sorted(got.begin(), got.end());
      std::sort(sorted.begin(), sorted.end(), before);
      std::sort(expected[h].begin(), expected[h].end(), before);
      ASSERT_EQ(sorted.size(), expected[h].size()) << "household " << h << ", chunks of " << chunk;
      for (size_t i = 0; i < sorted.size(); ++i) {
        EXPECT_EQ(sorted[i].input, expected[h][i].input) << "household " << h;
        EXPECT_EQ(sorted[i].person, expected[h][i].person) << "household " << h;
      }
      undetermined += e.outcome.status[h] == Status::kUndetermined;
      named += sorted.size();
      // An undetermined decision always says what it waits for.
      EXPECT_TRUE(e.outcome.status[h] != Status::kUndetermined || !sorted.empty()) << "household " << h;
    }
    // Enough undetermined decisions, each waiting for something, for the
    // comparison to mean something.
    EXPECT_GT(undetermined, situations / 10);
    EXPECT_GE(named, undetermined);
  }
}

}  // namespace

// Formulas that give no value though what they read is known: an age below
// a scale's first bracket, the least of the values of nobody. Where no input
// is missing, the decision names them, column-wise as the walk does; where
// an input is missing, the input.
TEST(MissingInputs, AFormulaWithoutAValueIsNamedWhenNoInputIsMissing) {
  const std::string program = R"yaml(id: gaps
title: Gaps
authority: Test
algorithm_role: Test
parameters:
  par_age:
    path: prestations_sociales.solidarite_insertion.complementaire_sante_solidaire.participation.par_age
    unit: EUR/month
    threshold_unit: year
    bounds: "[lower, upper)"
inputs:
  age: {entity: person, type: number, unit: year}
  pays: {entity: person, type: boolean}
  ceiling: {entity: household, type: number, unit: EUR/month}
variables:
  share: {entity: person, type: number, unit: EUR/month, formula: "bracket(age, par_age)"}
  least:
    type: number
    unit: EUR/month
    formula: |
      min(all_persons where pays: share)
eligibility:
  formula: least < ceiling
result:
  total:
    type: number
    unit: EUR/month
    formula: |
      sum(all_persons: share)
)yaml";
  auto c = testing::compile_text(program);
  ASSERT_EQ(c->error, "");
  auto household = [](const std::string& id, const std::string& ceiling, const std::string& persons) {
    return R"({"id": ")" + id + R"(", "date": "2025-06-15", "household": {"ceiling": )" + ceiling +
           R"(}, "persons": [)" + persons + "]}";
  };
  const std::vector<std::string> situations = {
      household("newborn", "100", R"({"id": "p1", "age": 40, "pays": true}, {"id": "p2", "age": -1, "pays": false})"),
      household("nobody", "100", R"({"id": "p1", "age": 40, "pays": false})"),
      household("and a ceiling unknown", "null", R"({"id": "p1", "age": -1, "pays": true})"),
      household("decided", "100", R"({"id": "p1", "age": 40, "pays": true})"),
  };
  for (size_t chunk : {1, 64}) {
    EvalOptions options;
    options.chunk_households = chunk;
    auto e = testing::evaluate_json(*c, situations, options);
    EXPECT_NE(e.lines[0].find(R"("status": "undetermined", "result": {}, "missing": ["persons.p2.share: its formula gives no value for these data"])"),
              std::string::npos) << e.lines[0];
    EXPECT_NE(e.lines[1].find(R"("missing": ["household.least: its formula gives no value for these data"])"),
              std::string::npos) << e.lines[1];
    EXPECT_NE(e.lines[2].find(R"("missing": ["household.ceiling"])"), std::string::npos) << e.lines[2];
    EXPECT_NE(e.lines[3].find(R"("status": "eligible", "result": {"total": 14}, "missing": [])"), std::string::npos)
        << e.lines[3];
    auto expected = walked(*c, e.batch, chunk);
    for (size_t h = 0; h < situations.size(); ++h) {
      auto got = e.outcome.missing_of(h);
      ASSERT_EQ(got.size(), expected[h].size()) << situations[h];
      for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].input, expected[h][i].input) << situations[h];
    }
  }
}

TEST(MissingInputs, ColumnWiseAsTheWalkOnTheC2s) { expect_same_as_the_walk(testing::read_program("c2s"), 3000); }

TEST(MissingInputs, ColumnWiseAsTheWalkOnTheRsa) { expect_same_as_the_walk(testing::read_program("rsa"), 3000); }

TEST(MissingInputs, ColumnWiseAsTheWalkOnEveryBranch) { expect_same_as_the_walk(kBranches, 3000); }

}  // namespace proactif
