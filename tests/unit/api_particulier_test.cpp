// What an answer of API Particulier establishes: what it says, no more. A
// datum the answer leaves out, or a "no" in a window where the provider's
// data are known to be incomplete, is not a "no".
#include <gtest/gtest.h>

#include "core/api_particulier_data.hpp"
#include "eval/citizen_values.hpp"
#include "sources/api_particulier.hpp"

namespace proactif {

namespace {

Days on(const char* date) { return *parse_iso_date(date); }
// An answer read on its own date, no birth date to compare.
AnswerContext at(const char* date) { return {on(date), on(date), std::nullopt}; }

}  // namespace

TEST(ApiParticulierAnswer, AQuotientFamilialIsReadWithItsMonthAndProvider) {
  auto d = read_proof_answer(Datum::kQuotientFamilial,
                             R"({"data": {"quotient_familial": {"fournisseur": "MSA", "valeur": 150, "annee": 2025, "mois": 3}}})",
                             at("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kFound);
  EXPECT_EQ(d.value, "150");
  EXPECT_EQ(d.as_of, "2025-03");
  EXPECT_EQ(d.provider, "MSA");
  d = read_proof_answer(Datum::kQuotientFamilial, R"({"data": {"quotient_familial": null}})", at("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kNotFound);
  EXPECT_TRUE(d.value.empty());
}

TEST(ApiParticulierAnswer, AQuotientFamilialIsThatOfTheMonthDecidedOn) {
  auto qf = [](const char* month_and_value) {
    return std::string(R"({"data": {"quotient_familial": {"fournisseur": "CNAF", )") + month_and_value + "}}}";
  };
  // Another month's quotient is not this month's (the sandbox answers with May 2023's).
  auto d = read_proof_answer(Datum::kQuotientFamilial, qf(R"("valeur": 612, "annee": 2024, "mois": 9)"), at("2025-03-31"));
  EXPECT_EQ(d.outcome, FetchOutcome::kUnreliable);
  EXPECT_NE(d.detail.find("2024-09"), std::string::npos);
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf(R"("valeur": 612)"), at("2025-03-31")).outcome,
            FetchOutcome::kUnreliable);
  // A date in a month to come is decided on this month's quotient.
  const AnswerContext april{on("2025-04-10"), on("2025-03-20"), std::nullopt};
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf(R"("valeur": 612, "annee": 2025, "mois": 3)"), april).value, "612");
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf(R"("valeur": 612, "annee": 2025, "mois": 4)"), april).outcome,
            FetchOutcome::kUnreliable);
  // To the cent, as the CAF and the MSA compute it; a finer figure is not theirs.
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf(R"("valeur": 612.5, "annee": 2025, "mois": 3)"), at("2025-03-02")).value,
            "612.5");
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf(R"("valeur": 565.004, "annee": 2025, "mois": 3)"), at("2025-03-02")).outcome,
            FetchOutcome::kUnreliable);
}

TEST(ApiParticulierAnswer, AnAnswerNamingOnlyOthersIsNotThePersonsOwn) {
  // The official sandbox's answer to a request for a man born on 27 June 1987.
  const std::string martin = R"({"data": {"quotient_familial": {"fournisseur": "MSA", "valeur": 200, "annee": 2025, "mois": 3},
      "allocataires": [{"nom_naissance": "MARTIN", "prenoms": "PIERRE ALEXIS", "date_naissance": "1978-06-27", "sexe": "M"},
                       {"nom_naissance": "LEROUGE", "prenoms": "JUSTINE", "date_naissance": "1979-05-19", "sexe": "F"}],
      "enfants": [{"nom_naissance": "MARTIN", "prenoms": "FLEUR", "date_naissance": "2010-04-20", "sexe": "F"}]}})";
  AnswerContext asked{on("2025-03-10"), on("2025-03-10"), on("1987-06-27")};
  auto d = read_proof_answer(Datum::kQuotientFamilial, martin, asked);
  EXPECT_EQ(d.outcome, FetchOutcome::kUnreliable);
  EXPECT_TRUE(d.value.empty());
  EXPECT_EQ(d.detail.find("1978"), std::string::npos);  // nothing personal in the detail
  // The household's other allocataire, or a child of it, is named: the quotient is theirs too.
  asked.birth_date = on("1979-05-19");
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, martin, asked).value, "200");
  asked.birth_date = on("2010-04-20");
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, martin, asked).value, "200");
  // A student's identity (the sandbox answers a request for 2004 with a student born in 2000).
  const char* student = R"({"data": {"identite": {"nom_naissance": "IBARRA", "prenom": "JENNYFER", "date_naissance": "2000-01-01"},
      "admissions": [{"date_debut": "2024-09-01", "date_fin": "2025-08-31", "est_inscrit": true}]}})";
  asked = {on("2025-03-10"), on("2025-03-10"), on("2004-01-01")};
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, student, asked).outcome, FetchOutcome::kUnreliable);
  asked.birth_date = on("2000-01-01");
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, student, asked).value, "true");
  // An answer that names nobody (a right's) has nobody to compare.
  asked.birth_date = on("1987-06-27");
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireRsa, R"({"data": {"est_beneficiaire": false}})", asked).value, "false");
}

