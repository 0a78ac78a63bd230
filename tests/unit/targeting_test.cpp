// The targeting rules, written once for campaigns and events: each reason
// not to act, in its order, and a grant only where the law gives a route.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "campaign/acting_day.hpp"
#include "campaign/contacts.hpp"
#include "campaign/planner.hpp"
#include "campaign/subject_facts.hpp"
#include "campaign/targeting.hpp"
#include "sources/source_mapping.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

CampaignProgram config(ActionKind eligible, ActionKind undetermined = ActionKind::kNotifyPossible) {
  CampaignProgram c;
  c.id = "c2s";
  c.eligible = eligible;
  c.undetermined = undetermined;
  return c;
}

SubjectFacts eligible() {
  SubjectFacts f;
  f.status = Status::kEligible;
  return f;
}

}  // namespace

TEST(Targeting, AnEligibleSubjectIsActedOnAsConfigured) {
  EXPECT_EQ(target(config(ActionKind::kNotify), eligible()).action, ActionKind::kNotify);
  SubjectFacts maybe = eligible();
  maybe.status = Status::kUndetermined;
  EXPECT_EQ(target(config(ActionKind::kNotify), maybe).action, ActionKind::kNotifyPossible);
  EXPECT_EQ(target(config(ActionKind::kNotify, ActionKind::kNothing), maybe).skip, Skip::kNoActionForOutcome);
}

TEST(Targeting, NothingIsDoneNorCountedAsSkippedForTheIneligible) {
  SubjectFacts f = eligible();
  f.status = Status::kIneligible;
  f.objected = true;
  Targeting t = target(config(ActionKind::kNotify), f);
  EXPECT_EQ(t.action, ActionKind::kNothing);
  EXPECT_EQ(t.skip, Skip::kNone);
}

TEST(Targeting, EachReasonNotToActAndItsOrder) {
  const std::pair<bool SubjectFacts::*, Skip> rules[] = {
      {&SubjectFacts::objected, Skip::kObjected},
      {&SubjectFacts::already_receiving, Skip::kAlreadyReceiving},
      {&SubjectFacts::already_acted_on, Skip::kAlreadyActedOn},
      {&SubjectFacts::under_review, Skip::kUnderReview},
      {&SubjectFacts::incomplete, Skip::kIncompleteHousehold},
      {&SubjectFacts::decided_otherwise_at_address, Skip::kDecidedOtherwiseAtAddress},
      {&SubjectFacts::decided_otherwise_in_commune_elsewhere, Skip::kDecidedOtherwiseInCommuneElsewhere},
      {&SubjectFacts::not_eligible_in_any_commune_given, Skip::kNotEligibleInAnyCommuneGiven},
  };
  for (size_t i = 0; i < std::size(rules); ++i) {
    SubjectFacts f = eligible();
    f.*rules[i].first = true;
    EXPECT_EQ(target(config(ActionKind::kNotify), f).skip, rules[i].second) << skip_reason(rules[i].second);
    // A reason checked earlier wins over those after it.
    for (size_t j = i + 1; j < std::size(rules); ++j) f.*rules[j].first = true;
    EXPECT_EQ(target(config(ActionKind::kNotify), f).skip, rules[i].second);
    EXPECT_EQ(target(config(ActionKind::kNotify), f).action, ActionKind::kNothing);
  }
  EXPECT_STREQ(skip_reason(Skip::kObjected), "objected or refused");
}

// Where the household may live now (its postal address), a grant or a
// possible right is not acted on either if the decision would differ.
TEST(Targeting, ADecisionThatWouldDifferAtTheAddressIsNotActedOn) {
  for (ActionKind kind : {ActionKind::kGrant, ActionKind::kNotifyPossible}) {
    SubjectFacts f = kind == ActionKind::kGrant ? eligible() : SubjectFacts{};
    if (kind != ActionKind::kGrant) f.status = Status::kUndetermined;
    f.legal_route = true;
    f.decided_otherwise_at_address = true;
    EXPECT_EQ(target(config(ActionKind::kGrant, kind), f).skip, Skip::kDecidedOtherwiseAtAddress);
    // Nor where another administration's commune for it would.
    f.decided_otherwise_at_address = false;
    f.decided_otherwise_in_commune_elsewhere = true;
    EXPECT_EQ(target(config(ActionKind::kGrant, kind), f).skip, Skip::kDecidedOtherwiseInCommuneElsewhere);
    // Nor where the communes its rows give would each decide not eligible.
    f.decided_otherwise_in_commune_elsewhere = false;
    f.not_eligible_in_any_commune_given = true;
    EXPECT_EQ(target(config(ActionKind::kGrant, kind), f).skip, Skip::kNotEligibleInAnyCommuneGiven);
  }
}

// Without a route in law for this decision, an entitled subject is told of
// the right instead: not granted, and not left untold either.
TEST(Targeting, AGrantNeedsARouteInLaw) {
  SubjectFacts f = eligible();
  Targeting t = target(config(ActionKind::kGrant), f);
  EXPECT_EQ(t.action, ActionKind::kNotify);
  EXPECT_EQ(t.skip, Skip::kNone);
  EXPECT_EQ(t.not_granted, Skip::kNoLegalRoute);
  EXPECT_STREQ(skip_reason(Skip::kNoLegalRoute), "no automatic route in law");
  f.legal_route = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kNone);
  // The person's refusal prevails over the route.
  f.objected = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kObjected);
}

// A grant requests for the foyer: not when whether one of its persons is
// already covered is unknown. A notice goes.
TEST(Targeting, AGrantNeedsToKnowNobodyIsAlreadyCovered) {
  SubjectFacts f = eligible();
  f.legal_route = true;
  f.receiving_unknown = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kNotify);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kReceivingUnknown);
  EXPECT_STREQ(skip_reason(Skip::kReceivingUnknown), "not known whether already receiving");
  EXPECT_EQ(target(config(ActionKind::kNotify), f).action, ActionKind::kNotify);
  f.already_receiving = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kAlreadyReceiving);
}

