// Who a program counts: its foyer, written in its file as a rule per person;
// aggregates over `persons` count the foyer's members and those over
// `all_persons` everyone listed; ranks and running sums over a household in
// an order; a person outside the foyer decided as a foyer of their own; a
// household whose data are incomplete left undetermined with the reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "eval/own_foyers.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

// The foyer: everyone but the persons of 25 or more listed as `other`.
constexpr const char* kFoyer = R"yaml(id: foyer
title: Foyer
authority: Test
algorithm_role: Test
inputs:
  commune: {entity: household, type: code, domain: commune, dwelling: true}
  housing: {entity: household, type: code, values: [tenant, owner]}
  role: {entity: person, type: code, values: [applicant, spouse, child, other]}
  birth_date: {entity: person, type: date}
  x: {entity: person, type: number, unit: EUR}
foyer:
  label: Membre du foyer
  reference: Article de test
  formula: role != "other" or age(birth_date, date) < 25 [year]
eligibility:
  formula: housing == "tenant" and departement(commune) == "38"
result:
  members: {type: number, unit: "1", always: true, formula: count(persons)}
  listed: {type: number, unit: "1", always: true, formula: count(all_persons)}
  total:
    type: number
    unit: EUR
    always: true
    formula: "sum(persons: x)"
  largest:
    type: number
    unit: EUR
    always: true
    formula: |
      max(all_persons: x)
)yaml";

std::string person(const std::string& id, const std::string& role, const std::string& birth, const std::string& x) {
  return R"({"id": ")" + id + R"(", "role": ")" + role + R"(", "birth_date": )" + birth + R"(, "x": )" + x + "}";
}

std::string household(const std::vector<std::string>& persons) {
  std::string s = R"({"id": "h", "date": "2025-06-15", "household": {"commune": "38185", "housing": "tenant"}, "persons": [)";
  for (size_t i = 0; i < persons.size(); ++i) s += (i ? ", " : "") + persons[i];
  return s + "]}";
}

}  // namespace

TEST(Foyer, AggregatesOverPersonsCountTheFoyerAndAllPersonsEveryone) {
  auto c = testing::compile_text(kFoyer);
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(*c, {household({person("p1", "applicant", "\"1960-01-01\"", "100"),
                                                  person("p2", "other", "\"1990-01-01\"", "1000"),
                                                  person("p3", "other", "\"2005-01-01\"", "10")})},
                                  {1, true, 1024});
  const std::string& line = e.lines[0];
  EXPECT_NE(line.find("\"members\": 2"), std::string::npos) << line;
  EXPECT_NE(line.find("\"listed\": 3"), std::string::npos) << line;
  EXPECT_NE(line.find("\"total\": 110"), std::string::npos) << line;
  EXPECT_NE(line.find("\"largest\": 1000"), std::string::npos) << line;
  // The explanation names who was counted, who was not, and the article;
  // this program gives no reason for leaving a person out.
  EXPECT_NE(line.find(R"("foyer": {"label": "Membre du foyer", "reference": "Article de test", "counted": ["p1", "p3"], )"
                      R"("not_counted": ["p2"], "unknown": [], "why_not_counted": {}})"),
            std::string::npos)
      << line;
  ASSERT_EQ(e.outcome.foyer.size(), 3u);
  EXPECT_EQ(e.outcome.foyer[1], Membership::kOutside);
}

TEST(Foyer, AnUnknownMembershipLeavesWhatItCountsUnknown) {
  auto c = testing::compile_text(kFoyer);
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(*c, {household({person("p1", "applicant", "\"1960-01-01\"", "100"),
                                                  person("p2", "other", "null", "1000")})});
  const std::string& line = e.lines[0];
  EXPECT_NE(line.find("\"members\": null"), std::string::npos) << line;
  EXPECT_NE(line.find("\"listed\": 2"), std::string::npos) << line;
  EXPECT_EQ(e.outcome.foyer[1], Membership::kUnknown);
}

