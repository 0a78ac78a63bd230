// A legal officer's mistakes in a program file are refused before anything
// runs, with file:line:column and what is wrong.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace proactif {

namespace {

std::string params_dir() {
  static const std::string dir = [] {
    std::string d = testing::temp_dir();
    testing::write_file(d + "/plafond.yaml",
                        "values:\n  2020-01-01: {value: 1000}\nmetadata: {unit: currency, period: year, reference: Test}\n");
    testing::write_file(d + "/mensuel.yaml",
                        "values:\n  2020-01-01: {value: 100}\nmetadata: {unit: currency, period: month, reference: Test}\n");
    // A value without the text that sets it: the first is cited, not the second.
    testing::write_file(d + "/sans_texte.yaml",
                        "values:\n  2020-01-01: {value: 1000, metadata: {reference: Test}}\n  2021-01-01: {value: 1100}\n"
                        "metadata: {unit: currency}\n");
    return d;
  }();
  return dir;
}

// Program text with `VARIABLES` replaced; the header takes 16 lines. The
// eligibility reads every input, as a program must.
std::string program(const std::string& variables,
                    const std::string& eligibility =
                        "ressources <= plafond or (housing == \"owner\" and per_year(mensuel) <= plafond)") {
  return "id: t\ntitle: T\nauthority: A\nalgorithm_role: R\n"
         "parameters:\n  plafond: {path: plafond, unit: EUR/year}\n"
         "inputs:\n"
         "  housing: {entity: household, type: code, values: [tenant, owner]}\n"
         "  mensuel: {entity: household, type: number, unit: EUR/month}\n"
         "  annuel: {entity: person, type: number, unit: EUR/year}\n"
         "variables:\n"
         "  ressources:\n"
         "    type: number\n"
         "    unit: EUR/year\n"
         "    formula: |\n"
         "      sum(all_persons: annuel)\n" +
         variables + "eligibility:\n  formula: " + eligibility + "\n";
}

std::string error_for(const std::string& text) {
  auto c = testing::compile_text(text, params_dir());
  EXPECT_FALSE(c->error.empty()) << "expected the program to be refused";
  return c->error;
}

bool ends_with_location(const std::string& message, const std::string& location) {
  return message.find("program.yaml:" + location + ": ") != std::string::npos;
}

}  // namespace

TEST(ProgramErrors, AValidProgramCompiles) {
  auto c = testing::compile_text(program(""), params_dir());
  EXPECT_EQ(c->error, "");
}

// A parameter file's period agrees with the unit the program reads it in: a
// yearly ceiling read per month would be twelve times too high. And every
// value applied is cited with its text (CRPA R311-3-1-2 3°).
TEST(ProgramErrors, AParameterReadInItsPeriodAndWithItsText) {
  std::string text = program("");
  const std::string declared = "  plafond: {path: plafond, unit: EUR/year}\n";
  auto with = [&](const std::string& declaration) {
    std::string t = text;
    t.replace(t.find(declared), declared.size(), declaration);
    return t;
  };
  std::string e = error_for(with("  plafond: {path: mensuel, unit: EUR/year}\n"));
  EXPECT_NE(e.find("does not agree with the parameter file's period 'month'"), std::string::npos) << e;
  EXPECT_TRUE(ends_with_location(e, "6:3")) << e;
  e = error_for(with("  plafond: {path: sans_texte, unit: EUR/year}\n"));
  EXPECT_NE(e.find("has a value from 2021-01-01 without a reference"), std::string::npos) << e;
  EXPECT_EQ(testing::compile_text(text, params_dir())->error, "");
}

TEST(ProgramErrors, UnknownNameWithLineAndColumn) {
  std::string e = error_for(program("  x:\n    type: boolean\n    formula: ressources > plafnd\n"));
  EXPECT_TRUE(ends_with_location(e, "19:27")) << e;
  EXPECT_NE(e.find("unknown name 'plafnd'"), std::string::npos) << e;
}

TEST(ProgramErrors, ErrorOnTheSecondLineOfABlockFormula) {
  std::string e = error_for(program("  x:\n    type: boolean\n    formula: |\n      ressources >\n        plafond +\n"));
  EXPECT_TRUE(ends_with_location(e, "21:18")) << e;  // the end of the formula, after '+'
  EXPECT_NE(e.find("expected a value"), std::string::npos) << e;
}