// A request that stands (sent in the year before, not refused nor
// rejected) is not made again; a notice is not held back by it.
TEST(Targeting, AGrantIsNotAskedAgainWhileARequestStands) {
  SubjectFacts f = eligible();
  f.legal_route = true;
  f.already_requested = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kNothing);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kAlreadyRequested);
  EXPECT_STREQ(skip_reason(Skip::kAlreadyRequested), "a request transmitted within 12 months of this period stands");
  EXPECT_EQ(target(config(ActionKind::kNotify), f).action, ActionKind::kNotify);
  f.already_requested = false;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
}

// Told within the year (in an earlier period), a person is not told the
// same again; a possible right that became certain is told.
TEST(Targeting, APersonToldWithinTheYearIsNotToldTheSameAgain) {
  SubjectFacts f = eligible();
  f.told_of_possible = true;
  EXPECT_EQ(target(config(ActionKind::kNotify), f).action, ActionKind::kNotify);
  f.told_of_right = true;
  EXPECT_EQ(target(config(ActionKind::kNotify), f).skip, Skip::kAlreadyTold);
  EXPECT_STREQ(skip_reason(Skip::kAlreadyTold), "told within 12 months of this period");
  // A grant told instead, for want of a route, is a notice like the others;
  // why it was not made is still given (events tell an agent of a request
  // withheld though the person is not told again).
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kAlreadyTold);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kNoLegalRoute);
  f.legal_route = true;
  f.identity_unknown = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kIdentityUnknown);
  f.identity_unknown = false;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
  SubjectFacts maybe = eligible();
  maybe.status = Status::kUndetermined;
  CampaignProgram possible = config(ActionKind::kNotify);
  possible.undetermined = ActionKind::kNotifyPossible;
  EXPECT_EQ(target(possible, maybe).action, ActionKind::kNotifyPossible);
  maybe.told_of_possible = true;
  EXPECT_EQ(target(possible, maybe).skip, Skip::kAlreadyTold);
}

// A possible right that waits for a datum no extract gives anyone is not
// told: it would be told to everyone (the Bibus fare's lycée scholarship
// where no such file is read, in a tester's run 606 letters of 638). A
// certain right is told whatever else is unknown.
TEST(Targeting, APossibleRightNothingReadCanNarrowIsNotTold) {
  SubjectFacts maybe = eligible();
  maybe.status = Status::kUndetermined;
  maybe.waits_for_unsourced = true;
  EXPECT_EQ(target(config(ActionKind::kNotify), maybe).skip, Skip::kWaitsForUnsourced);
  CampaignProgram told = config(ActionKind::kNotify, ActionKind::kNotify);  // not told as a right either
  EXPECT_EQ(target(told, maybe).skip, Skip::kWaitsForUnsourced);
  EXPECT_STREQ(skip_reason(Skip::kWaitsForUnsourced), "possible right for want of data no extract gives");
  maybe.waits_for_unsourced = false;
  EXPECT_EQ(target(config(ActionKind::kNotify), maybe).action, ActionKind::kNotifyPossible);
  SubjectFacts certain = eligible();
  certain.waits_for_unsourced = true;
  EXPECT_EQ(target(config(ActionKind::kNotify), certain).action, ActionKind::kNotify);
  // Before the decision, it is not known: the subject may still be acted on.
  maybe.waits_for_unsourced = true;
  EXPECT_EQ(skip_whatever_the_decision(config(ActionKind::kNothing), maybe), Skip::kNone);
}

// What keeps a subject from being acted on whatever its decision, as the
// data asked of API Particulier before a campaign decides read it too: in
// target()'s order (EachReasonNotToActAndItsOrder), and the requests and
// notices of the year, whichever decision the data would lead to.
TEST(Targeting, WhatSkipsWhateverTheDecisionIsTargetsOwn) {
  const CampaignProgram notify = config(ActionKind::kNotify);
  SubjectFacts f;  // the status is what the data asked would settle
  f.status = Status::kUndetermined;
  EXPECT_EQ(skip_whatever_the_decision(notify, f), Skip::kNone);
  f.incomplete = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, f), Skip::kIncompleteHousehold);
  f.under_review = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, f), Skip::kUnderReview);
  f.already_acted_on = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, f), Skip::kAlreadyActedOn);
  f.already_receiving = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, f), Skip::kAlreadyReceiving);
  f.objected = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, f), Skip::kObjected);
  f.status = Status::kEligible;
  EXPECT_EQ(target(notify, f).skip, Skip::kObjected);

  // Told of the right within the year: neither a notice of it nor one of a
  // possible right would go, so nothing is asked.
  SubjectFacts told;
  told.told_of_right = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, told), Skip::kAlreadyTold);
  // Told of a possible right only: the data may make it certain, which is told.
  SubjectFacts possible;
  possible.told_of_possible = true;
  EXPECT_EQ(skip_whatever_the_decision(notify, possible), Skip::kNone);
  // A grant may go to someone told of the right, unless a request stands;
  // whether its route holds is not known before the decision.
  const CampaignProgram grant = config(ActionKind::kGrant, ActionKind::kNothing);
  EXPECT_EQ(skip_whatever_the_decision(grant, told), Skip::kNone);
  told.already_requested = true;
  EXPECT_EQ(skip_whatever_the_decision(grant, told), Skip::kAlreadyRequested);
  // Nothing done for either decision: nothing to ask for.
  EXPECT_EQ(skip_whatever_the_decision(config(ActionKind::kNothing, ActionKind::kNothing), SubjectFacts{}),
            Skip::kNoActionForOutcome);
}

// A request carries the person's acceptance and its date (CASF R262-104-1):
// where no acceptance made with the claim within the year is recorded, the
// person is told of the right instead. A refusal is an objection.
TEST(Targeting, AGrantNeedsThePersonsAcceptanceAndIdentity) {
  SubjectFacts f = eligible();
  f.legal_route = true;
  f.acceptance_unknown = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kNotify);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kAcceptanceUnknown);
  EXPECT_STREQ(skip_reason(Skip::kAcceptanceUnknown), "no acceptance of the request recorded with the claim within 12 months");
  EXPECT_EQ(skip_whatever_the_decision(config(ActionKind::kGrant), f), Skip::kNone);
  f.acceptance_unknown = false;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
  // Nor where the paying body could not tell who a member is (R262-103).
  f.identity_unknown = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kNotify);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kIdentityUnknown);
  EXPECT_STREQ(skip_reason(Skip::kIdentityUnknown), "a member of the foyer given neither a NIR nor names");
  // Nor to a body that does not serve where the household lives.
  f.identity_unknown = false;
  f.outside_area = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kOutsideArea);
}

