// Three-valued evaluation: unknown inputs propagate as Kleene logic says,
// aggregates over persons follow the same rule, the missing inputs named are
// the ones that matter, and results do not depend on threads or chunking.
#include <gtest/gtest.h>

#include <random>

#include "core/value_domain.hpp"
#include "eval/decision_json.hpp"
#include "eval/explanation_json.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

constexpr const char* kLogic = R"(id: logic
title: Logic
authority: Test
algorithm_role: Test
inputs:
  a: {entity: household, type: boolean}
  b: {entity: household, type: boolean}
  role: {entity: person, type: code, values: [applicant, spouse, child, other]}
  x: {entity: person, type: number, unit: EUR}
  ok: {entity: person, type: boolean}
eligibility:
  formula: a or b
result:
  a_and_b: {type: boolean, always: true, formula: a and b}
  a_or_b: {type: boolean, always: true, formula: a or b}
  not_a: {type: boolean, always: true, formula: not a}
  same_branches: {type: number, unit: EUR, always: true, formula: if a then 5 else 5}
  sum_children:
    type: number
    unit: EUR
    always: true
    formula: |
      sum(all_persons where role == "child": x)
  count_children:
    type: number
    unit: "1"
    always: true
    formula: |
      count(all_persons where role == "child")
  any_ok:
    type: boolean
    always: true
    formula: |
      any(all_persons: ok)
  all_ok:
    type: boolean
    always: true
    formula: |
      all(all_persons: ok)
)";

std::string value(const std::string& v) { return v == "unknown" ? "null" : v; }

std::string household(const std::string& a, const std::string& b) {
  return R"({"id": "h", "date": "2025-06-15", "household": {"a": )" + value(a) + ", \"b\": " + value(b) +
         R"(}, "persons": [{"id": "p1", "role": "applicant"}]})";
}

}  // namespace

TEST(Evaluation, KleeneTruthTables) {
  auto c = testing::compile_text(kLogic);
  ASSERT_EQ(c->error, "");
  const char* values[] = {"true", "false", "unknown"};
  // Expected Kleene results for `and` and `or`, rows a, columns b.
  const char* and_table[3][3] = {{"true", "false", "null"}, {"false", "false", "false"}, {"null", "false", "null"}};
  const char* or_table[3][3] = {{"true", "true", "true"}, {"true", "false", "null"}, {"true", "null", "null"}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      auto e = testing::evaluate_json(*c, {household(values[i], values[j])});
      const std::string& line = e.lines[0];
      EXPECT_NE(line.find(std::string("\"a_and_b\": ") + and_table[i][j]), std::string::npos) << line;
      EXPECT_NE(line.find(std::string("\"a_or_b\": ") + or_table[i][j]), std::string::npos) << line;
      // An if whose branches agree does not need its condition.
      EXPECT_NE(line.find("\"same_branches\": 5"), std::string::npos) << line;
    }
  }
}

// known(x) is never unknown, so that a bound the law gives is read only
// where the value is not known; an eligibility resting on it names nothing
// missing, and a bound that does not settle leaves the decision waiting for
// the value.
TEST(Evaluation, KnownTellsWhetherAValueIsKnown) {
  auto c = testing::compile_text(R"(id: bound
title: Bound
authority: Test
algorithm_role: Test
inputs:
  n: {entity: household, type: number, unit: EUR}
  d: {entity: person, type: date}
eligibility:
  formula: n <= 10 or (not known(n) and 0 <= 10)
result:
  n_known: {type: boolean, always: true, formula: known(n)}
  some_date_known:
    type: boolean
    always: true
    formula: |
      any(all_persons: known(d))
)");
  ASSERT_EQ(c->error, "");
  auto situation = [](const std::string& n, const std::string& d) {
    return R"({"id": "h", "date": "2025-06-15", "household": {"n": )" + n + R"(}, "persons": [{"id": "p1", "d": )" + d + "}]}";
  };
  auto e = testing::evaluate_json(*c, {situation("5", "\"2001-01-01\""), situation("null", "null"), situation("0", "null"),
                                       situation("20", "null")});
  EXPECT_NE(e.lines[0].find("\"n_known\": true, \"some_date_known\": true"), std::string::npos) << e.lines[0];
  EXPECT_NE(e.lines[1].find("\"n_known\": false, \"some_date_known\": false"), std::string::npos) << e.lines[1];
  EXPECT_NE(e.lines[1].find("\"status\": \"eligible\""), std::string::npos) << e.lines[1];
  EXPECT_NE(e.lines[1].find("\"missing\": []"), std::string::npos) << e.lines[1];
  EXPECT_NE(e.lines[2].find("\"n_known\": true, \"some_date_known\": false"), std::string::npos) << e.lines[2];
  EXPECT_NE(e.lines[3].find("\"status\": \"ineligible\""), std::string::npos) << e.lines[3];
}