TEST(ProgramErrors, UnitMismatch) {
  std::string e = error_for(program("  x:\n    type: number\n    unit: EUR/year\n    formula: ressources + mensuel\n"));
  EXPECT_NE(e.find("cannot add number in EUR/month to number in EUR/year"), std::string::npos) << e;
  EXPECT_TRUE(ends_with_location(e, "20:25")) << e;
  e = error_for(program("  x:\n    type: boolean\n    formula: mensuel <= plafond\n"));
  EXPECT_NE(e.find("cannot compare number in EUR/month with number in EUR/year"), std::string::npos) << e;
  auto ok = testing::compile_text(
      program("  x:\n    type: boolean\n    formula: per_year(mensuel) <= plafond\n"), params_dir());
  EXPECT_EQ(ok->error, "");
}

TEST(ProgramErrors, DeclaredUnitOrTypeDiffersFromFormula) {
  std::string e = error_for(program("  x:\n    type: number\n    unit: EUR/month\n    formula: ressources\n"));
  EXPECT_NE(e.find("declared in EUR/month but its formula gives EUR/year"), std::string::npos) << e;
  e = error_for(program("  x:\n    type: number\n    unit: EUR/year\n    formula: ressources > 0\n"));
  EXPECT_NE(e.find("declared number but its formula gives boolean"), std::string::npos) << e;
}

// Data minimisation: an input is collected for every situation, so one that
// no formula reads is refused, at the line that declares it.
TEST(ProgramErrors, InputThatNoFormulaReads) {
  std::string e = error_for(program("", "ressources <= plafond"));
  EXPECT_NE(e.find("program.yaml:8: input 'housing' is read by no formula of program t"), std::string::npos) << e;
  EXPECT_NE(e.find("GDPR art. 5(1)(c)"), std::string::npos) << e;
}

TEST(ProgramErrors, Cycle) {
  std::string e = error_for(program(
      "  a:\n    type: boolean\n    formula: b\n  b:\n    type: boolean\n    formula: not a\n"));
  EXPECT_NE(e.find("depends on itself: a -> b -> a"), std::string::npos) << e;
}

TEST(ProgramErrors, MisspeltCode) {
  std::string e = error_for(program("  x:\n    type: boolean\n    formula: housing == \"tennant\"\n"));
  EXPECT_NE(e.find("\"tennant\" is not a possible value here (expected one of: tenant, owner)"), std::string::npos) << e;
  EXPECT_TRUE(ends_with_location(e, "19:25")) << e;
}

TEST(ProgramErrors, PersonValueOutsideAnAggregate) {
  std::string e = error_for(program("  x:\n    type: boolean\n    formula: annuel > 0\n"));
  EXPECT_NE(e.find("'annuel' is a value per person"), std::string::npos) << e;
}

TEST(ProgramErrors, UnknownKeyAndUnknownParameter) {
  std::string e = error_for(program("  x:\n    type: boolean\n    formla: true\n"));
  EXPECT_NE(e.find("unknown key 'formla' in variable"), std::string::npos) << e;
  EXPECT_TRUE(ends_with_location(e, "19:5")) << e;
  std::string text = program("");
  text.replace(text.find("path: plafond"), 13, "path: plafonds");
  e = error_for(text);
  EXPECT_NE(e.find("no parameter 'plafonds'"), std::string::npos) << e;
}

// A condition left to confirm says when it concerns a decision with a
// boolean of the program's entity, checked like any formula.
TEST(ProgramErrors, AConditionLeftToConfirmSaysWhenWithABoolean) {
  auto with_when = [](const std::string& when) {
    return program("") + "not_evaluated:\n  - condition: la résidence\n    reference: L1\n    when: " + when + "\n";
  };
  auto c = testing::compile_text(with_when("housing == \"owner\""), params_dir());
  EXPECT_EQ(c->error, "");
  std::string e = error_for(with_when("ressources"));
  EXPECT_NE(e.find("boolean"), std::string::npos) << e;
  e = error_for(with_when("annuel > 0"));
  EXPECT_NE(e.find("'annuel' is a value per person"), std::string::npos) << e;
  e = error_for(with_when("housing == \"owned\""));
  EXPECT_NE(e.find("owned"), std::string::npos) << e;
}

TEST(ProgramErrors, BrokenYaml) {
  std::string e = error_for("id: t\ntitle: [unclosed\n");
  EXPECT_NE(e.find("program.yaml:"), std::string::npos) << e;
}

}  // namespace proactif