// A paying body serves its départements' residents: a commune elsewhere, or
// one not known, or no territory to place it, is not certainly served.
TEST(Targeting, WhomThePayingBodyServes) {
  const std::vector<std::string> isere = {"38"};
  EXPECT_TRUE(served_by(isere, &testing::territory(), "38185"));
  EXPECT_TRUE(served_by({"75", "38"}, &testing::territory(), "75101"));  // an arrondissement of Paris
  EXPECT_FALSE(served_by(isere, &testing::territory(), "75101"));
  EXPECT_FALSE(served_by(isere, &testing::territory(), ""));
  EXPECT_FALSE(served_by(isere, &testing::territory(), "38999"));
  EXPECT_FALSE(served_by(isere, nullptr, "38185"));
}

// A household is sent to claim where the claim's body serves its commune: a
// household of Metz was told to claim its C2S at the CPAM de l'Isère (a
// tester's finding, 2026-12-06). A claim naming no départements (a national
// website) holds anywhere; a grant's household outside the paying body's
// area is sent to the body where it lives whatever the claim says.
TEST(Targeting, TheClaimsBodyServesTheHouseholdsCommune) {
  ClaimSteps isere;
  isere.where = "votre caisse d'assurance maladie (CPAM de l'Isère)";
  isere.website = "https://www.ameli.fr";
  isere.documents = {"une pièce d'identité"};
  isere.departements = {"38"};
  EXPECT_EQ(claim_for(isere, false, &testing::territory(), "38185").where, isere.where);
  for (const char* commune : {"57463", "", "38999"}) {
    const ClaimSteps told = claim_for(isere, false, &testing::territory(), commune);
    EXPECT_EQ(told.where, "l'organisme qui verse ce droit là où vous habitez") << commune;
    EXPECT_TRUE(told.website.empty()) << commune;
    EXPECT_EQ(told.documents, isere.documents) << commune;
  }
  ClaimSteps national = isere;
  national.departements.clear();
  EXPECT_EQ(claim_for(national, false, &testing::territory(), "57463").where, isere.where);
  EXPECT_EQ(claim_for(national, true, &testing::territory(), "38185").where,
            "l'organisme qui verse ce droit là où vous habitez");
}

// A person outside their household's foyer receives what the extract says a
// household datum means for a member it lists (own_foyer_means: the RSA is
// the allocataire's): that is what chose to write to them, and the message
// names it (the RSA notices to such persons said nothing of it: a tester's
// finding, 2026-12-06).
TEST(Targeting, WhetherAPersonOfTheirOwnFoyerAlreadyReceivesIt) {
  Snapshot snap;
  snap.person_offsets = {0, 2};
  const double unknown = std::numeric_limits<double>::quiet_NaN();
  snap.columns.push_back({"rsa", false, false, {1}, {}, {0}, {2}, 1});
  snap.own_foyer_columns.push_back({"rsa", true, false, {unknown, 0}, {}, {255, 0}, {0, 3}, 1});
  const ReceivingTest receiving(snap, {{"rsa", {"true"}}});
  EXPECT_TRUE(receiving.household(0, [](uint32_t) { return true; }));
  EXPECT_FALSE(receiving.person(1));
  EXPECT_EQ(receiving.person_sources(1), std::vector<uint8_t>{0});
  EXPECT_TRUE(receiving.person_sources(0).empty());
  EXPECT_TRUE(receiving.person_unknown(0));
  EXPECT_FALSE(receiving.person_unknown(1));
  snap.own_foyer_columns[0].number[1] = 1;
  EXPECT_TRUE(ReceivingTest(snap, {{"rsa", {"true"}}}).person(1));
}

// A refusal of the request goes to the paying body (CASF R262-106 II) for a
// grant where the route holds: not for a household whose data are partial,
// under review, outside the body's départements, or whose identity is
// unknown, nor where the person objected to the processing, nor for a
// program a campaign only tells of; whatever was requested or told before,
// whether they are covered already or who else may be of the foyer.
TEST(Targeting, ARefusalGoesWhereTheRouteHolds) {
  SubjectFacts f = eligible();
  f.legal_route = true;
  f.acceptance_unknown = true;  // refused: no acceptance
  f.already_requested = f.told_of_right = f.already_acted_on = true;
  f.already_receiving = f.receiving_unknown = f.foyer_unknown = true;
  EXPECT_TRUE(refusal_transmitted(config(ActionKind::kGrant), f));
  EXPECT_FALSE(refusal_transmitted(config(ActionKind::kNotify), f));
  for (bool SubjectFacts::*fact : {&SubjectFacts::incomplete, &SubjectFacts::under_review, &SubjectFacts::outside_area,
                                   &SubjectFacts::identity_unknown, &SubjectFacts::objected}) {
    SubjectFacts g = f;
    g.*fact = true;
    EXPECT_FALSE(refusal_transmitted(config(ActionKind::kGrant), g));
  }
  f.legal_route = false;
  EXPECT_FALSE(refusal_transmitted(config(ActionKind::kGrant), f));
}

// A grant requests for the foyer's members: not when whether a listed person
// belongs to the foyer is unknown, though the right exists whoever does (on
// the RSA, the C2S is free whatever the foyer's size). A notice goes.
TEST(Targeting, AGrantNeedsToKnowWhoIsInTheFoyer) {
  SubjectFacts f = eligible();
  f.legal_route = true;
  f.foyer_unknown = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kNotify);
  EXPECT_EQ(target(config(ActionKind::kGrant), f).not_granted, Skip::kFoyerUnknown);
  EXPECT_STREQ(skip_reason(Skip::kFoyerUnknown), "not known who is in the foyer");
  EXPECT_EQ(target(config(ActionKind::kNotify), f).action, ActionKind::kNotify);
  f.foyer_unknown = false;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
}