TEST(Foyer, AnAggregateOverPersonsNeedsTheProgramsFoyer) {
  std::string text = kFoyer;
  text.erase(text.find("foyer:\n"), text.find("eligibility:") - text.find("foyer:\n"));
  auto c = testing::compile_text(text);
  EXPECT_NE(c->error.find("count(persons ...) counts the persons of the program's foyer: declare who forms it"),
            std::string::npos)
      << c->error;
}

TEST(Foyer, TheFoyersRuleCannotCountTheFoyer) {
  std::string text = kFoyer;
  text.replace(text.find("formula: role != \"other\""), std::string("formula: role != \"other\"").size(),
               "formula: big or role != \"other\"");
  text.replace(text.find("eligibility:"), 0,
               "variables:\n  big:\n    type: boolean\n    formula: count(persons) > 3\n");
  auto c = testing::compile_text(text);
  EXPECT_NE(c->error.find("which this rule helps define: use all_persons"), std::string::npos) << c->error;
}

// A person the foyer leaves out is decided alone: the dwelling's commune
// kept, the foyer's housing unknown, their own data kept, applicant.
TEST(Foyer, APersonOutsideTheFoyerFormsAFoyerOfTheirOwn) {
  auto c = testing::compile_text(kFoyer);
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(*c, {household({person("p1", "applicant", "\"1960-01-01\"", "100"),
                                                  person("p2", "other", "\"1990-01-01\"", "1000")})});
  OwnFoyers own = foyers_of_their_own(c->schema, c->codes, e.batch, e.outcome);
  ASSERT_EQ(own.batch.households(), 1u);
  EXPECT_EQ(own.batch.household_ids[0], "p2");
  EXPECT_EQ(own.from[0], 1u);
  int checked = 0;
  for (size_t s = 0; s < c->schema.slots.size(); ++s) {
    const InputSlot& slot = c->schema.slots[s];
    const double v = own.batch.inputs[s].value[0];
    if (slot.name == "commune") {
      EXPECT_EQ(c->codes.name(static_cast<int32_t>(v)), "38185");
      ++checked;
    } else if (slot.name == "housing") {
      EXPECT_TRUE(std::isnan(v));
      ++checked;
    } else if (slot.name == "role") {
      EXPECT_EQ(c->codes.name(static_cast<int32_t>(v)), "applicant");
      ++checked;
    } else if (slot.name == "x") {
      EXPECT_EQ(v, 1000);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
}

// A minor the foyer leaves out (or a person of unknown age) is not decided
// alone: their own situation is incomplete, undetermined with the reason.
TEST(Foyer, AMinorOutsideTheFoyerIsNotDecidedAlone) {
  std::string text = kFoyer;
  const std::string rule = "formula: role != \"other\" or age(birth_date, date) < 25 [year]";
  text.replace(text.find(rule), rule.size(), "formula: role != \"other\"");
  text += "  adults:\n    type: number\n    unit: \"1\"\n    always: true\n"
          "    formula: count(all_persons where age(birth_date, date) >= 18 [year])\n";
  auto c = testing::compile_text(text);
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(*c, {household({person("p1", "applicant", "\"1960-01-01\"", "100"),
                                                  person("p2", "other", "\"2015-01-01\"", "0"),
                                                  person("p3", "other", "\"2007-06-15\"", "0"),
                                                  person("p4", "other", "null", "0")})});
  OwnFoyers own = foyers_of_their_own(c->schema, c->codes, e.batch, e.outcome);
  ASSERT_EQ(own.batch.households(), 3u);
  EXPECT_EQ(own.batch.incomplete_reasons(0).size(), 1u);  // 10 years old
  EXPECT_TRUE(own.batch.incomplete_reasons(1).empty());   // 18 on the day
  ASSERT_EQ(own.batch.incomplete_reasons(2).size(), 1u);  // age unknown
  EXPECT_NE(own.batch.incomplete_reasons(2)[0].second.find("unknown age"), std::string::npos);
  auto bound = bind(*c->plan, own.batch.date, c->codes);
  ASSERT_TRUE(bound);
  Outcome o = evaluate(*bound, own.batch, c->codes, {});
  const Program& program = *c->plan->program;
  EXPECT_EQ(o.status[0], Status::kUndetermined);
  // The reason first, then what the household's data would have given.
  EXPECT_EQ(missing_names(program, own.batch, o.missing_of(0)),
            (std::vector<std::string>{own.batch.incomplete_reasons(0)[0].second, "household.housing"}));
  EXPECT_EQ(missing_names(program, own.batch, o.missing_of(1)), std::vector<std::string>{"household.housing"});
  EXPECT_EQ(o.status[2], Status::kUndetermined);
}

// A household with a member rejected at ingestion (or any reason its data
// are incomplete) is undetermined for a program that reads its members,
// with the reason among the missing inputs; not for one that does not.
TEST(Foyer, AnIncompleteHouseholdIsUndeterminedWithTheReason) {
  auto c = testing::compile_text(kFoyer);
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(*c, {household({person("p1", "applicant", "\"1960-01-01\"", "100")}),
                                       household({person("p1", "applicant", "\"1960-01-01\"", "100")})});
  e.batch.incomplete = {{1, "persons.CAF:P9: rejected at caf.csv line 8: the NIR key does not match"}};
  auto bound = bind(*c->plan, e.batch.date, c->codes);
  ASSERT_TRUE(bound);
  Outcome o = evaluate(*bound, e.batch, c->codes, {});
  EXPECT_EQ(o.status[0], Status::kEligible);
  EXPECT_EQ(o.status[1], Status::kUndetermined);
  EXPECT_EQ(missing_names(*c->plan->program, e.batch, o.missing_of(1)),
            std::vector<std::string>{"persons.CAF:P9: rejected at caf.csv line 8: the NIR key does not match"});

  std::string household_only = R"(id: dwelling
title: Dwelling
authority: Test
algorithm_role: Test
inputs:
  housing: {entity: household, type: code, values: [tenant, owner]}
eligibility:
  formula: housing == "tenant"
)";
  auto d = testing::compile_text(household_only);
  ASSERT_EQ(d->error, "");
  auto f = testing::evaluate_json(*d, {R"({"id": "h", "date": "2025-06-15", "household": {"housing": "tenant"}, "persons": [{"id": "p"}]})"});
  f.batch.incomplete = {{0, "persons.CAF:P9: rejected"}};
  auto fb = bind(*d->plan, f.batch.date, d->codes);
  EXPECT_EQ(evaluate(*fb, f.batch, d->codes, {}).status[0], Status::kEligible);
}

// A fare decided per person (M Réso): the explanation of a person the
// quotient familial's foyer leaves out, or may leave out, gives the foyer's
// rule as what decided, with the data it read, and not the fare's
// conditions as met nor a price; a member's gives the conditions, with
// the decisions of the persons who may be of the foyer only.
TEST(Foyer, APersonOutsideAPersonProgramsFoyerIsExplainedByTheFoyersRule) {
  auto c = testing::compile_text(testing::read_program("m-reso-solidaire"));
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(
      *c,
      {R"({"id": "h", "date": "2025-06-15", "household": {"commune": "38185", "quotient_familial": 500}, "persons": [)"
       R"({"id": "mother", "role": "applicant", "dependant": false}, {"id": "son", "role": "child", "dependant": false}, )"
       R"({"id": "lodger", "role": "other", "dependant": null}]})"},
      {1, true, 1024});
  ASSERT_EQ(e.lines.size(), 3u);
  auto operations = [](const std::string& line) {
    return line.substr(line.find("\"operations\""));
  };
  const std::string mother = operations(e.lines[0]), son = operations(e.lines[1]), lodger = operations(e.lines[2]);
  EXPECT_NE(e.lines[0].find("\"status\": \"eligible\""), std::string::npos) << e.lines[0];
  EXPECT_NE(mother.find("\"name\": \"eligible\""), std::string::npos) << mother;
  for (const std::string* text : {&son, &lodger}) {
    EXPECT_EQ(text->find("\"name\": \"eligible\""), std::string::npos) << *text;
    EXPECT_EQ(text->find("\"name\": \"habitant_du_ressort\""), std::string::npos) << *text;
    EXPECT_EQ(text->find("tarif"), std::string::npos) << *text;
    EXPECT_NE(text->find("\"name\": \"couvert_par_le_quotient_familial\""), std::string::npos) << *text;
  }
  // A member's explanation shows the decisions of the persons who may be of
  // the foyer, not of the son it leaves out (his is not a decision).
  EXPECT_NE(mother.find(R"("value": {"mother": true, "lodger": true})"), std::string::npos) << mother;
  EXPECT_NE(mother.find(R"("value": {"mother": 2.5, "lodger": 2.5})"), std::string::npos) << mother;
  // The data that decided are the foyer rule's, not the household's quotient.
  const std::string& line = e.lines[1];
  const size_t qf = line.find("\"name\": \"household.quotient_familial\"");
  ASSERT_NE(qf, std::string::npos) << line;
  EXPECT_NE(line.find("\"used\": false", qf), std::string::npos) << line;
  EXPECT_LT(line.find("\"used\": false", qf), line.find("}", qf)) << line;
}

// Over a population (campaigns), a fare decided per person that reads no
// age: a person it leaves out is not decided alone (they may be a child of
// 6 not at charge, whom a campaign wrote to about a fare of their own).
TEST(Foyer, APersonProgramThatReadsNoAgeDecidesNobodyAlone) {
  auto c = testing::compile_text(testing::read_program("m-reso-solidaire"));
  ASSERT_EQ(c->error, "");
  auto e = testing::evaluate_json(
      *c, {R"({"id": "in", "date": "2025-06-15", "household": {"commune": "38185", "quotient_familial": 500}, "persons": [)"
           R"({"id": "mother", "role": "applicant"}, {"id": "girl", "role": "other", "dependant": false}]})"});
  auto bound = bind(*c->plan, e.batch.date, c->codes);
  ASSERT_TRUE(bound);
  PopulationOutcome p = evaluate_population(*bound, c->schema, e.batch, c->codes, {});
  const Program& program = *c->plan->program;
  EXPECT_EQ(p.outcome.status[0], Status::kEligible);
  ASSERT_EQ(p.own.batch.households(), 1u);  // the girl
  EXPECT_EQ(p.own_outcome.status[0], Status::kUndetermined);
  const auto missing = missing_names(program, p.own.batch, p.own_outcome.missing_of(0));
  EXPECT_TRUE(std::any_of(missing.begin(), missing.end(),
                          [](const std::string& m) { return m.find("which reads no age") != std::string::npos; }))
      << missing.size();
}

// Outside the fare's territory nobody living in the dwelling is eligible,
// whatever foyer they belong to: a lodger whose place in the quotient
// familial is unknown, and a girl left out of it (not decided alone
// elsewhere), are not eligible, explained by the territory, not listed for
// the social services as a possible right (1 430 households of a tester's
// campaign were). Inside it, they stay undetermined.
TEST(Foyer, ADwellingOutsideTheTerritorySettlesEveryoneInIt) {
  auto c = testing::compile_text(testing::read_program("m-reso-solidaire"));
  ASSERT_EQ(c->error, "");
  ASSERT_EQ(c->plan->dwelling_conditions.size(), 1u);
  auto in_commune = [](const std::string& commune) {
    return R"({"id": "h", "date": "2025-06-15", "household": {"commune": ")" + commune +
           R"(", "quotient_familial": 500}, "persons": [{"id": "mother", "role": "applicant"}, )"
           R"({"id": "lodger", "role": "other"}, {"id": "girl", "role": "other", "dependant": false}]})";
  };
  auto lyon = testing::evaluate_json(*c, {in_commune("69123")}, {1, true, 1024});
  ASSERT_EQ(lyon.lines.size(), 3u);
  for (const std::string& line : lyon.lines) {
    EXPECT_NE(line.find("\"status\": \"ineligible\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"name\": \"habitant_du_ressort\""), std::string::npos) << line;
    const size_t commune = line.find("\"name\": \"household.commune\"");
    ASSERT_NE(commune, std::string::npos) << line;
    EXPECT_LT(line.find("\"used\": true", commune), line.find("}", commune)) << line;
  }
  auto bound = bind(*c->plan, lyon.batch.date, c->codes);
  ASSERT_TRUE(bound);
  PopulationOutcome p = evaluate_population(*bound, c->schema, lyon.batch, c->codes, {});
  ASSERT_EQ(p.own.batch.households(), 1u);  // the girl
  EXPECT_EQ(p.own_outcome.status[0], Status::kIneligible);
  EXPECT_TRUE(p.own_outcome.missing_of(0).empty());

  auto grenoble = testing::evaluate_json(*c, {in_commune("38185")});
  bound = bind(*c->plan, grenoble.batch.date, c->codes);
  ASSERT_TRUE(bound);
  p = evaluate_population(*bound, c->schema, grenoble.batch, c->codes, {});
  EXPECT_EQ(p.outcome.status[0], Status::kEligible);
  EXPECT_EQ(p.outcome.status[1], Status::kUndetermined);  // the lodger
  ASSERT_EQ(p.own.batch.households(), 1u);
  EXPECT_EQ(p.own_outcome.status[0], Status::kUndetermined);
}