namespace proactif {

// An input fetched from API Particulier names a datum the service gives, in a
// type that holds it; anything else is refused where it is written.
TEST(ProgramErrors, AnInputFetchedFromApiParticulierHoldsItsDatum) {
  auto with = [](const std::string& declaration) {
    std::string text = program("");
    const std::string line = "  mensuel: {entity: household, type: number, unit: EUR/month}\n";
    text.replace(text.find(line), line.size(), declaration);
    return text;
  };
  EXPECT_EQ(testing::compile_text(with("  mensuel: {entity: household, type: number, unit: EUR/month, api_particulier: "
                                       "quotient_familial}\n"),
                                  params_dir())->error,
            "");
  const std::string unknown = "  mensuel: {entity: household, type: number, unit: EUR/month, api_particulier: qf}\n";
  std::string e = error_for(with(unknown));
  EXPECT_TRUE(ends_with_location(e, "9:" + std::to_string(unknown.find("qf") + 1))) << e;
  EXPECT_NE(e.find("unknown datum 'qf' (known: quotient_familial, beneficiaire_rsa"), std::string::npos) << e;
  e = error_for(with("  mensuel: {entity: household, type: number, unit: EUR/month, api_particulier: beneficiaire_rsa}\n"));
  EXPECT_NE(e.find("beneficiaire_rsa is true or false: the input must be a boolean"), std::string::npos) << e;
  e = error_for(with("  mensuel: {entity: household, type: number, unit: EUR/year, api_particulier: quotient_familial}\n"));
  EXPECT_NE(e.find("quotient_familial is an amount in EUR/month"), std::string::npos) << e;
  // A statement stands in for a datum fetched only, and says under what.
  auto stated = testing::compile_text(with("  mensuel: {entity: household, type: number, unit: EUR/month, api_particulier: "
                                  "quotient_familial, stated: déclaration sur l'honneur}\n"),
                             params_dir());
  ASSERT_EQ(stated->error, "");
  const auto& inputs = stated->plan->program->inputs;
  auto mensuel = std::find_if(inputs.begin(), inputs.end(), [](const InputDecl& in) { return in.name == "mensuel"; });
  ASSERT_NE(mensuel, inputs.end());
  EXPECT_EQ(mensuel->stated, "déclaration sur l'honneur");
  e = error_for(with("  mensuel: {entity: household, type: number, unit: EUR/month, stated: déclaration sur l'honneur}\n"));
  EXPECT_NE(e.find("stated: only an input fetched from API Particulier may be stated instead"), std::string::npos) << e;
  e = error_for(with("  mensuel: {entity: household, type: number, unit: EUR/month, api_particulier: quotient_familial, "
                     "stated: ''}\n"));
  EXPECT_NE(e.find("stated: name the form or text"), std::string::npos) << e;
}

// A reason for leaving a person out of the foyer is a formula per person,
// checked like any other, and needs its `when`.
TEST(ProgramErrors, AReasonForLeavingAPersonOutOfTheFoyerIsChecked) {
  auto with_foyer = [](const std::string& not_counted) {
    std::string text = program("");
    const std::string foyer = "foyer:\n  label: F\n  reference: Article\n  formula: annuel < 1000\n  not_counted:\n" + not_counted;
    return text.insert(text.find("variables:\n"), foyer);
  };
  EXPECT_EQ(testing::compile_text(with_foyer("    - when: annuel >= 1000\n      reason: trop\n      reference: Article\n"),
                                  params_dir())->error, "");
  std::string e = error_for(with_foyer("    - reason: trop\n      reference: Article\n"));
  EXPECT_NE(e.find("needs its 'when'"), std::string::npos) << e;
  e = error_for(with_foyer("    - when: annuel >= 1000 [month]\n      reason: trop\n      reference: Article\n"));
  EXPECT_TRUE(e.find("program.yaml:16:") != std::string::npos && e.find("cannot compare") != std::string::npos) << e;
  e = error_for(with_foyer("    - when: annuel >= 1000\n      reason: trop\n"));
  EXPECT_NE(e.find("reference"), std::string::npos) << e;
  e = error_for(with_foyer("    - trop\n"));
  EXPECT_NE(e.find("a mapping with when, reason and reference"), std::string::npos) << e;
  // The foyer's own formula keeps its line and column with reasons beside it.
  std::string text = with_foyer("    - when: annuel >= 1000\n      reason: trop\n      reference: Article\n");
  text.replace(text.find("formula: annuel < 1000"), 22, "formula: annuel < plafnd");
  e = error_for(text);
  EXPECT_TRUE(ends_with_location(e, "14:21")) << e;
}

}  // namespace proactif