// A stored explanation keeps why each person was left out of the foyer;
// one stored before it was kept still reads.
TEST(Evaluation, AStoredExplanationKeepsWhyAPersonIsNotCounted) {
  Explanation e;
  e.foyer.push_back({"Foyer", "CASF R262-3", {"p1"}, {"p2", "p3"}, {}, {{"p2", "25 ans ou plus « à part » (CASF R262-3)"}}});
  std::string json;
  append_explanation_json(json, e);
  auto read = explanation_from_json(json);
  ASSERT_TRUE(read) << read.error().message << "\n" << json;
  ASSERT_EQ(read->foyer.size(), 1u);
  EXPECT_EQ(read->foyer[0].not_counted, (std::vector<std::string>{"p2", "p3"}));
  ASSERT_EQ(read->foyer[0].why_not_counted.size(), 1u);
  EXPECT_EQ(read->foyer[0].why_not_counted[0].first, "p2");
  EXPECT_EQ(read->foyer[0].why_not_counted[0].second, "25 ans ou plus « à part » (CASF R262-3)");
  const size_t at = json.find(", \"why_not_counted\"");
  ASSERT_NE(at, std::string::npos) << json;
  std::string before = json;
  before.erase(at, json.find('}', at) + 1 - at);
  auto old = explanation_from_json(before);
  ASSERT_TRUE(old) << old.error().message << "\n" << before;
  EXPECT_EQ(old->foyer[0].not_counted, (std::vector<std::string>{"p2", "p3"}));
  EXPECT_TRUE(old->foyer[0].why_not_counted.empty());
}

// The store keeps, of a person the foyer leaves out, only the data that
// left them out: their income, read with the household's, is not this
// decision's (an auditor found a son's income kept with his parents' C2S).
TEST(Evaluation, AKeptExplanationHoldsOfAPersonLeftOutOnlyWhatLeftThemOut) {
  Explanation e;
  e.foyer.push_back({"Foyer", "CSS R861-2", {"p1"}, {"p2"}, {}, {{"p2", "25 ans ou plus : un foyer à part (CSS R861-2)"}}});
  e.data = {{"persons.p1.resources_12m", "Ressources", "9000", "DGFiP", true},
            {"persons.p1.worked_3m", "Activité", "true", "DRM", false},
            {"persons.p2.birth_date", "Date de naissance", "\"1997-11-09\"", "CAF", true},
            {"persons.p2.resources_12m", "Ressources", "6739", "DGFiP", false},
            {"persons.p22.resources_12m", "Ressources", "0", "DGFiP", false}};
  std::string json;
  append_kept_explanation_json(json, e);
  auto kept = explanation_from_json(json);
  ASSERT_TRUE(kept) << kept.error().message << "\n" << json;
  std::vector<std::string> names;
  for (const ExplainedDatum& d : kept->data) names.push_back(d.name);
  // The members' data stay, used or not; a person whose id begins with
  // another's is not taken for them.
  EXPECT_EQ(names, (std::vector<std::string>{"persons.p1.resources_12m", "persons.p1.worked_3m", "persons.p2.birth_date",
                                             "persons.p22.resources_12m"}));
  EXPECT_EQ(kept->foyer[0].why_not_counted.size(), 1u);
}