TEST(ApiParticulierAnswer, ARightOpenedAfterTheDateSaysNothingOfTheDate) {
  const char* opened = R"({"data": {"est_beneficiaire": true, "date_debut_droit": "2025-03-15"}})";
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireRsa, opened, at("2025-03-14")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireRsa, opened, at("2025-03-15")).value, "true");
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireC2s, R"({"data": {"est_beneficiaire": true, "date_debut_droit": "le 3 mars"}})",
                              at("2025-03-14")).outcome,
            FetchOutcome::kUnreliable);
}

TEST(ApiParticulierAnswer, AScholarshipStepCountsOverTheMonthsItIsPaidFor) {
  const char* paid = R"({"data": {"statut_boursier": {"est_boursier": true, "est_radie": false},
      "periode_versement_bourse": {"date_rentree": "2024-09-01", "duree": 10}, "echelon_bourse": {"echelon": "5"}}})";
  const AnswerContext june{on("2025-06-30"), on("2025-06-30"), std::nullopt};
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, paid, june).value, "\"5\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, paid, at("2024-09-01")).value, "\"5\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, paid, at("2025-07-01")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, paid, at("2024-08-31")).outcome, FetchOutcome::kUnreliable);
  // With no period, and a "no", the answer is today's: not a date's months away.
  const char* unpaid = R"({"data": {"statut_boursier": {"est_boursier": false, "est_radie": false}}})";
  const char* no_period = R"({"data": {"statut_boursier": {"est_boursier": true}, "echelon_bourse": {"echelon": "2"}}})";
  const AnswerContext long_ago{on("2025-01-15"), on("2025-03-01"), std::nullopt};
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, unpaid, long_ago).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no_period, long_ago).outcome, FetchOutcome::kUnreliable);
  // Struck off after the date: the student held the step on the date.
  const char* struck_off = R"({"data": {"statut_boursier": {"est_boursier": true, "est_radie": true, "date_radiation": "2025-06-10"},
      "periode_versement_bourse": {"date_rentree": "2024-09-01", "duree": 10}, "echelon_bourse": {"echelon": "5"}}})";
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, struck_off, at("2025-06-09")).value, "\"5\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, struck_off, at("2025-06-10")).value, "\"none\"");
  const AnswerContext lately{on("2025-02-01"), on("2025-03-01"), std::nullopt};
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, unpaid, lately).value, "\"none\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no_period, lately).value, "\"2\"");
}

TEST(ApiParticulierAsking, WhatTheServiceCannotAnswerForTheDateIsNotAsked) {
  const Days today = on("2026-12-05");
  EXPECT_EQ(why_not_asked_on(Datum::kBeneficiaireRsa, on("2026-11-04"), today), "");
  EXPECT_NE(why_not_asked_on(Datum::kBeneficiaireRsa, on("2026-11-03"), today), "");
  EXPECT_NE(why_not_asked_on(Datum::kBeneficiaireC2s, on("2027-01-06"), today), "");
  EXPECT_NE(why_not_asked_on(Datum::kBeneficiaireAah, on("2025-03-01"), today), "");
  // A quotient familial of a past month is asked for that month, two years back at most.
  EXPECT_EQ(why_not_asked_on(Datum::kQuotientFamilial, on("2025-01-31"), today), "");
  EXPECT_NE(why_not_asked_on(Datum::kQuotientFamilial, on("2024-12-31"), today), "");
  EXPECT_EQ(why_not_asked_on(Datum::kQuotientFamilial, on("2027-01-05"), today), "");
  EXPECT_NE(why_not_asked_on(Datum::kQuotientFamilial, on("2027-01-06"), today), "");
  // Enrolments and school years carry their own dates.
  EXPECT_EQ(why_not_asked_on(Datum::kStatutEtudiant, on("2024-10-15"), today), "");
  EXPECT_EQ(why_not_asked_on(Datum::kBoursierScolaire, on("2024-10-15"), today), "");
  const CivilDate month = quotient_familial_month(on("2027-01-05"), today);
  EXPECT_EQ(month.year * 100 + month.month, 202612);
  const CivilDate past = quotient_familial_month(on("2025-06-30"), today);
  EXPECT_EQ(past.year * 100 + past.month, 202506);
}