// On the RSA, a child whose birth date is unknown may or may not be under 25:
// the C2S is still free, and the household's foyer is not known.
TEST(Targeting, AChildOfUnknownAgeLeavesTheFoyerUnknown) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  auto situation = [](const char* child) {
    return std::string(R"({"id": "h", "date": "2025-06-15", "household": {"commune": "38185", "housing": "tenant", "rsa": true},
        "persons": [{"id": "p1", "role": "applicant", "birth_date": "1985-03-02", "resources_12m": 0, "c2s": "none"},
                    {"id": "p2", "role": "child", "c2s": "none", "resources_12m": 0)") + child + "}]}";
  };
  auto unknown_age = testing::evaluate_json(*c, {situation("")});
  ASSERT_EQ(unknown_age.outcome.status[0], Status::kEligible);
  EXPECT_TRUE(automatic_route_holds(*c->plan->program, unknown_age.outcome, 0, c->codes));
  EXPECT_TRUE(foyer_unknown(unknown_age.outcome, unknown_age.batch, 0));
  auto known_age = testing::evaluate_json(*c, {situation(R"(, "birth_date": "2015-09-10")")});
  EXPECT_FALSE(foyer_unknown(known_age.outcome, known_age.batch, 0));
}

// The C2S's route holds for a household on the RSA (its variant is free),
// not for one entitled by its resources alone.
TEST(Targeting, TheC2sRouteHoldsForAHouseholdOnTheRsaOnly) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  auto situation = [](const char* rsa) {
    return std::string(R"({"id": "h", "date": "2025-06-15", "household": {"commune": "38185", "housing": "tenant", )"
                       R"("housing_benefit_monthly": 0, "rsa": )") +
           rsa + R"(}, "persons": [{"id": "p1", "role": "applicant", "birth_date": "1980-01-01", "resources_12m": 5000, )"
                 R"("minimum_benefits": []}]})";
  };
  auto e = testing::evaluate_json(*c, {situation("true"), situation("false"), situation("null")});
  const Program& program = *c->plan->program;
  ASSERT_EQ(e.outcome.status[1], Status::kEligible);
  EXPECT_TRUE(automatic_route_holds(program, e.outcome, 0, c->codes));
  EXPECT_FALSE(automatic_route_holds(program, e.outcome, 1, c->codes));
  EXPECT_FALSE(automatic_route_holds(program, e.outcome, 2, c->codes));
}

// A condition the C2S does not evaluate is told to the households it may
// concern: the ESAT's activity where the AAH presumption applies (or may),
// a child's charge where a child is listed; the residence to all.
TEST(Targeting, ConditionsLeftToConfirmAreThoseThatMayConcernTheHousehold) {
  auto c = testing::compile_text(testing::read_program("c2s"));
  ASSERT_EQ(c->error, "");
  const Program& program = *c->plan->program;
  auto index_of = [&](const std::string& words) {
    for (size_t k = 0; k < program.not_evaluated.size(); ++k)
      if (program.not_evaluated[k].condition.find(words) != std::string::npos) return k;
    ADD_FAILURE() << words;
    return size_t{0};
  };
  const size_t esat = index_of("ESAT"), charge = index_of("charge réelle"), residence = index_of("résidence");
  const size_t nature = index_of("nature des ressources");
  auto situation = [](const char* benefits, const char* worked, const char* child) {
    return std::string(R"({"id": "h", "date": "2025-08-15", "household": {"commune": "38185", "housing": "tenant", )"
                       R"("housing_benefit_monthly": 0, "rsa": false}, "persons": [{"id": "p1", "role": "applicant", )"
                       R"("birth_date": "1980-01-01", "resources_12m": 20000, "minimum_benefits": )") +
           benefits + R"(, "worked_3m": )" + worked + R"(, "aah_full_rate": true})" + child + "]}";
  };
  const std::string child = R"(, {"id": "p2", "role": "child", "birth_date": "2015-01-01", "resources_12m": 0, "minimum_benefits": [], "worked_3m": false})";
  const std::vector<std::string> situations = {situation(R"(["aah"])", "false", ""), situation("[]", "false", ""),
                                                situation(R"(["aah"])", "null", ""), situation("[]", "false", child.c_str())};
  // Computed with the explanations, as for a decision a message is made
  // from; without them, not at all (every condition is listed).
  EvalOptions explained;
  explained.explain = true;
  auto e = testing::evaluate_json(*c, situations, explained);
  EXPECT_TRUE(testing::evaluate_json(*c, situations).outcome.unchecked_applies.empty());
  const auto& applies = e.outcome.unchecked_applies;
  ASSERT_EQ(applies.size(), program.not_evaluated.size());
  EXPECT_TRUE(applies[esat][0]);   // the AAH presumption applies
  EXPECT_FALSE(applies[esat][1]);  // no AAH
  EXPECT_TRUE(applies[esat][2]);   // may apply: activity unknown
  EXPECT_FALSE(applies[charge][0]);
  EXPECT_TRUE(applies[charge][3]);
  for (size_t row = 0; row < 4; ++row) EXPECT_TRUE(applies[residence][row]);
  EXPECT_FALSE(applies[nature][0]);  // presumed (L861-2): the resources are not examined
  EXPECT_TRUE(applies[nature][1]);
  EXPECT_TRUE(applies[nature][2]);  // may be presumed or not
}