TEST(Evaluation, UndeterminedNamesOnlyTheInputsThatMatter) {
  auto c = testing::compile_text(R"(id: either
title: Either
authority: Test
algorithm_role: Test
inputs:
  a: {entity: household, type: boolean}
  b: {entity: household, type: boolean}
eligibility:
  formula: a or b
)");
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(*c, {household("unknown", "unknown"), household("unknown", "true"),
                                      household("false", "unknown")});
  EXPECT_NE(e.lines[0].find("\"status\": \"undetermined\""), std::string::npos);
  EXPECT_NE(e.lines[0].find("\"missing\": [\"household.a\", \"household.b\"]"), std::string::npos) << e.lines[0];
  EXPECT_NE(e.lines[1].find("\"status\": \"eligible\""), std::string::npos);
  EXPECT_NE(e.lines[1].find("\"missing\": []"), std::string::npos) << e.lines[1];
  EXPECT_NE(e.lines[2].find("\"missing\": [\"household.b\"]"), std::string::npos) << e.lines[2];
}

TEST(Evaluation, AnEligibleDecisionWithAnUnknownResultAndNoFallbackIsUndetermined) {
  auto c = testing::compile_text(kLogic);
  auto line = testing::evaluate_json(*c, {household("true", "unknown")}).lines[0];
  EXPECT_NE(line.find("\"status\": \"undetermined\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"a_and_b\": null"), std::string::npos) << line;
  EXPECT_NE(line.find("\"missing\": [\"household.b\", \"persons.p1.ok\"]"), std::string::npos) << line;
}

TEST(Evaluation, AggregatesOverPersons) {
  auto c = testing::compile_text(kLogic);
  auto run = [&](const std::string& persons) {
    return testing::evaluate_json(
               *c, {R"({"id": "h", "date": "2025-06-15", "household": {"a": true}, "persons": )" + persons + "}"})
        .lines[0];
  };
  // The applicant's unknown amount does not matter: only children are summed.
  std::string line = run(R"([{"id": "p1", "role": "applicant", "ok": true},
                             {"id": "p2", "role": "child", "x": 10, "ok": true},
                             {"id": "p3", "role": "child", "x": 2.5, "ok": true}])");
  EXPECT_NE(line.find("\"sum_children\": 12.5"), std::string::npos) << line;
  EXPECT_NE(line.find("\"count_children\": 2"), std::string::npos) << line;
  EXPECT_NE(line.find("\"all_ok\": true"), std::string::npos) << line;
  // A person whose role is unknown might be a child: sum and count are unknown.
  line = run(R"([{"id": "p1", "ok": false}, {"id": "p2", "role": "child", "x": 10}])");
  EXPECT_NE(line.find("\"sum_children\": null"), std::string::npos) << line;
  EXPECT_NE(line.find("\"count_children\": null"), std::string::npos) << line;
  // One known false settles all(); one known true settles any().
  EXPECT_NE(line.find("\"all_ok\": false"), std::string::npos) << line;
  EXPECT_NE(line.find("\"any_ok\": null"), std::string::npos) << line;
  line = run(R"([{"id": "p1", "role": "applicant", "ok": true}, {"id": "p2", "role": "child", "x": 0}])");
  EXPECT_NE(line.find("\"any_ok\": true"), std::string::npos) << line;
  // An unknown amount of 0 is not needed: a known 0 contributes nothing.
  EXPECT_NE(line.find("\"sum_children\": 0"), std::string::npos) << line;
}