TEST(ApiParticulierAnswer, AScholarshipNotSaidIsNotANo) {
  auto d = read_proof_answer(Datum::kEchelonBourse, R"({"data": {"periode_versement_bourse": {}}})", at("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kNotFound);
  d = read_proof_answer(Datum::kEchelonBourse, R"({"data": {"statut_boursier": {"est_radie": false}}})", at("2025-03-01"));
  EXPECT_EQ(d.outcome, FetchOutcome::kNotFound);
  // A "no" in March is one; in October it may be a holder CNOUS does not know yet.
  const char* no = R"({"data": {"statut_boursier": {"est_boursier": false, "est_radie": false}}})";
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, at("2025-03-01")).value, "\"none\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, at("2025-10-20")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, at("2025-11-30")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse, no, at("2025-12-01")).value, "\"none\"");
  // Struck off: no scholarship; a step the program does not know: not trusted.
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse,
                              R"({"data": {"statut_boursier": {"est_boursier": true, "est_radie": true}, "echelon_bourse": {"echelon": "5"}}})",
                              at("2025-03-01")).value,
            "\"none\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse,
                              R"({"data": {"statut_boursier": {"est_boursier": true}, "echelon_bourse": {"echelon": "0 bis"}}})",
                              at("2025-03-01")).value,
            "\"0bis\"");
  EXPECT_EQ(read_proof_answer(Datum::kEchelonBourse,
                              R"({"data": {"statut_boursier": {"est_boursier": true}, "echelon_bourse": {"echelon": "0"}}})",
                              at("2025-03-01")).outcome,
            FetchOutcome::kUnreliable);
}

TEST(ApiParticulierAnswer, ASchoolScholarshipNoBeforeMidOctoberIsNotTrusted) {
  const char* no = R"({"data": {"est_scolarise": true, "est_boursier": false}})";
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, no, at("2025-10-14")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, no, at("2025-10-15")).value, "false");
  const char* not_at_school = R"({"data": {"est_scolarise": false}})";
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, not_at_school, at("2025-09-20")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, not_at_school, at("2026-01-20")).value, "false");
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, R"({"data": {"est_scolarise": true}})", at("2026-01-20")).outcome,
            FetchOutcome::kNotFound);
}

// Another school year's scholarship says nothing of the year decided on (a
// tester's finding of 2026-12-06: last year's made a pupil eligible).
TEST(ApiParticulierAnswer, ASchoolScholarshipIsThatOfTheSchoolYearDecidedOn) {
  const char* held = R"({"data": {"est_scolarise": true, "est_boursier": true, "annee_scolaire": "2025-2026",
                                   "module_elementaire_formation": {"code_mef_stat": "211324099991"}}})";
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, held, at("2026-06-30")).value, "true");
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, held, at("2025-09-01")).value, "true");
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, held, at("2026-12-06")).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, held, at("2025-08-31")).outcome, FetchOutcome::kUnreliable);
}

// The ministry's scholarship of a collège pupil is not a lycée pupil's (a
// tester's finding of 2026-12-06); one whose class is not said is not known
// to be.
TEST(ApiParticulierAnswer, ASchoolScholarshipIsALyceePupils) {
  auto in_class = [](const std::string& mef) {
    return R"({"data": {"est_scolarise": true, "est_boursier": true, "annee_scolaire": "2025-2026")" + mef + "}}";
  };
  const AnswerContext march = at("2026-03-02");
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, in_class(R"(, "module_elementaire_formation":
            {"code_mef_stat": "211324099991", "libelle": "1CAP1 STAFFEUR ORNEMANISTE"})"), march).value, "true");
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, in_class(R"(, "module_elementaire_formation":
            {"code_mef_stat": "10010012110", "libelle": "6EME"})"), march).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire, in_class(""), march).outcome, FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kBoursierScolaire,
                              R"({"data": {"est_scolarise": true, "est_boursier": false, "annee_scolaire": "2025-2026"}})",
                              march).value, "false");
}