// The RSA's count may take in a dependant whose own resources reach the
// increase they bring: the child without whom nobody in the foyer could
// claim (L262-4), or one whom a later dependant outweighs.
// R262-3 read literally would not, and the notice says so to the households
// concerned only (docs/limits.md).
TEST(Targeting, RsaTellsWhenAChildIsCountedDespiteTheirResources) {
  auto c = testing::compile_text(testing::read_program("rsa"));
  ASSERT_EQ(c->error, "");
  const Program& program = *c->plan->program;
  size_t literal = program.not_evaluated.size();
  for (size_t k = 0; k < program.not_evaluated.size(); ++k)
    if (program.not_evaluated[k].condition.find("lu à la lettre") != std::string::npos) literal = k;
  ASSERT_LT(literal, program.not_evaluated.size());
  auto situation = [](const char* applicant_birth, const char* child_resources_3m) {
    return std::string(R"({"id": "h", "date": "2025-06-15", "household": {"commune": "38185", "housing": "homeless", )"
                       R"("housing_benefit_monthly": 0, "rsa": false}, "persons": [{"id": "p1", "role": "applicant", )"
                       R"("birth_date": ")") +
           applicant_birth + R"(", "resources_3m": 0, "student": false}, {"id": "p2", "role": "child", )"
                             R"("birth_date": "2015-01-01", "resources_3m": )" +
           child_resources_3m + R"(, "student": false, "dependant": true}]})";
  };
  // A parent of 23 whose child has 400 € a month (323,26 € the increase);
  // the same child without resources; a parent of 40, who may claim alone
  // and whose child is then not counted; a parent of 40 whose second child
  // has 200 € a month (193,96 € their increase), counted because the third,
  // with 210 €, brings 258,61 €.
  std::string three = situation("1985-01-01", "0");
  three.insert(three.rfind("]}"), R"(, {"id": "p3", "role": "child", "birth_date": "2013-01-01", "resources_3m": 600, )"
                                  R"("student": false, "dependant": true}, {"id": "p4", "role": "child", )"
                                  R"("birth_date": "2011-01-01", "resources_3m": 630, "student": false, "dependant": true})");
  const std::vector<std::string> situations = {situation("2002-01-01", "1200"), situation("2002-01-01", "0"),
                                                situation("1985-01-01", "1200"), three};
  EvalOptions explained;
  explained.explain = true;
  auto e = testing::evaluate_json(*c, situations, explained);
  ASSERT_EQ(e.outcome.status[0], Status::kEligible);
  ASSERT_EQ(e.outcome.status[1], Status::kEligible);
  const auto& applies = e.outcome.unchecked_applies;
  ASSERT_EQ(applies.size(), program.not_evaluated.size());
  EXPECT_TRUE(applies[literal][0]);
  EXPECT_FALSE(applies[literal][1]);
  EXPECT_FALSE(applies[literal][2]);
  ASSERT_EQ(e.outcome.status[3], Status::kEligible);
  EXPECT_TRUE(applies[literal][3]);
}

// A letter goes to the address another administration holds only when its
// row is certainly the person's: the same NIR when both give one, else the
// same birth date, birth name, first first name and (when both give it)
// place of birth; case, accents and punctuation aside. Linkage may have
// joined the rows on less (a typo, a missing trait).
TEST(AddressElsewhere, OnlyForARowCertainlyThePersons) {
  PersonIdentity caf;
  caf.nir = "285017511201234";
  caf.birth_name = "Lefèvre";
  caf.first_names = "Marie-Hélène Jeanne";
  caf.birth_date = "1985-01-20";
  caf.birth_place = "75112";
  PersonIdentity tax = caf;
  EXPECT_TRUE(certainly_same_person(caf, tax));
  tax.nir = "285017511201299";
  EXPECT_FALSE(certainly_same_person(caf, tax));  // another NIR, whatever the names
  tax.nir.clear();                                // the tax office's row has no NIR: the traits decide
  tax.birth_name = "LEFEVRE";
  tax.first_names = "MARIE HELENE";
  EXPECT_TRUE(certainly_same_person(caf, tax));
  tax.birth_place.clear();
  EXPECT_TRUE(certainly_same_person(caf, tax));   // a place of birth given on one side only
  tax.birth_place = "69123";
  EXPECT_FALSE(certainly_same_person(caf, tax));
  tax.birth_place = "75112";
  tax.birth_date = "1985-01-21";
  EXPECT_FALSE(certainly_same_person(caf, tax));
  tax.birth_date = "1985-01-20";
  tax.birth_name = "Lefebvre";                     // a typo linkage forgives
  EXPECT_FALSE(certainly_same_person(caf, tax));
  tax.birth_name = "Lefèvre";
  tax.first_names = "Jeanne";                       // another first name first
  EXPECT_FALSE(certainly_same_person(caf, tax));
  tax.first_names = "Marie";                        // the compound's first half only
  EXPECT_FALSE(certainly_same_person(caf, tax));
  PersonIdentity marie = caf, marielle = caf;
  marie.nir.clear();
  marielle.nir.clear();
  marie.first_names = "Marie";
  marielle.first_names = "Marielle";
  EXPECT_FALSE(certainly_same_person(marie, marielle));
  EXPECT_FALSE(certainly_same_person(marielle, marie));
  PersonIdentity nameless = caf;
  nameless.nir.clear();
  nameless.birth_name.clear();
  tax.first_names = caf.first_names;
  EXPECT_FALSE(certainly_same_person(nameless, tax));  // nothing to compare is no certainty
  nameless = caf;
  nameless.nir.clear();
  nameless.birth_date.clear();
  EXPECT_FALSE(certainly_same_person(nameless, tax));
}

// The CPAM knows a child (and a married woman) by the name it uses, with a
// NIR the CAF's row lacks: that NIR is sent as the member's only when their
// rows are certainly one person, the NIR agreeing with the sex and the year
// and month of birth the CAF gives.
TEST(NirElsewhere, OnlyFromARowCertainlyTheMembers) {
  PersonIdentity caf;
  caf.birth_name = "Lefèvre";
  caf.usage_name = "Durand";
  caf.first_names = "Marie-Hélène Jeanne";
  caf.birth_date = "1985-01-20";
  caf.sex = "F";
  PersonIdentity cpam;
  cpam.nir = "285017511201234";
  cpam.usage_name = "DURAND";
  cpam.first_names = "MARIE HELENE";
  cpam.birth_date = "1985-01-20";
  EXPECT_TRUE(certainly_same_person(caf, cpam));  // the usage name in common
  EXPECT_TRUE(certainly_same_person(cpam, caf));
  cpam.usage_name = "Martin";
  EXPECT_FALSE(certainly_same_person(caf, cpam));  // no family name in common
  cpam.usage_name = "Durand";
  cpam.nir = "185017511201234";
  EXPECT_FALSE(certainly_same_person(caf, cpam));  // a man's NIR for a woman
  cpam.nir = "286017511201234";
  EXPECT_FALSE(certainly_same_person(caf, cpam));  // born in 1986, by the NIR
  cpam.nir = "285027511201234";
  EXPECT_FALSE(certainly_same_person(caf, cpam));  // born in February, by the NIR
  cpam.nir = "285997511201234";
  EXPECT_TRUE(certainly_same_person(caf, cpam));   // a month the NIR does not give
  cpam.nir = "785017511201234";
  EXPECT_FALSE(certainly_same_person(caf, cpam));  // a temporary NIR's 7 is a man's too
  cpam.nir = "485017511201234";
  EXPECT_TRUE(certainly_same_person(caf, cpam));   // and its 4 a woman's
  cpam.nir = "185017511201234";
  caf.sex.clear();
  EXPECT_TRUE(certainly_same_person(caf, cpam));   // no sex on the CAF's side: the year and month decide
  PersonIdentity other = caf;                      // another woman, married to a Durand too
  other.birth_name = "Dupont";
  EXPECT_FALSE(certainly_same_person(caf, other));  // both birth names given, and they differ
  other.birth_name = "Lefèvre";
  other.first_names = "Marie-Hélène Claire";
  EXPECT_FALSE(certainly_same_person(caf, other));  // both give a second first name, and they differ
  other.first_names = "Marie-Hélène";
  EXPECT_TRUE(certainly_same_person(caf, other));   // one gives fewer first names
}