// Random situations for the real C2S program, a tenth of the fields unknown.
std::vector<std::string> random_situations(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const char* communes[] = {"38185", "97411", "67482", "29019", "75056"};
  const char* housing[] = {"tenant", "owner", "free", "homeless"};
  const char* roles[] = {"spouse", "child", "child", "other"};
  auto maybe = [&](const std::string& v) { return unit(rng) < 0.1 ? std::string("null") : v; };
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string s = "{\"id\": \"h" + std::to_string(i) + "\", \"date\": \"2025-06-15\", \"household\": {\"commune\": \"" +
                    communes[rng() % 5] + "\", \"housing\": \"" + housing[rng() % 4] +
                    "\", \"housing_benefit_monthly\": " + maybe(std::to_string(rng() % 3 * 150)) +
                    ", \"rsa\": " + maybe(rng() % 5 == 0 ? "true" : "false") + "}, \"persons\": [";
    size_t persons = 1 + rng() % 5;
    for (size_t p = 0; p < persons; ++p) {
      s += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\", \"role\": \"" +
           (p == 0 ? "applicant" : p == 1 ? roles[rng() % 4] : roles[1 + rng() % 3]) + "\", \"birth_date\": \"" + std::to_string(1940 + rng() % 80) +
           "-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10) +
           "\", \"resources_12m\": " + maybe(std::to_string(rng() % 30000)) + "}";
    }
    out.push_back(s + "]}");
  }
  return out;
}

TEST(Evaluation, SameResultsWhateverTheThreadsAndChunks) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  auto situations = random_situations(5000, 7);
  EvalOptions one;
  one.threads = 1;
  EvalOptions many;
  many.threads = 4;
  many.chunk_households = 7;
  auto a = testing::evaluate_json(*c, situations, one);
  auto b = testing::evaluate_json(*c, situations, many);
  ASSERT_EQ(a.lines.size(), 5000u);
  EXPECT_EQ(a.lines, b.lines);
  size_t undetermined = 0;
  for (auto s : a.outcome.status) undetermined += s == Status::kUndetermined;
  EXPECT_GT(undetermined, 100u);  // the unknowns did reach decisions
}

// A program decided per person keeps each chunk's missing inputs by person,
// chunks of households of every size included.
TEST(Evaluation, SamePersonDecisionsWhateverTheThreadsAndChunks) {
  auto c = testing::compile_text(testing::read_program("l1113-1"));
  ASSERT_EQ(c->error, "");
  auto situations = testing::random_situations(*c, 3000, 9);
  EvalOptions one;
  one.threads = 1;
  auto a = testing::evaluate_json(*c, situations, one);
  ASSERT_GT(a.lines.size(), situations.size());
  size_t missing = 0;
  for (size_t r = 0; r < a.outcome.rows(); ++r) missing += a.outcome.missing_of(r).size();
  EXPECT_GT(missing, 100u);  // the unknowns did reach decisions
  for (size_t chunk : {1, 3, 64}) {
    EvalOptions many;
    many.threads = 3;
    many.chunk_households = chunk;
    EXPECT_EQ(a.lines, testing::evaluate_json(*c, situations, many).lines) << chunk;
  }
}

TEST(Evaluation, OneSituationAloneGivesTheSameDecisionAsInABatch) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  auto situations = random_situations(300, 11);
  auto batch = testing::evaluate_json(*c, situations);
  for (size_t i = 0; i < situations.size(); ++i)
    EXPECT_EQ(testing::evaluate_json(*c, {situations[i]}).lines[0], batch.lines[i]);
}

}  // namespace proactif

