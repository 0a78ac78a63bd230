// What a notice tells of a right whose result depends on data not known:
// the least favourable result is given (CONTRACT.md), and the notice says so
// and lists what could make it more favourable, rather than announce a
// participation a person on the RSA would not owe.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "campaign/citizen_requests.hpp"
#include "campaign/planner.hpp"
#include "eval/executor.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

struct Notice {
  bool least_favourable = false;
  std::vector<std::string> results, missing;
  std::vector<std::pair<std::string, std::string>> data;  // label, source
};

Notice notice_of(const std::string& situation, const std::string& sent_by = "") {
  auto compiled = testing::compile_text(testing::read_program("c2s"));
  EXPECT_EQ(compiled->error, "");
  auto evaluated = testing::evaluate_json(*compiled, {situation});
  if (!sent_by.empty()) {
    evaluated.batch.source = sent_by;
    evaluated.batch.source_exact = true;
  }
  auto bound = bind(*compiled->plan, evaluated.batch.date, compiled->codes);
  EXPECT_TRUE(bound);
  CampaignProgram config;
  config.id = "c2s";
  const std::string json = notice_json(Campaign{}, config, "2025-06-15", *compiled->plan->program, *bound, compiled->codes,
                                       evaluated.batch,
                                       evaluated.outcome, 0, "notify", Contact{}, "K7M2-Q9XD-4HRA");
  simdjson::dom::parser parser;
  simdjson::dom::element notice = parser.parse(json);
  Notice n;
  n.least_favourable = bool(notice["least_favourable"]);
  for (auto r : notice["results"].get_array()) n.results.emplace_back(std::string_view(r["label"]));
  for (auto m : notice["missing"].get_array()) n.missing.emplace_back(std::string_view(m));
  for (auto d : notice["data"].get_array()) n.data.emplace_back(std::string_view(d["label"]), std::string_view(d["source"]));
  return n;
}

std::string single(const std::string& rsa) {
  return R"({"id": "S1", "date": "2025-06-15", "household": {"commune": "38185", "housing": "tenant",
      "housing_benefit_monthly": 0)" + rsa + R"(}, "persons": [{"id": "p1", "role": "applicant",
      "birth_date": "1960-04-02", "resources_12m": 13000, "c2s": "none", "minimum_benefits": []}]})";
}

}  // namespace

TEST(Notice, AResultGivenAsTheLeastFavourableSaysWhatCouldImproveIt) {
  // Above the ceiling of free C2S, under the one with participation: free
  // only on the RSA, which the data do not say.
  Notice unknown_rsa = notice_of(single(""));
  EXPECT_TRUE(unknown_rsa.least_favourable);
  EXPECT_FALSE(unknown_rsa.results.empty());
  EXPECT_EQ(unknown_rsa.missing, std::vector<std::string>{"Bénéfice du RSA par le foyer"});

  Notice known = notice_of(single(", \"rsa\": false"));
  EXPECT_FALSE(known.least_favourable);
  EXPECT_FALSE(known.results.empty());
  EXPECT_TRUE(known.missing.empty());
}

// The data an event's situation carried came from whoever sent the event,
// not from the sources the program declares for its inputs.
TEST(Notice, AnEventsDataAreSaidToComeFromItsSender) {
  const std::string sender = "CAF de l'Isère (informations transmises le 20 juin 2025)";
  Notice sent = notice_of(single(", \"rsa\": false"), sender);
  ASSERT_FALSE(sent.data.empty());
  for (const auto& [label, source] : sent.data) EXPECT_EQ(source, sender) << label;
  // Otherwise (a situation read from a file) each input's source is the
  // one the program declares for it.
  auto compiled = testing::compile_text(testing::read_program("c2s"));
  std::map<std::string, std::string> declared_source;
  for (const InputDecl& in : compiled->plan->program->inputs) declared_source[in.label] = in.source;
  Notice declared = notice_of(single(", \"rsa\": false"));
  ASSERT_FALSE(declared.data.empty());
  for (const auto& [label, source] : declared.data) {
    ASSERT_TRUE(declared_source.count(label)) << label;
    EXPECT_EQ(source, declared_source[label]) << label;
  }
}