// Only conditions joined to the eligibility by `and` that read the dwelling
// alone settle it: the C2S's scope (its commune, negated) does; the RSA's
// resources do not.
TEST(Foyer, TheDwellingsConditionsAreThoseThatReadItAlone) {
  auto c2s = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c2s->error, "");
  ASSERT_EQ(c2s->plan->dwelling_conditions.size(), 1u);
  EXPECT_EQ(c2s->plan->program->variables[static_cast<size_t>(c2s->plan->dwelling_conditions[0].first)].name,
            "hors_du_champ_de_la_c2s");
  EXPECT_TRUE(c2s->plan->dwelling_conditions[0].second);
  auto foyer = testing::compile_text(kFoyer);
  ASSERT_EQ(foyer->error, "");
  EXPECT_TRUE(foyer->plan->dwelling_conditions.empty());  // not variables
}

namespace {

// Ranks, running sums, least and greatest values over a household, checked
// against a plain reading of their definition.
constexpr const char* kOrder = R"(id: order
title: Order
authority: Test
algorithm_role: Test
entity: person
inputs:
  pass: {entity: person, type: boolean}
  key: {entity: person, type: number, unit: EUR}
  v: {entity: person, type: number, unit: EUR}
variables:
  highest:
    type: number
    unit: EUR
    formula: |
      max(all_persons where pass: v)
  lowest:
    type: number
    unit: EUR
    formula: |
      min(all_persons where pass: v)
eligibility:
  formula: pass or not pass
result:
  rank:
    type: number
    unit: "1"
    formula: rank(all_persons where pass by key)
  running:
    type: number
    unit: EUR
    formula: |
      cumulative_sum(all_persons where pass by key: v)
  highest_of_household: {type: number, unit: EUR, formula: highest}
  lowest_of_household: {type: number, unit: EUR, formula: lowest}
  rank_of_all:
    type: number
    unit: "1"
    formula: rank(all_persons by key)
  running_of_all:
    type: number
    unit: EUR
    formula: |
      cumulative_sum(all_persons by key: v)
)";