namespace proactif {

// Ages on one date are computed from a table (executor.cpp): they must agree
// with the calendar, birthdays on 29 February included.
TEST(Evaluation, AgesAgreeWithTheCalendar) {
  auto c = testing::compile_text(R"(id: ages
title: Ages
authority: Test
algorithm_role: Test
entity: person
inputs:
  birth_date: {entity: person, type: date}
eligibility:
  formula: age(birth_date, date) >= 0 [year]
result:
  age:
    type: number
    unit: year
    always: true
    formula: age(birth_date, date)
)");
  ASSERT_EQ(c->error, "");
  for (const char* on : {"2025-02-28", "2024-02-29", "2025-03-01", "2024-12-31", "2025-01-01", "1991-03-02",
                         "2100-03-01"}) {
    std::string persons;
    std::vector<Days> births;
    Days on_day = *parse_iso_date(on);
    // Around each birthday up to 149 years back, where a guess from the
    // number of days is most often wrong (more so across 1900 and 2100,
    // which were not leap years).
    CivilDate o = civil_from_days(on_day);
    for (int years = 0; years < 150; ++years) {
      Days birthday = days_from_civil({o.year - years, o.month, std::min(o.day, 28)});
      for (Days b = birthday - 3; b <= birthday + 3; ++b) births.push_back(b);
    }
    for (Days b = on_day - 120 * 366; b <= on_day; b += 97) births.push_back(b);
    for (Days b = on_day - 800; b <= on_day; ++b) births.push_back(b);  // babies
    for (int y = 1904; y <= 2024; y += 4) {  // birthdays on 29 February and around (1900 was not a leap year)
      births.push_back(*parse_iso_date(std::to_string(y) + "-02-29"));
      births.push_back(*parse_iso_date(std::to_string(y) + "-03-01"));
      births.push_back(*parse_iso_date(std::to_string(y + 1) + "-02-28"));
    }
    // The reader refuses a birth after the evaluation date, or more than 150
    // years before it (core/value_domain.hpp): those are not ages to compute.
    const DateWindow window = date_window(on_day);
    std::erase_if(births, [&](Days b) { return !window.holds(b); });
    for (size_t i = 0; i < births.size(); ++i)
      persons += std::string(i ? ", " : "") + "{\"id\": \"p" + std::to_string(i) + "\", \"birth_date\": \"" +
                 format_iso_date(births[i]) + "\"}";
    auto e = testing::evaluate_json(
        *c, {std::string("{\"id\": \"h\", \"date\": \"") + on + "\", \"household\": {}, \"persons\": [" + persons + "]}"});
    for (size_t i = 0; i < births.size(); ++i) {
      EXPECT_EQ(e.outcome.value(i, 0), age_in_years(births[i], on_day))
          << "born " << format_iso_date(births[i]) << " on " << on;
    }
  }
}

}  // namespace proactif

namespace proactif {

// Aggregates add each household's persons four at a time, and broadcasts
// write four persons at a time (executor.cpp): households of every size side
// by side in one chunk, more than four included.
TEST(Evaluation, AggregatesAndBroadcastsOverHouseholdsOfEverySize) {
  auto c = testing::compile_text(R"(id: sizes
title: Sizes
authority: Test
algorithm_role: Test
inputs:
  base: {entity: household, type: number, unit: EUR}
  x: {entity: person, type: number, unit: EUR}
  ok: {entity: person, type: boolean}
variables:
  with_base:
    entity: person
    type: number
    unit: EUR
    formula: x + base
eligibility:
  formula: count(all_persons) >= 0
result:
  total:
    type: number
    unit: EUR
    formula: |
      sum(all_persons: with_base)
  ok_count:
    type: number
    unit: "1"
    formula: |
      count(all_persons where ok)
  persons:
    type: number
    unit: "1"
    formula: count(all_persons)
)");
  ASSERT_EQ(c->error, "");
  std::vector<std::string> situations;
  std::vector<double> totals, ok_counts;
  for (int size : {1, 5, 2, 9, 4, 3, 11, 1, 6, 7, 8, 1}) {
    double base = 100 + size;
    std::string s = "{\"id\": \"h" + std::to_string(situations.size()) + "\", \"date\": \"2025-06-15\", \"household\": {\"base\": " +
                    std::to_string(static_cast<int>(base)) + "}, \"persons\": [";
    double total = 0, oks = 0;
    for (int p = 0; p < size; ++p) {
      double x = p * 10 + 0.25;
      bool ok = p % 3 == 0;
      s += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\", \"x\": " + std::to_string(x) +
           ", \"ok\": " + (ok ? "true" : "false") + "}";
      total += x + base;
      oks += ok;
    }
    situations.push_back(s + "]}");
    totals.push_back(total);
    ok_counts.push_back(oks);
  }
  auto e = testing::evaluate_json(*c, situations);
  for (size_t h = 0; h < situations.size(); ++h) {
    EXPECT_EQ(e.outcome.value(h, 0), totals[h]) << situations[h];
    EXPECT_EQ(e.outcome.value(h, 1), ok_counts[h]) << situations[h];
    EXPECT_EQ(e.outcome.value(h, 2), e.batch.person_offsets[h + 1] - e.batch.person_offsets[h]);
  }
}

// Floating-point addition is not associative: the terms must be added in the
// persons' order, whatever pass adds them (1e16 + 1 is 1e16, so 1e16, 1,
// -1e16, 1 adds up to 1 in order, and to 0 or 2 in others).
TEST(Evaluation, SumsAddEachHouseholdsTermsInTheirOrder) {
  auto c = testing::compile_text(R"(id: order
title: Order
authority: Test
algorithm_role: Test
inputs:
  x: {entity: person, type: number, unit: EUR, minimum: -1e16, maximum: 1e16}
eligibility:
  formula: count(all_persons) >= 0
result:
  total:
    type: number
    unit: EUR
    formula: |
      sum(all_persons: x)
)");
  ASSERT_EQ(c->error, "");
  const std::vector<double> terms = {1e16, 1, -1e16, 1, 1e16, -1e16, 1, 1};
  std::vector<std::string> situations;
  std::vector<double> totals;
  for (size_t h = 0; h < 40; ++h) {
    size_t size = 1 + h % 6;
    std::string s = "{\"id\": \"h" + std::to_string(h) + "\", \"date\": \"2025-06-15\", \"household\": {}, \"persons\": [";
    double total = 0;
    for (size_t p = 0; p < size; ++p) {
      double x = terms[(h + p) % terms.size()];
      s += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\", \"x\": " + (x == 1 ? "1" : x > 0 ? "1e16" : "-1e16") + "}";
      total += x;
    }
    situations.push_back(s + "]}");
    totals.push_back(total);
  }
  auto e = testing::evaluate_json(*c, situations);
  for (size_t h = 0; h < situations.size(); ++h) EXPECT_EQ(e.outcome.value(h, 0), totals[h]) << situations[h];
}

}  // namespace proactif