// A value an extract's absence stands for is said with the value taken,
// as a person reads it: a list of codes empty ("aucun"), a code by its
// label, and for how many of the household's persons.
TEST(Notice, WhatAnAbsenceStandsForIsSaidWithItsValue) {
  auto compiled = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(compiled->error, "");
  auto evaluated = testing::evaluate_json(*compiled, {single(", \"rsa\": false")});
  Batch& batch = evaluated.batch;
  batch.origin_titles = {"CPAM (assurés, 15/06/2025)"};
  batch.origins.assign(batch.inputs.size(), {});
  for (size_t slot = 0; slot < batch.inputs.size(); ++slot)
    batch.origins[slot].assign(batch.inputs[slot].value.size(), ValueOrigin{0, false, 0});
  auto bound = bind(*compiled->plan, batch.date, compiled->codes);
  ASSERT_TRUE(bound);
  CampaignProgram config;
  config.id = "c2s";
  const std::string json = notice_json(Campaign{}, config, "2025-06-15", *compiled->plan->program, *bound,
                                       compiled->codes, batch, evaluated.outcome, 0, "notify", Contact{}, "K7M2-Q9XD-4HRA");
  simdjson::dom::parser parser;
  std::map<std::string, std::string> source_of;
  for (auto d : parser.parse(json)["data"].get_array())
    source_of[std::string(std::string_view(d["label"]))] = std::string(std::string_view(d["source"]));
  const std::string taken = "CPAM (assurés, 15/06/2025) (valeur retenue pour la personne qui n'y figure pas : ";
  auto said = [&](const std::string& prefix) {
    for (const auto& [label, source] : source_of)
      if (label.rfind(prefix, 0) == 0) return source;
    return std::string("(not listed)");
  };
  EXPECT_EQ(said("Minima sociaux"), taken + "aucun)");
  EXPECT_EQ(said("Place dans le foyer"), taken + "allocataire (la personne qui demande))") << json;
  EXPECT_EQ(said("Ressources des 12 derniers mois"), taken + "13\u00A0000\u00A0€ par an)");
}