// A quotient familial below 0 or beyond any amount is not the CAF's: it
// reaches no decision (a negative one would be the cheapest fare's).
TEST(ApiParticulierAnswer, AQuotientFamilialOutOfAnyAmountIsNotTrusted) {
  auto qf = [](const std::string& value) {
    return R"({"data": {"quotient_familial": {"fournisseur": "CNAF", "valeur": )" + value +
           R"(, "annee": 2025, "mois": 3}}})";
  };
  for (const char* value : {"-5", "1e300", "-0.01"})
    EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf(value), at("2025-03-02")).outcome, FetchOutcome::kUnreliable)
        << value;
  EXPECT_EQ(read_proof_answer(Datum::kQuotientFamilial, qf("0"), at("2025-03-02")).value, "0");
}

TEST(ApiParticulierAnswer, AStudentIsEnrolledOnTheDateOrNotKnownToBe) {
  const char* admissions =
      R"({"data": {"admissions": [{"date_debut": "2024-09-01", "date_fin": "2025-08-31", "est_inscrit": true},
                                  {"date_debut": "2025-09-01", "date_fin": "2026-08-31", "est_inscrit": false}]}})";
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, admissions, at("2025-08-31")).value, "true");
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, admissions, at("2025-09-01")).value, "false");
  // An enrolment whose end is not a date (the sandbox has "2021-06-31").
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant,
                              R"({"data": {"admissions": [{"date_debut": "2020-09-01", "date_fin": "2021-06-31", "est_inscrit": true}]}})",
                              at("2021-01-15")).outcome,
            FetchOutcome::kUnreliable);
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, R"({"data": {}})", at("2021-01-15")).outcome, FetchOutcome::kNotFound);
  // Continuing education or an apprenticeship does not say whether the
  // person is a student (a tester's finding: an adult in training was
  // refused the RSA); initial education does.
  auto enrolled_as = [](const char* code) {
    return std::string(R"({"data": {"admissions": [{"date_debut": "2024-09-01", "date_fin": "2025-08-31", "est_inscrit": true, )"
                       R"("regime_formation": {"code": ")") + code + R"("}}]}})";
  };
  for (const char* code : {"RF4", "RF5", "RF6", "RF7"})
    EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, enrolled_as(code), at("2025-03-01")).outcome, FetchOutcome::kUnreliable)
        << code;
  for (const char* code : {"RF1", "RF2", "RF3"})
    EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, enrolled_as(code), at("2025-03-01")).value, "true") << code;
  // The answer lists the year under way's enrolments: none covering a date
  // of another year says nothing of it; one covering it does.
  const AnswerContext next_year{on("2026-10-01"), on("2025-08-20"), std::nullopt};
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, admissions, next_year).outcome, FetchOutcome::kUnreliable);
  const AnswerContext last_spring{on("2025-03-01"), on("2025-08-20"), std::nullopt};
  EXPECT_EQ(read_proof_answer(Datum::kStatutEtudiant, admissions, last_spring).value, "true");
}

TEST(ApiParticulierAnswer, ARightIsReadAsSaid) {
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireRsa, R"({"data": {"est_beneficiaire": false}})", at("2025-03-01")).value, "false");
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireC2s, R"({"data": {"avec_participation": true}})", at("2025-03-01")).outcome,
            FetchOutcome::kNotFound);
  EXPECT_EQ(read_proof_answer(Datum::kBeneficiaireAah, "not json", at("2025-03-01")).outcome, FetchOutcome::kRetryLater);
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

// A person reads which provider API Particulier asked, whether it answered
// or not, without the route (an agent's): a tester found the provider
// dropped, a parenthesis left, where the provider's name held one.
TEST(ApiParticulierAnswer, APersonReadsWhoWasAskedWithoutTheRoute) {
  const std::string provider = "ministère de l'Enseignement supérieur (MESR)";
  EXPECT_EQ(citizen::readable_source(fetched_from(provider, "/v3/men/statut_etudiant", "2026-12-07")),
            "ministère de l'Enseignement supérieur (MESR), par API Particulier, obtenu le 07/12/2026");
  EXPECT_EQ(citizen::readable_source("déclaration de la personne (comme au formulaire de demande de RSA, cerfa n° 15481) ; "
                                     "demandée par API Particulier (/v3/men/statut_etudiant, fournisseur : " + provider +
                                     ") le 07/12/2026, non obtenue (personne non trouvée)"),
            "déclaration de la personne (comme au formulaire de demande de RSA, cerfa n° 15481) ; demandée par API "
            "Particulier (fournisseur : ministère de l'Enseignement supérieur (MESR)) le 07/12/2026, non obtenue "
            "(personne non trouvée)");
}

}  // namespace proactif