namespace proactif {

// Short lists of codes and scales are taken in one pass, longer ones in a
// pass per code or bracket (executor.cpp): both agree with the definitions,
// on each side of every threshold and for unknown values; the first
// threshold is in the first bracket whichever bound is inclusive.
TEST(Evaluation, ListsOfCodesAndScalesOfEveryLength) {
  const std::vector<size_t> lengths = {1, 3, 8, 9, 12};
  std::string dir = testing::temp_dir();
  std::string parameters, results, codes;
  for (size_t k = 0; k < 12; ++k) codes += std::string(k ? ", " : "") + "c" + std::to_string(k);
  for (size_t n : lengths) {
    std::string scale = "brackets:\n";
    for (size_t k = 0; k < n; ++k)
      scale += "- threshold: {2020-01-01: {value: " + std::to_string(10 * k) + "}}\n  amount: {2020-01-01: {value: " +
               std::to_string(100 + k) + "}}\n";
    testing::write_file(dir + "/bareme_" + std::to_string(n) + ".yaml",
                        scale + "metadata: {threshold_unit: year, amount_unit: currency, reference: Test}\n");
    std::string id = std::to_string(n);
    parameters += "  from_lower_" + id + ": {path: bareme_" + id +
                  ", unit: EUR, threshold_unit: year, bounds: \"[lower, upper)\"}\n";
    parameters += "  from_above_" + id + ": {path: bareme_" + id +
                  ", unit: EUR, threshold_unit: year, bounds: \"(lower, upper]\"}\n";
    std::string list;
    for (size_t k = 0; k < n; ++k) list += std::string(k ? ", " : "") + "\"c" + std::to_string(k) + "\"";
    results += "  lower_" + id + ": {type: number, unit: EUR, formula: \"bracket(x, from_lower_" + id + ")\"}\n";
    results += "  above_" + id + ": {type: number, unit: EUR, formula: \"bracket(x, from_above_" + id + ")\"}\n";
    results += "  listed_" + id + ": {type: number, unit: \"1\", formula: 'if c in [" + list + "] then 1 else 0'}\n";
  }
  auto c = testing::compile_text("id: lists\ntitle: Lists\nauthority: Test\nalgorithm_role: Test\nparameters:\n" +
                                     parameters + "inputs:\n  x: {entity: household, type: number, unit: year}\n"
                                     "  c: {entity: household, type: code, values: [" + codes + "]}\n"
                                     "eligibility:\n  formula: x >= 0 [year]\nresult:\n" + results,
                                 dir);
  ASSERT_EQ(c->error, "");
  std::vector<std::string> situations;
  std::vector<double> xs;
  for (double x = -5; x <= 130; x += 2.5) xs.push_back(x);
  xs.push_back(kUnknown);
  for (size_t i = 0; i < xs.size() * 13; ++i) {
    double x = xs[i % xs.size()];
    size_t code = i / xs.size();  // 12: unknown
    situations.push_back("{\"id\": \"h" + std::to_string(i) + "\", \"date\": \"2025-06-15\", \"household\": {\"x\": " +
                         (is_known(x) ? std::to_string(x) : "null") + ", \"c\": " +
                         (code < 12 ? "\"c" + std::to_string(code) + "\"" : "null") + "}, \"persons\": [{\"id\": \"p\"}]}");
  }
  auto e = testing::evaluate_json(*c, situations);
  for (size_t i = 0; i < situations.size(); ++i) {
    double x = xs[i % xs.size()];
    size_t code = i / xs.size();
    for (size_t l = 0; l < lengths.size(); ++l) {
      size_t n = lengths[l];
      double lower = kUnknown, above = kUnknown;
      for (size_t k = 0; k < n; ++k) {
        if (x >= 10.0 * k) lower = 100.0 + k;
        if (k == 0 ? x >= 0 : x > 10.0 * k) above = 100.0 + k;  // the first threshold, the floor, in its bracket
      }
      double listed = code < 12 ? (code < n ? 1 : 0) : kUnknown;
      const double expected[] = {lower, above, listed};
      for (size_t j = 0; j < 3; ++j) {
        size_t result = 3 * l + j;
        ASSERT_EQ(e.outcome.is_known(i, result), is_known(expected[j])) << situations[i] << " result " << 3 * l + j;
        if (is_known(expected[j])) {
          EXPECT_EQ(e.outcome.value(i, result), expected[j]) << situations[i] << " result " << 3 * l + j;
        }
      }
    }
  }
}

}  // namespace proactif