struct P {
  int pass;  // 0, 1, or -1 unknown
  double key, v;  // NaN unknown
};

std::string json(double x) { return std::isnan(x) ? "null" : std::to_string(x); }

}  // namespace

TEST(Order, RanksRunningSumsAndExtremaAsDefined) {
  auto c = testing::compile_text(kOrder);
  ASSERT_EQ(c->error, "");
  std::mt19937_64 rng(5);
  std::vector<std::vector<P>> households;
  std::vector<std::string> situations;
  for (int h = 0; h < 3000; ++h) {
    // One to four persons, or more: households of up to four and of up to
    // eight persons are computed in vectors, larger ones one by one.
    size_t n = rng() % 4 == 0 ? 5 + rng() % 7 : 1 + rng() % 4;
    std::vector<P> ps;
    std::string s = R"({"id": "h)" + std::to_string(h) + R"(", "date": "2025-06-15", "household": {}, "persons": [)";
    for (size_t i = 0; i < n; ++i) {
      P p{static_cast<int>(rng() % 7 == 0 ? -1 : rng() % 3 != 0), rng() % 9 == 0 ? NAN : double(rng() % 4),
          rng() % 11 == 0 ? NAN : double(rng() % 100)};
      ps.push_back(p);
      s += std::string(i ? ", " : "") + R"({"id": "p)" + std::to_string(i) + R"(", "pass": )" +
           (p.pass < 0 ? "null" : p.pass ? "true" : "false") + R"(, "key": )" + json(p.key) + R"(, "v": )" + json(p.v) + "}";
    }
    households.push_back(ps);
    situations.push_back(s + "]}");
  }
  for (size_t chunk : {size_t{7}, EvalOptions{}.chunk_households}) {
    EvalOptions options;
    options.chunk_households = chunk;
    auto e = testing::evaluate_json(*c, situations, options);
    size_t row = 0;
    for (size_t h = 0; h < households.size(); ++h) {
      const std::vector<P>& ps = households[h];
      bool unsettled = false, extremum_open = false, any = false, key_unknown = false;
      double hi = -INFINITY, lo = INFINITY;
      for (const P& q : ps) {
        unsettled |= q.pass < 0 || (q.pass != 0 && std::isnan(q.key));
        key_unknown |= std::isnan(q.key);
        if (q.pass == 0) continue;
        extremum_open |= q.pass < 0 || std::isnan(q.v);
        if (!std::isnan(q.v)) any = true, hi = std::max(hi, q.v), lo = std::min(lo, q.v);
      }
      for (size_t i = 0; i < ps.size(); ++i, ++row) {
        double rank = 0, running = 0, rank_of_all = 0, running_of_all = 0;
        for (size_t j = 0; j < ps.size(); ++j) {
          bool before = ps[j].key < ps[i].key || (ps[j].key == ps[i].key && j <= i);
          if (ps[j].pass == 1 && before) rank += 1, running += ps[j].v;
          if (before) rank_of_all += 1, running_of_all += ps[j].v;
        }
        auto value = [&](size_t result) { return e.outcome.value(row, result); };
        // A rank (result r) and the running sum after it (r + 1).
        auto expect_order = [&](size_t r, bool unknown_place, double rank_expected, double running_expected) {
          if (unknown_place) {
            EXPECT_TRUE(std::isnan(value(r)) && std::isnan(value(r + 1))) << situations[h];
            return;
          }
          EXPECT_EQ(value(r), rank_expected) << "row " << row;
          if (std::isnan(running_expected)) EXPECT_TRUE(std::isnan(value(r + 1))) << "row " << row;
          else EXPECT_DOUBLE_EQ(value(r + 1), running_expected) << "row " << row;
        };
        expect_order(0, unsettled || std::isnan(ps[i].key), rank, running);  // a person without a key has no place
        expect_order(4, key_unknown, rank_of_all, running_of_all);
        if (extremum_open || !any) {
          EXPECT_TRUE(std::isnan(value(2)) && std::isnan(value(3))) << "row " << row;
        } else {
          EXPECT_EQ(value(2), hi) << "row " << row;
          EXPECT_EQ(value(3), lo) << "row " << row;
        }
      }
    }
  }
}

TEST(Order, RankTakesAnOrderAndGivesAValuePerPerson) {
  std::string text = kOrder;
  text.replace(text.find("rank(all_persons where pass by key)"), std::string("rank(all_persons where pass by key)").size(),
               "rank(all_persons where pass)");
  EXPECT_NE(testing::compile_text(text)->error.find("needs the order of the persons: 'by key'"), std::string::npos);
}

}  // namespace proactif