// A contact row whose email holds a line break (an injection) keeps its
// other details: the email alone is set aside, the letter can go. The
// checks of a value's form that ingestion applies do not drop the row.
TEST(Contacts, ABadFieldIsSetAsideAlone) {
  const std::string dir = ::testing::TempDir() + "contacts-as-is";
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir + "/caf.csv");
    csv << "NUMALLOC;NOM;PRENOMS;ADRESSE;CP_COMMUNE;COURRIEL\n"
           "A1;MARTIN;Paul;\"3 rue des Alpes\";38000 GRENOBLE;\"x@courriel.example\nBcc: victim@evil.example\"\n"
           "A2;-;Anne;\"4 rue des Alpes\";38000 GRENOBLE;anne@courriel.example\n";
    std::ofstream yaml(dir + "/caf.yaml");
    yaml << "file: caf.csv\nsource: CAF\nextract: allocataires\nextracted_on: \"2025-06-15\"\nformat: csv\n"
            "encoding: utf-8\nseparator: \";\"\nidentifiers: {household: NUMALLOC}\ncolumns:\n"
            "  NOM: {variable: birth_name, type: text}\n"
            "contacts: {name: NOM, first_names: PRENOMS, address: ADRESSE, town: CP_COMMUNE, email: COURRIEL}\n";
  }
  auto mapping = load_source_mapping(dir + "/caf.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message;
  auto contacts = read_contacts(*mapping, {"CAF:A1", "CAF:A2"});
  ASSERT_TRUE(contacts.ok()) << contacts.error().message;
  ASSERT_EQ(contacts->count("CAF:A1"), 1u);
  const Contact& a1 = contacts->at("CAF:A1");
  EXPECT_TRUE(a1.email.empty());
  EXPECT_EQ(a1.address, "3 rue des Alpes");
  EXPECT_TRUE(a1.has_postal_address());
  EXPECT_EQ(a1.set_aside, (std::vector<std::string>{"email"}));
  ASSERT_EQ(contacts->count("CAF:A2"), 1u);  // a name "-" is the contact reader's to judge, not the row's end
  EXPECT_EQ(contacts->at("CAF:A2").email, "anne@courriel.example");
}

// A household's message tells its foyer's rights and data: it goes to the
// applicant, or to the spouse where only the spouse can be reached, never
// to a lodger or a child who comes first in the extract with an email of
// their own. A person outside the foyer is still written to under their
// own row, for their own foyer.
TEST(Contacts, AHouseholdIsWrittenToThroughItsApplicantOrSpouseOnly) {
  const std::string dir = ::testing::TempDir() + "contacts-roles";
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir + "/caf.csv");
    csv << "NUMALLOC;NUMPERS;QUALITE;NOM;PRENOMS;ADRESSE;CP_COMMUNE;COURRIEL\n"
           "A1;P1;AUT;LOCATAIRE;Lucien;;;lucien@courriel.example\n"
           "A1;P2;DEM;MARTIN;Rose;;;\n"
           "A2;P3;ENF;DUPONT;Zoe;;;zoe@courriel.example\n"
           "A2;P4;DEM;DUPONT;Marc;;;\n"
           "A2;P5;CJT;DUPONT;Anne;;;anne@courriel.example\n"
           "A3;P6;ENF;DURAND;Leo;;;leo@courriel.example\n"
           "A3;P7;CJT;DURAND;Lise;;;\n"
           "A3;P8;DEM;DURAND;Jean;\"3 rue des Alpes\";38000 GRENOBLE;\n"
           "A4;P9;;SEUL;Max;;;max@courriel.example\n"
           "A5;P10;ENF;ROUX;Lou;;;lou@courriel.example\n"
           "A5;P11;;ROUX;Eve;;;eve@courriel.example\n";
    std::ofstream yaml(dir + "/caf.yaml");
    yaml << "file: caf.csv\nsource: CAF\nextract: allocataires\nextracted_on: \"2025-06-15\"\nformat: csv\n"
            "encoding: utf-8\nseparator: \";\"\nidentifiers: {household: NUMALLOC, person: NUMPERS}\ncolumns:\n"
            "  NOM: {variable: birth_name, type: text}\n"
            "  QUALITE: {variable: role, type: code, values: [DEM, CJT, ENF, AUT], recode: {DEM: applicant, CJT: spouse, "
            "ENF: child, AUT: other}}\n"
            "contacts: {name: NOM, first_names: PRENOMS, address: ADRESSE, town: CP_COMMUNE, email: COURRIEL}\n";
  }
  auto mapping = load_source_mapping(dir + "/caf.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message;
  auto contacts = read_contacts(*mapping, {"CAF:A1", "CAF:A2", "CAF:A3", "CAF:A4", "CAF:A5", "CAF:P1"});
  ASSERT_TRUE(contacts.ok()) << contacts.error().message;
  // Rose cannot be reached: her name, for the social services' list.
  ASSERT_EQ(contacts->count("CAF:A1"), 1u);
  EXPECT_EQ(contacts->at("CAF:A1").first_names, "Rose");
  EXPECT_TRUE(contacts->at("CAF:A1").email.empty());
  EXPECT_EQ(contacts->at("CAF:P1").email, "lucien@courriel.example");  // for his own foyer
  // Marc cannot be reached, his spouse can; Zoe, a child, never.
  EXPECT_EQ(contacts->at("CAF:A2").email, "anne@courriel.example");
  // The applicant reached by letter comes before the spouse's name alone.
  EXPECT_EQ(contacts->at("CAF:A3").first_names, "Jean");
  EXPECT_TRUE(contacts->at("CAF:A3").has_postal_address());
  EXPECT_TRUE(contacts->at("CAF:A3").email.empty());
  // A row whose role is not given: the household's only candidate, never
  // before a child's known role is passed over for it.
  EXPECT_EQ(contacts->at("CAF:A4").email, "max@courriel.example");
  EXPECT_EQ(contacts->at("CAF:A5").email, "eve@courriel.example");
}