namespace proactif {

// A person program's stored decision holds a line per person; its status and
// explanation are of one of them, the planner's representative: what is shown
// beside them is that person's line, never the first one's.
TEST(Evaluation, AStoredDecisionIsShownWithTheLineItsStatusIsOf) {
  const std::string lines =
      R"({"situation": "H", "program": "x", "person": "p1", "status": "ineligible", "result": {}, "missing": []})" "\n"
      R"({"situation": "H", "program": "x", "person": "p2", "status": "eligible", "result": {"monthly_price_eur": 2.5}, "missing": []})" "\n"
      R"({"situation": "H", "program": "x", "person": "p3", "status": "eligible", "result": {"monthly_price_eur": 15.4}, "missing": ["persons.p3.student"]})";
  DecisionLine eligible = representative_line(lines, "eligible", {"p1", "p2", "p3"});
  EXPECT_EQ(eligible.person, "p2");
  EXPECT_EQ(eligible.result, R"({"monthly_price_eur": 2.5})");
  // p2 outside the foyer: decided in a situation of their own.
  DecisionLine theirs = representative_line(lines, "eligible", {"p1", "p3"});
  EXPECT_EQ(theirs.person, "p3");
  EXPECT_EQ(theirs.missing, std::vector<std::string>{"persons.p3.student"});
  EXPECT_EQ(representative_line(lines, "undetermined", {}).person, "p1");
  EXPECT_EQ(representative_line("not json", "eligible", {}).result, "{}");
}

}  // namespace proactif
