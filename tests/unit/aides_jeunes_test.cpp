// The national youth simulator's benefits written as programs, on a small
// catalogue written here (the real one is tested by tests/e2e/aides_jeunes.py
// when ../shared holds it): each condition's boundary decided as the
// simulator reads it, the conditions the writer cannot express named.
#include <gtest/gtest.h>

#include <filesystem>

#include "rules/aides_jeunes.hpp"
#include "test_support.hpp"

namespace proactif {
namespace {

class Catalogue : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir() + "/aides-jeunes";
    std::filesystem::create_directories(dir_ + "/data/benefits/javascript");
    std::filesystem::create_directories(dir_ + "/data/institutions");
    testing::write_file(dir_ + "/data/institutions/region_bretagne.yml",
                        "name: Bretagne\ntype: region\ncode_insee: \"53\"\ncode_siren: \"233500016\"\n");
    testing::write_file(dir_ + "/data/institutions/caf_finistere.yml", "name: CAF du Finistère\ntype: caf\n");
  }
  void benefit(const std::string& id, const std::string& yaml) {
    testing::write_file(dir_ + "/data/benefits/javascript/" + id + ".yml", yaml);
  }
  CatalogueEntry entry(const std::string& id) { return catalogue_program(dir_, id, testing::territory()); }

  static std::string situation(const std::string& birth, const std::string& commune, const std::string& person) {
    return R"({"id": "s", "date": "2026-11-30", "household": {"commune": ")" + commune +
           R"("}, "persons": [{"id": "p1", "role": "applicant", "birth_date": ")" + birth + "\"" + person + "}]}";
  }

  std::string dir_;
};

TEST_F(Catalogue, AFareIsDecidedAsTheSimulatorReadsItsConditionsAndProfiles) {
  benefit("region-bretagne-tarif-jeune",
          "label: Tarif jeune\ninstitution: region_bretagne\ntype: float\nunit: €\nperiodicite: mensuelle\n"
          "montant: 16.8\nlegend: au lieu de 30 €\nlink: https://example.org/tarif\n"
          "conditions_generales:\n  - {type: age, operator: \">=\", value: 16}\n  - {type: age, operator: \"<=\", value: 25}\n"
          "  - {type: attached_to_institution}\n"
          "profils:\n  - type: lyceen\n    conditions: [{type: boursier}]\n  - type: enseignement_superieur\n"
          "conditions: [\"Résider en Bretagne depuis six mois.\"]\n");
  CatalogueEntry e = entry("region-bretagne-tarif-jeune");
  ASSERT_EQ(e.cannot, "");
  EXPECT_NE(e.program_text.find("Résider en Bretagne depuis six mois."), std::string::npos) << "not_evaluated";
  auto c = testing::compile_text(e.program_text);
  ASSERT_EQ(c->error, "");
  const std::string student = R"(, "student": true, "scolarite": "autre", "boursier": false)";
  const std::string pupil = R"(, "student": false, "scolarite": "lycee", "boursier": )";
  auto decided = testing::evaluate_json(
      *c, {situation("2006-06-01", "29019", student),         // 20, Brest, a student: eligible
           situation("2000-11-30", "29019", student),         // 26 today: too old
           situation("2000-12-01", "29019", student),         // 25 until tomorrow: eligible
           situation("2010-11-30", "29019", pupil + "true"),  // 16 today, a pupil with a scholarship
           situation("2010-12-01", "29019", pupil + "true"),  // 15 until tomorrow
           situation("2009-01-01", "29019", pupil + "false"), // a pupil without a scholarship
           situation("2006-06-01", "75056", student),         // Paris
           situation("2006-06-01", "29019", "")});            // what they do is unknown
  ASSERT_EQ(decided.lines.size(), 8u);
  const char* expected[] = {"eligible", "ineligible", "eligible", "eligible", "ineligible", "ineligible", "ineligible",
                            "undetermined"};
  for (size_t i = 0; i < 8; ++i)
    EXPECT_NE(decided.lines[i].find(std::string("\"status\": \"") + expected[i] + "\""), std::string::npos)
        << i << ": " << decided.lines[i];
  EXPECT_NE(decided.lines[0].find("\"montant\": 16.8"), std::string::npos) << decided.lines[0];
}

TEST_F(Catalogue, WhatCannotBeWrittenIsNamedAndCodesOfNoCommuneAreSetAside) {
  benefit("postal", "label: P\ninstitution: region_bretagne\nconditions_generales:\n"
                    "  - {type: codes_postaux, values: [\"29200\"]}\n");
  EXPECT_EQ(entry("postal").cannot, "condition type 'codes_postaux'");
  benefit("unequal", "label: U\ninstitution: region_bretagne\nconditions_generales:\n"
                     "  - {type: age, operator: \"!=\", value: 18}\n");
  EXPECT_EQ(entry("unequal").cannot, "operator '!='");
  EXPECT_NE(entry("../institutions/region_bretagne").cannot, "");
  EXPECT_NE(entry("absent").cannot, "");

  // 62707 designates no commune: left out, and said; a CAF attaches nobody.
  benefit("communes", "label: C\ninstitution: caf_finistere\nconditions_generales:\n"
                      "  - {type: communes, values: [\"62707\", \"29019\"]}\n  - {type: attached_to_institution}\n");
  CatalogueEntry e = entry("communes");
  ASSERT_EQ(e.cannot, "");
  ASSERT_EQ(e.notes.size(), 1u);
  EXPECT_NE(e.notes[0].find("62707"), std::string::npos);
  EXPECT_EQ(e.program_text.find("\\\"62707\\\""), std::string::npos);
  auto c = testing::compile_text(e.program_text);
  ASSERT_EQ(c->error, "");
  auto decided = testing::evaluate_json(*c, {situation("2006-06-01", "29019", "")});
  EXPECT_NE(decided.lines[0].find("\"status\": \"ineligible\""), std::string::npos) << decided.lines[0];
}

}  // namespace
}  // namespace proactif