// A person who forms a foyer of their own (a man of 56 listed as "other")
// is written to at their household's address as the main extract gives
// it, not at the one another extract holds for the allocataire: whether
// that one was looked for depended on another program of the campaign.
TEST(Contacts, AFoyerOfOnesOwnIsNotWrittenToAtTheAllocatairesAddressFoundElsewhere) {
  std::unordered_map<std::string, Contact> contacts;
  contacts["CAF:P2"] = Contact{"Baptiste", "Boursnez"};
  contacts["CAF:A1"] = Contact{"Anaïs", "Jooux", "", "59 impasse des Lilas", "29200 BREST"};
  auto reached = subject_contact(contacts, "CAF:P2", "CAF:A1");
  ASSERT_TRUE(reached);
  EXPECT_EQ(reached->address, "59 impasse des Lilas");
  EXPECT_EQ(reached->display_name(), "Baptiste BOURSNEZ");
  contacts["CAF:A1"].address_source = "DGFiP (revenus, 15/06/2025)";
  reached = subject_contact(contacts, "CAF:P2", "CAF:A1");
  ASSERT_TRUE(reached);
  EXPECT_FALSE(reached->has_postal_address());
  // Their own, found elsewhere, is theirs.
  contacts["CAF:P2"].address = "4 rue de Siam";
  contacts["CAF:P2"].town = "29200 BREST";
  contacts["CAF:P2"].address_source = "DGFiP (revenus, 15/06/2025)";
  EXPECT_EQ(subject_contact(contacts, "CAF:P2", "CAF:A1")->address, "4 rue de Siam");
  // A household is reached as its allocataire.
  EXPECT_EQ(subject_contact(contacts, "CAF:A1", "")->address, "59 impasse des Lilas");
  EXPECT_FALSE(subject_contact(contacts, "CAF:P9", "CAF:A1"));
}

// The name a message greets and addresses: the first first name and the
// family name in capitals, its accents, hyphens and apostrophes kept.
TEST(Contacts, ANameIsWrittenAsItIsSpelt) {
  Contact c;
  c.first_names = "Adrehilde Marie";
  c.name = "N'Diaye";
  EXPECT_EQ(c.display_name(), "Adrehilde N'DIAYE");
  c.first_names = "Marie-\u00C8ve";
  c.usage_name = "d'Aubign\u00E9-Lef\u00E8vre \u0153uvray";
  EXPECT_EQ(c.display_name(), "Marie-\u00C8ve D'AUBIGN\u00C9-LEF\u00C8VRE \u0152UVRAY");
  c = Contact{};
  c.name = "Da syot";
  EXPECT_EQ(c.display_name(), "DA SYOT");
}

// NF Z10-011: 38 characters a line in the address block, counted as
// characters, not bytes; a longer line would be printed too small to read.
TEST(Contacts, AnAddressLineOverTheNormWaitsForACorrectedOne) {
  Contact within;
  within.first_names = "H\u00E9l\u00E8ne";
  within.name = "MARTIN";
  within.address = "R\u00E9sidence Les \u00C9glantines, b\u00E2timent C12";  // 38 characters, 41 bytes
  within.town = "38000 GRENOBLE";
  within.email = "helene@courriel.example";
  EXPECT_TRUE(checked_contact(within).has_postal_address());
  Contact over = within;
  over.address += "4";
  const Contact checked = checked_contact(over);
  EXPECT_FALSE(checked.has_postal_address());
  EXPECT_EQ(checked.set_aside, (std::vector<std::string>{"postal address (a line of more than 38 characters)"}));
  EXPECT_EQ(checked.email, "helene@courriel.example");  // the other channels stay
  Contact long_name = within;
  long_name.name = "DE LA ROCHEFOUCAULD-MONTMORENCY-LAVAL";
  EXPECT_FALSE(checked_contact(long_name).has_postal_address());
  // The last line is a postcode and a town.
  for (const char* town : {"38031 GRENOBLE CEDEX 01", "97400 SAINT-DENIS", "38000 \u00C8VRES"}) {
    Contact c = within;
    c.town = town;
    EXPECT_TRUE(checked_contact(c).has_postal_address()) << town;
  }
  for (const char* town : {"38120", "GRENOBLE", "3800 GRENOBLE", "38000GRENOBLE", "38000 ", "38000 12"}) {
    Contact c = within;
    c.town = town;
    const Contact checked = checked_contact(c);
    EXPECT_FALSE(checked.has_postal_address()) << town;
    EXPECT_EQ(checked.set_aside, (std::vector<std::string>{"postal address (its last line is not a postcode and a town)"})) << town;
  }
}

// An event's contact reaches the letter unread by an extract's reader: text
// misread from another encoding, or an invisible character, is set aside.
TEST(Contacts, AnAddressMisreadFromAnotherEncodingIsNotPrinted) {
  Contact c;
  c.name = "MARTIN";
  c.address = "12 All\u00C3\u00A9e des Tilleuls";
  c.town = "38000 GRENOBLE";
  EXPECT_FALSE(checked_contact(c).has_postal_address());
  c.address = "12 All\u00E9e des Tilleuls";
  EXPECT_TRUE(checked_contact(c).has_postal_address());
  c.first_names = "Jo\u00C3\u00ABl";
  EXPECT_EQ(checked_contact(c).first_names, "");
}

