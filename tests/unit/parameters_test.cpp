#include <gtest/gtest.h>

#include "params/parameters.hpp"
#include "test_support.hpp"

namespace proactif {

using testing::temp_dir;
using testing::write_file;

// Written the way OpenFisca-France writes its parameter files: `values`
// keyed by date, metadata with unit, references keyed by date (one as a
// list), notes and official journal dates that Proactif does not use.
constexpr const char* kOpenFiscaStyle = R"(description: Montant de base du RSA
values:
  2022-04-01:
    value: 575.52
  2022-07-01:
    value: 598.54
  2030-01-01:
    value: null
metadata:
  short_label: RSA socle
  last_value_still_valid_on: "2022-09-27"
  unit: currency
  reference:
    2022-04-01:
      title: Décret n° 2022-699, art. 1
      href: https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000045668694
    2022-07-01:
    - title: LOI n° 2022-1158 du 16/08/2022, art. 9
      href: https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000046186723
  official_journal_date:
    2022-04-01: "2022-04-27"
  notes:
    2022-07-01:
    - title: Revalorisation de 4%
)";

TEST(Parameters, LoadsAnOpenFiscaFileAndLooksUpValuesByDate) {
  std::string dir = temp_dir();
  write_file(dir + "/prestations/rsa/montant_de_base.yaml", kOpenFiscaStyle);
  write_file(dir + "/prestations/rsa/index.yaml", "description: RSA\n");
  auto set = ParameterSet::load(dir);
  ASSERT_TRUE(set) << set.error().message;
  const Parameter* p = set->find("prestations.rsa.montant_de_base");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->unit, "currency");
  auto at = [&](const char* d) { return value_at(p->values, *parse_iso_date(d)); };
  EXPECT_EQ(at("2022-03-31"), nullptr);  // not yet defined
  ASSERT_NE(at("2022-04-01"), nullptr);
  EXPECT_DOUBLE_EQ(at("2022-04-01")->number, 575.52);
  EXPECT_DOUBLE_EQ(at("2022-06-30")->number, 575.52);
  EXPECT_DOUBLE_EQ(at("2022-07-01")->number, 598.54);
  EXPECT_NE(at("2022-07-01")->reference.find("2022-1158"), std::string::npos);
  EXPECT_NE(at("2022-04-01")->reference.find("2022-699"), std::string::npos);
  EXPECT_EQ(at("2030-01-01"), nullptr);  // a null value ends the parameter
}

TEST(Parameters, ANodeFileHoldsSeveralParameters) {
  std::string dir = temp_dir();
  write_file(dir + "/plafonds.yaml", R"(description: Plafonds
une_personne:
  values:
    2025-04-01: {value: 10339}
deux_personnes:
  values:
    2025-04-01: {value: 15508}
)");
  auto set = ParameterSet::load(dir);
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_NE(set->find("plafonds.deux_personnes"), nullptr);
  EXPECT_DOUBLE_EQ(set->find("plafonds.deux_personnes")->values[0].number, 15508);
}

TEST(Parameters, ScalesGiveTheirBracketsInForce) {
  std::string dir = temp_dir();
  write_file(dir + "/bareme.yaml", R"(brackets:
- threshold: {2019-11-01: {value: 0}}
  amount: {2019-11-01: {value: 8}}
- threshold: {2019-11-01: {value: 30}}
  amount: {2019-11-01: {value: 14}, 2026-01-01: {value: 15}}
metadata: {threshold_unit: year, amount_unit: currency}
)");
  auto set = ParameterSet::load(dir);
  ASSERT_TRUE(set) << set.error().message;
  auto rows = scale_at(*set->find("bareme"), *parse_iso_date("2026-02-01"));
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_DOUBLE_EQ((*rows)[1].threshold, 30);
  EXPECT_DOUBLE_EQ((*rows)[1].amount, 15);
}