// A right decided person by person is said of whom it was found for: the
// allocataire written to is not told that they may be entitled to a
// scholarship holder's fare their son is (a tester's finding, 2026-12-07:
// 10 of 13 Brest notices said "vous pourriez" to a parent).
TEST(Notice, ARightOfAPersonNamesWhoseItIs) {
  auto compiled = testing::compile_text(testing::read_program("brest-bibus-boursiers"));
  ASSERT_EQ(compiled->error, "");
  auto evaluated = testing::evaluate_json(*compiled, {R"({"id": "S1", "date": "2025-06-15", "household":
      {"commune": "29019"}, "persons": [
      {"id": "p1", "role": "applicant", "birth_date": "1973-01-01", "student": false, "scholarship_echelon": "none",
       "high_school_scholarship": false},
      {"id": "p2", "role": "child", "birth_date": "2002-05-01", "student": true, "scholarship_echelon": "3"},
      {"id": "p3", "role": "child", "birth_date": "2009-01-01", "student": false, "scholarship_echelon": "none",
       "high_school_scholarship": true}]})"});
  const Batch& batch = evaluated.batch;
  ASSERT_EQ(batch.persons(), 3u);
  ASSERT_EQ(evaluated.outcome.status[1], Status::kEligible);
  ASSERT_EQ(evaluated.outcome.status[0], Status::kIneligible);
  auto bound = bind(*compiled->plan, batch.date, compiled->codes);
  ASSERT_TRUE(bound);
  CampaignProgram config;
  config.id = "brest-bibus-boursiers";
  auto said = [&](const std::string& addressee, bool with_names, size_t row) {
    Contact to;
    to.person = batch.person_ids[addressee == "p1" ? 0 : 1];
    std::unordered_map<std::string, Contact> named;
    named[batch.person_ids[1]].first_names = "Luc Pierre";
    named[batch.person_ids[1]].name = "Dunier";
    named[batch.person_ids[2]].first_names = "Léa";
    named[batch.person_ids[2]].name = "Dunier";
    const std::string json =
        notice_json(Campaign{}, config, "2025-06-15", *compiled->plan->program, *bound, compiled->codes, batch,
                    evaluated.outcome, row, "notify", to, "K7M2-Q9XD-4HRA", "", {}, {}, nullptr,
                    with_names ? &named : nullptr);
    simdjson::dom::parser parser;
    simdjson::dom::element notice = parser.parse(json);
    return std::string(std::string_view(notice["may_have"])) + " / " + std::string(std::string_view(notice["have"])) +
           (bool(notice["for_others"]) ? " / others" : "");
  };
  EXPECT_EQ(said("p1", true, 1),
            "Luc Pierre DUNIER et Léa DUNIER pourraient / Luc Pierre DUNIER et Léa DUNIER ont / others");
  EXPECT_EQ(said("p2", true, 1), "vous et Léa DUNIER pourriez / vous et Léa DUNIER avez");
  EXPECT_EQ(said("p1", false, 1), "2 personnes de votre foyer pourraient / 2 personnes de votre foyer ont / others");
  EXPECT_EQ(said("p2", false, 1), "vous et une autre personne de votre foyer pourriez / vous et une autre personne de "
                                  "votre foyer avez");
  // A household's right is the household's.
  auto c2s = testing::compile_text(testing::read_program("c2s"));
  auto household = testing::evaluate_json(*c2s, {single(", \"rsa\": false")});
  auto c2s_bound = bind(*c2s->plan, household.batch.date, c2s->codes);
  ASSERT_TRUE(c2s_bound);
  config.id = "c2s";
  const std::string json = notice_json(Campaign{}, config, "2025-06-15", *c2s->plan->program, *c2s_bound, c2s->codes,
                                       household.batch, household.outcome, 0, "notify", Contact{}, "K7M2-Q9XD-4HRA");
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(parser.parse(json)["may_have"]), "vous pourriez");
}

// What the verification of a code says of the message: never "not sent"
// for a send that may have arrived (the person reading it may hold it), nor
// "not yet" for one that will not be.
TEST(Verification, SaysWhatBecameOfTheMessage) {
  MessageCheck c;
  c.authentic = true;
  c.what = "information sur un droit";
  c.medium = "courriel";
  c.sender = "la CAF de l'Is\u00E8re";
  c.prepared_at = 1750000000000;
  auto said = [&](const std::string& state, bool in_doubt, bool cancelled = false) {
    c.state = state;
    c.in_doubt = in_doubt;
    c.cancelled = cancelled;
    return message_check_text(c);
  };
  EXPECT_NE(said("pending", false).find("pas encore envoy\u00E9"), std::string::npos);
  for (const auto& [state, cancelled] : {std::pair{"held", false}, std::pair{"sending", false}, std::pair{"cancelled", true},
                                         std::pair{"dead", false}, std::pair{"expired", false}}) {
    const std::string text = said(state, true, cancelled);
    EXPECT_EQ(text.find("pas encore"), std::string::npos) << state;
    EXPECT_EQ(text.find("en cours d'envoi") == std::string::npos, std::string(state) == "dead" || std::string(state) == "expired" || cancelled) << state;
    EXPECT_NE(text.find("il a pu vous parvenir"), std::string::npos) << state;
  }
  // A request whose last try timed out, failed for good: not "being sent".
  EXPECT_NE(said("dead", true).find("l'envoi a \u00E9chou\u00E9"), std::string::npos);
  EXPECT_NE(said("expired", false).find("ne sera pas envoy\u00E9"), std::string::npos);
  EXPECT_NE(said("dead", false).find("l'envoi a \u00E9chou\u00E9"), std::string::npos);
  c.sent_at = 1750000100000;
  EXPECT_NE(said("delivered", false).find("et envoy\u00E9 le"), std::string::npos);
}

}  // namespace proactif