// A letter about a right decided for a commune goes to an address in it:
// one of its postcodes (Grenoble has two; a Paris arrondissement counts as
// Paris); elsewhere the address is set aside, the other channels kept.
TEST(Contacts, APostalAddressOutsideTheCommuneDecidedOnIsSetAside) {
  Contact c;
  c.address = "12 rue Pasteur";
  c.email = "lea@courriel.example";
  auto kept = [&](const std::string& town, const std::string& commune) {
    Contact copy = c;
    copy.town = town;
    set_aside_address_outside(copy, testing::territory(), commune);
    if (!copy.has_postal_address()) {
      EXPECT_EQ(copy.set_aside, (std::vector<std::string>{"postal address (not in the commune the decision read)"}));
    }
    EXPECT_EQ(copy.email, c.email);
    return copy.has_postal_address();
  };
  EXPECT_TRUE(kept("38000 GRENOBLE", "38185"));
  EXPECT_TRUE(kept("38100 GRENOBLE", "38185"));
  EXPECT_FALSE(kept("75012 PARIS", "38185"));
  EXPECT_FALSE(kept("38400 SAINT-MARTIN-D-HERES", "38185"));
  EXPECT_TRUE(kept("75011 PARIS", "75112"));  // another arrondissement of Paris
  EXPECT_TRUE(kept("75012 PARIS", "75056"));
  EXPECT_FALSE(kept("38000 GRENOBLE", "75056"));
  EXPECT_TRUE(kept("38031 GRENOBLE CEDEX 01", "38185"));  // a domiciliation: its département
  EXPECT_FALSE(kept("75700 PARIS CEDEX 07", "38185"));
  EXPECT_TRUE(kept("20090 AJACCIO CEDEX", "2A004"));
  EXPECT_TRUE(kept("97405 SAINT-DENIS CEDEX", "97411"));
  EXPECT_FALSE(kept("97200 FORT-DE-FRANCE CEDEX", "97411"));
  EXPECT_TRUE(kept("75012 PARIS", ""));       // the commune unknown: nothing to compare
  EXPECT_TRUE(kept("75012 PARIS", "99999"));  // nor a code the territory does not know
  // CEDEX written in any case.
  EXPECT_TRUE(kept("38031 Grenoble Cedex 01", "38185"));
  EXPECT_TRUE(kept("38031 GRENOBLE CEDEX", "38185"));
  EXPECT_FALSE(kept("75700 Paris Cedex 07", "38185"));
  EXPECT_FALSE(kept("38031 GRENOBLECEDEX", "38185"));  // not the word
}

// Where a household whose address is in another commune may live: the whole
// communes of that postcode, a part counting as its commune.
TEST(Contacts, ThePostcodeOfAnAddressElsewhereNamesTheCommunesItServes) {
  const Territory& t = testing::territory();
  EXPECT_EQ(t.communes_of_postcode("38120"), (std::vector<std::string>{"38170", "38258", "38325", "38382"}));
  EXPECT_EQ(t.communes_of_postcode("75012"), (std::vector<std::string>{"75056"}));
  EXPECT_EQ(t.communes_of_postcode("38031"), (std::vector<std::string>{}));  // a CEDEX code
  // Where a code La Poste does not give may be: a city's, by its first three
  // digits; another département's CEDEX, by its département.
  EXPECT_EQ(t.communes_near_postcode("38120"), t.communes_of_postcode("38120"));
  EXPECT_EQ(t.communes_near_postcode("69000"), (std::vector<std::string>{"69123"}));
  EXPECT_EQ(t.communes_near_postcode("75998"), (std::vector<std::string>{"75056"}));
  EXPECT_EQ(t.communes_near_postcode("99999"), (std::vector<std::string>{}));
  Contact c;
  c.town = "75012 PARIS";  // a town line without a street says where too
  set_aside_address_outside(c, t, "38185");
  EXPECT_EQ(c.postcode_elsewhere, "75012");
  EXPECT_FALSE(c.has_postal_address());
}

// A campaign or an event is acted on from its day to the bound after it; a
// day to come is refused even with the operator's word, a day past the
// bound only without it.
TEST(ActingDay, FromTheDayToTheBoundAfterIt) {
  const Days today = *parse_iso_date("2026-12-05");
  EXPECT_EQ(acting_day_refusal(today, today, kCampaignDaysBeforeToday, false, "the campaign's date"), "");
  EXPECT_EQ(acting_day_refusal(*parse_iso_date("2026-11-04"), today, kCampaignDaysBeforeToday, false, "date"), "");
  EXPECT_EQ(acting_day_refusal(*parse_iso_date("2026-11-03"), today, kCampaignDaysBeforeToday, false, "date"),
            "date 2026-11-03 is more than 31 days before today (2026-12-05): what it would tell or transmit is what "
            "held then; --past-date to act on it all the same");
  EXPECT_EQ(acting_day_refusal(*parse_iso_date("2026-11-03"), today, kCampaignDaysBeforeToday, true, "date"), "");
  EXPECT_EQ(acting_day_refusal(*parse_iso_date("2026-10-04"), today, kEventDaysBeforeToday, false, "date"), "");
  EXPECT_NE(acting_day_refusal(*parse_iso_date("2026-10-03"), today, kEventDaysBeforeToday, false, "date"), "");
  EXPECT_EQ(acting_day_refusal(*parse_iso_date("2026-12-06"), today, kCampaignDaysBeforeToday, true, "date"),
            "date 2026-12-06 is after today (2026-12-05): act on it on that day");
}

// A notice of the period holds a second notice, not the request the route
// gives once the data that withheld it are complete (a tester's request,
// told of instead for want of a child's birth date, was lost for the month
// once given; the same in campaigns and events).
TEST(Targeting, ANoticeOfThePeriodHoldsANoticeNotTheRequest) {
  SubjectFacts f = eligible();
  f.legal_route = true;
  f.told_this_period = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
  EXPECT_EQ(target(config(ActionKind::kNotify), f).skip, Skip::kAlreadyActedOn);
  // Still withheld: not told twice, and why it was not made is still given.
  f.identity_unknown = true;
  const Targeting withheld = target(config(ActionKind::kGrant), f);
  EXPECT_EQ(withheld.skip, Skip::kAlreadyActedOn);
  EXPECT_EQ(withheld.not_granted, Skip::kIdentityUnknown);
  // A request of the period holds another (the two facts exclude each other).
  f.identity_unknown = false;
  f.told_this_period = false;
  f.already_acted_on = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kAlreadyActedOn);
}

}  // namespace proactif