TEST(Parameters, AMalformedValueNamesFileAndLine) {
  std::string dir = temp_dir();
  write_file(dir + "/bad.yaml", "values:\n  2025-04-01:\n    value: douze\n");
  auto set = ParameterSet::load(dir);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("bad.yaml:3"), std::string::npos) << set.error().message;
  EXPECT_NE(set.error().message.find("not a number"), std::string::npos);
  write_file(dir + "/bad.yaml", "values:\n  2025-02-30:\n    value: 1\n");
  set = ParameterSet::load(dir);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("not a date"), std::string::npos) << set.error().message;
  // A scale whose thresholds do not rise in the order written, on the day
  // one of them changes: sorted, it would price a band nobody wrote.
  write_file(dir + "/bad.yaml", R"(brackets:
- threshold: {2024-01-01: {value: 0}}
  amount: {2024-01-01: {value: 5}}
- threshold: {2024-01-01: {value: 566}}
  amount: {2024-01-01: {value: 10}}
- threshold: {2024-01-01: {value: 600}, 2025-01-01: {value: 500}}
  amount: {2024-01-01: {value: 15}}
)");
  set = ParameterSet::load(dir);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("do not rise in the order written on 2025-01-01 (566 then 500)"), std::string::npos)
      << set.error().message;
  // The period and the reference of a node above, for its parameters
  // that give none; a period other than month or year says nothing.
  write_file(dir + "/bad.yaml", R"(metadata: {period: year, reference: "CSS D861-1"}
une_personne:
  values: {2025-04-01: {value: 10339}}
  metadata: {unit: currency}
autre:
  values: {2025-04-01: {value: 1}}
  metadata: {period: eternity, reference: "Autre texte"}
)");
  set = ParameterSet::load(dir);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->find("bad.une_personne")->period, "year");
  EXPECT_EQ(set->find("bad.une_personne")->values[0].reference, "CSS D861-1");
  EXPECT_EQ(set->find("bad.autre")->period, "");
  EXPECT_EQ(set->find("bad.autre")->values[0].reference, "Autre texte");
}

// An amount revalued every year on 1 April is not read past the next 1 April
// after its last value: last year's ceiling would be applied in silence.
TEST(Parameters, ARevaluedAmountEndsAtTheNextRevaluationNotWritten) {
  std::string dir = temp_dir();
  write_file(dir + "/plafond.yaml", R"(values:
  2024-04-01: {value: 10166}
  2025-04-01: {value: 10339}
metadata:
  revalued_yearly_on: "04-01"
)");
  write_file(dir + "/montant.yaml", R"(values:
  2025-01-01: {value: 100}
metadata:
  revalued_yearly_on: "04-01"
)");
  write_file(dir + "/fin.yaml", R"(values:
  2025-04-01: {value: 1}
  2025-10-01: {value: null}
metadata:
  revalued_yearly_on: "04-01"
)");
  auto set = ParameterSet::load(dir);
  ASSERT_TRUE(set) << set.error().message;
  auto at = [&](const char* path, const char* d) { return value_at(set->find(path)->values, *parse_iso_date(d)); };
  ASSERT_NE(at("plafond", "2026-03-31"), nullptr);
  EXPECT_DOUBLE_EQ(at("plafond", "2026-03-31")->number, 10339);
  EXPECT_EQ(at("plafond", "2026-04-01"), nullptr);
  EXPECT_EQ(at("plafond", "2030-01-01"), nullptr);
  const DatedValue* ended = entry_at(set->find("plafond")->values, *parse_iso_date("2026-04-01"));
  ASSERT_NE(ended, nullptr);
  EXPECT_NE(ended->reference.find("2026-04-01"), std::string::npos) << ended->reference;
  // A value of January is revalued the 1 April after it.
  ASSERT_NE(at("montant", "2025-03-31"), nullptr);
  EXPECT_EQ(at("montant", "2025-04-01"), nullptr);
  // A value already ended keeps its end.
  EXPECT_EQ(at("fin", "2025-10-01"), nullptr);
  EXPECT_EQ(set->find("fin")->values.size(), 2u);

  write_file(dir + "/bad.yaml", "values:\n  2025-04-01: {value: 1}\nmetadata:\n  revalued_yearly_on: avril\n");
  auto bad = ParameterSet::load(dir);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("MM-DD"), std::string::npos) << bad.error().message;
}

}  // namespace proactif
