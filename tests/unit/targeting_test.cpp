// The targeting rules, written once for campaigns and events: each reason
// not to act, in its order, and a grant only where the law gives a route.
#include <gtest/gtest.h>

#include "campaign/targeting.hpp"
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

TEST(Targeting, AGrantNeedsARouteInLaw) {
  SubjectFacts f = eligible();
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kNoLegalRoute);
  f.legal_route = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).action, ActionKind::kGrant);
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
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kReceivingUnknown);
  EXPECT_STREQ(skip_reason(Skip::kReceivingUnknown), "not known whether already receiving: not granted");
  EXPECT_EQ(target(config(ActionKind::kNotify), f).action, ActionKind::kNotify);
  f.already_receiving = true;
  EXPECT_EQ(target(config(ActionKind::kGrant), f).skip, Skip::kAlreadyReceiving);
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

}  // namespace proactif
