// What an answer of API Particulier establishes: what it says, no more. A
// datum the answer leaves out, or a "no" in a window where the provider's
// data are known to be incomplete, is not a "no".
#include <gtest/gtest.h>

#include "sources/api_particulier.hpp"

namespace proactif {

namespace {

Days on(const char* date) { return *parse_iso_date(date); }

}  // namespace

TEST(ApiParticulierAnswer, AQuotientFamilialIsReadWithItsMonthAndProvider) {
  auto d = read_proof_answer(Datum::kQuotientFamilial,
                             R"({"data": {"quotient_familial": {"fournisseur": "MSA", "valeur": 150, "annee": 2024, "mois": 9}}})",
                             on("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kFound);
  EXPECT_EQ(d.value, "150");
  EXPECT_EQ(d.as_of, "2024-09");
  EXPECT_EQ(d.provider, "MSA");
  d = read_proof_answer(Datum::kQuotientFamilial, R"({"data": {"quotient_familial": null}})", on("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kNotFound);
  EXPECT_TRUE(d.value.empty());
}

TEST(ApiParticulierAnswer, AScholarshipNotSaidIsNotANo) {
  auto d = read_proof_answer(Datum::kEchelonBourse, R"({"data": {"periode_versement_bourse": {}}})", on("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kNotFound);
  d = read_proof_answer(Datum::kEchelonBourse, R"({"data": {"statut_boursier": {"est_radie": false}}})", on("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kNotFound);
  // A "no" in March is one; in October it may be a holder CNOUS does not know yet.
  const char* no = R"({"data": {"statut_boursier": {"est_boursier": false, "est_radie": false}}})";
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, on("2025-03-01")).value, "\"none\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, on("2025-10-20")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, on("2025-11-30")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, on("2025-12-01")).value, "\"none\"");
  // Struck off: no scholarship; a step the program does not know: not trusted.
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse,
                              R"({"data": {"statut_boursier": {"est_boursier": true, "est_radie": true}, "echelon_bourse": {"echelon": "5"}}})",
                              on("2025-03-01")).value,
            "\"none\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse,
                              R"({"data": {"statut_boursier": {"est_boursier": true}, "echelon_bourse": {"echelon": "0 bis"}}})",
                              on("2025-03-01")).value,
            "\"0bis\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse,
                              R"({"data": {"statut_boursier": {"est_boursier": true}, "echelon_bourse": {"echelon": "0"}}})",
                              on("2025-03-01")).outcome,
            FetchOutcome::kUnreliable);
}

TEST(ApiParticulierAnswer, ASchoolScholarshipNoBeforeMidOctoberIsNotTrusted) {
  const char* no = R"({"data": {"est_scolarise": true, "est_boursier": false}})";
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, no, on("2025-10-14")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, no, on("2025-10-15")).value, "false");
  const char* not_at_school = R"({"data": {"est_scolarise": false}})";
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, not_at_school, on("2025-09-20")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, not_at_school, on("2026-01-20")).value, "false");
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, R"({"data": {"est_scolarise": true}})", on("2026-01-20")).outcome,
            FetchOutcome::kNotFound);
}

TEST(ApiParticulierAnswer, AStudentIsEnrolledOnTheDateOrNotKnownToBe) {
  const char* admissions =
      R"({"data": {"admissions": [{"date_debut": "2024-09-01", "date_fin": "2025-08-31", "est_inscrit": true},
                                  {"date_debut": "2025-09-01", "date_fin": "2026-08-31", "est_inscrit": false}]}})";
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, admissions, on("2025-08-31")).value, "true");
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, admissions, on("2025-09-01")).value, "false");
  // An enrolment whose end is not a date (the sandbox has "2021-06-31").
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant,
                              R"({"data": {"admissions": [{"date_debut": "2020-09-01", "date_fin": "2021-06-31", "est_inscrit": true}]}})",
                              on("2021-01-15")).outcome,
            FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, R"({"data": {}})", on("2021-01-15")).outcome, FetchOutcome::kNotFound);
}

TEST(ApiParticulierAnswer, ARightIsReadAsSaid) {
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireRsa, R"({"data": {"est_beneficiaire": false}})", on("2025-03-01")).value, "false");
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireC2s, R"({"data": {"avec_participation": true}})", on("2025-03-01")).outcome,
            FetchOutcome::kNotFound);
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireAah, "not json", on("2025-03-01")).outcome, FetchOutcome::kRetryLater);
}

TEST(ApiParticulierSettings, OnlyTheSchemesAndValuesThatCanBeTrusted) {
  ApiParticulierConfig c;
  c.token = "t";
  c.recipient = "13002526500013";
  EXPECT_EQ(config_fault(c), "");
  c.base_url = "http://particulier.api.gouv.fr";
  EXPECT_NE(config_fault(c).find("in clear"), std::string::npos);
  c.base_url = "http://127.0.0.1:8444";
  EXPECT_EQ(config_fault(c), "");
  c.base_url = "file:///etc/passwd";
  EXPECT_NE(config_fault(c).find("not accepted"), std::string::npos);
  c.base_url = "https://particulier.api.gouv.fr";
  c.recipient = "1300252650001";
  EXPECT_NE(config_fault(c).find("SIRET"), std::string::npos);
  c.recipient = "13002526500013";
  c.token = "a b";
  EXPECT_NE(config_fault(c).find("token"), std::string::npos);
}

}  // namespace proactif
