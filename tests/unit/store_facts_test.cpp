// What the store's records say of a subject, written once for a campaign's
// planning, its asks of API Particulier and events: an objection, a request
// or a notice within the year, by the subject's id, by its foyer's persons
// under another case number, or by their keyed NIRs when the CAF numbered
// them anew.
#include <gtest/gtest.h>

#include "campaign/store_facts.hpp"

namespace proactif {

TEST(StoreFacts, AnObjectionIsFoundByTheSubjectItsPersonsOrTheirKeys) {
  const std::unordered_set<std::string> objectors{"CAF:H1", "CAF:P7", "NIR:0123456789abcdef0123456789abcdef"};
  EXPECT_TRUE(objected_among(objectors, "CAF:H1", {"CAF:P1"}, {}));
  EXPECT_TRUE(objected_among(objectors, "CAF:H2", {"CAF:P2", "CAF:P7"}, {}));
  EXPECT_TRUE(objected_among(objectors, "CAF:H3", {"CAF:P3"}, {"CAF:P3=NIR:0123456789abcdef0123456789abcdef"}));
  EXPECT_FALSE(objected_among(objectors, "CAF:H3", {"CAF:P3"}, {"CAF:P3=NIR:ffffffffffffffffffffffffffffffff"}));
  EXPECT_FALSE(objected_among(objectors, "CAF:H4", {}, {}));
}

TEST(StoreFacts, ANoticeWithinTheYearIsFoundUnderAnotherCaseNumber) {
  Store::ActedWithinYear year;
  year.told_of_right.insert("CAF:H1");
  year.told_of_right_foyers[foyer_key({"CAF:P1", "CAF:P2"})].insert("");  // another period
  SubjectFacts same;
  add_within_year(same, year, "CAF:H1", {"CAF:P1", "CAF:P2"}, {});
  EXPECT_TRUE(same.told_of_right);
  SubjectFacts renumbered;  // the same persons, another case number
  add_within_year(renumbered, year, "CAF:H9", {"CAF:P2", "CAF:P1"}, {});
  EXPECT_TRUE(renumbered.told_of_right);
  EXPECT_FALSE(renumbered.told_of_possible);
  EXPECT_FALSE(renumbered.already_requested);
  SubjectFacts split;  // one of them, after a separation: another foyer
  add_within_year(split, year, "CAF:H9", {"CAF:P1"}, {});
  EXPECT_FALSE(split.told_of_right);
}

TEST(StoreFacts, ANoticeWithinTheYearIsFoundUnderNewPersonNumbersByTheirKeys) {
  const std::string k1 = "NIR:11111111111111111111111111111111", k2 = "NIR:22222222222222222222222222222222";
  Store::ActedWithinYear year;
  year.told_of_possible_foyers[keyed_foyer_key({"CAF:P1", "CAF:P2"}, {"CAF:P1=" + k1, "CAF:P2=" + k2})].insert("");
  SubjectFacts anew;
  add_within_year(anew, year, "CAF:H9", {"CAF:Q1", "CAF:Q2"}, {"CAF:Q1=" + k1, "CAF:Q2=" + k2});
  EXPECT_TRUE(anew.told_of_possible);
  // A person without a NIR leaves the foyer unkeyed: not recognised.
  SubjectFacts unkeyed;
  add_within_year(unkeyed, year, "CAF:H9", {"CAF:Q1", "CAF:Q2"}, {"CAF:Q1=" + k1});
  EXPECT_FALSE(unkeyed.told_of_possible);
}

TEST(StoreFacts, ThisPeriodsOwnActionIsNotTheYearsOther) {
  // Acted on this period under its own id: acted_on says so, not the year;
  // under another id, the same foyer was acted on already.
  Store::ActedWithinYear year;
  year.requested_foyers[foyer_key({"CAF:P1"})].insert("CAF:H1");
  SubjectFacts own;
  add_within_year(own, year, "CAF:H1", {"CAF:P1"}, {});
  EXPECT_FALSE(own.already_requested);
  SubjectFacts other;
  add_within_year(other, year, "CAF:H2", {"CAF:P1"}, {});
  EXPECT_TRUE(other.already_requested);
}

TEST(StoreFacts, ANoticeOfThePeriodIsFoundUnderAnotherCaseNumber) {
  // The same foyer told this month as CAF:H1, by its persons or their keys,
  // and now numbered CAF:H9: a request for it replaces that notice.
  const std::string k1 = "NIR:11111111111111111111111111111111";
  Store::ActedWithinYear year;
  year.told_of_right_foyers[foyer_key({"CAF:P1", "CAF:P2"})].insert("CAF:H1");
  year.told_of_possible_foyers[keyed_foyer_key({"CAF:P1"}, {"CAF:P1=" + k1})].insert("CAF:H2");
  year.told_of_right_foyers[foyer_key({"CAF:P3"})].insert("");  // another period
  SubjectFacts renumbered;
  add_within_year(renumbered, year, "CAF:H9", {"CAF:P2", "CAF:P1"}, {});
  EXPECT_EQ(renumbered.told_this_period_under, std::vector<std::string>{"CAF:H1"});
  EXPECT_TRUE(told_in_the_period(renumbered));
  SubjectFacts anew;
  add_within_year(anew, year, "CAF:H9", {"CAF:Q1"}, {"CAF:Q1=" + k1});
  EXPECT_EQ(anew.told_this_period_under, std::vector<std::string>{"CAF:H2"});
  SubjectFacts own;  // its own notice of the period is acted_on's
  add_within_year(own, year, "CAF:H1", {"CAF:P1", "CAF:P2"}, {});
  EXPECT_TRUE(own.told_this_period_under.empty());
  SubjectFacts earlier;
  add_within_year(earlier, year, "CAF:H9", {"CAF:P3"}, {});
  EXPECT_TRUE(earlier.told_this_period_under.empty());
  EXPECT_FALSE(told_in_the_period(earlier));
}

TEST(StoreFacts, ARequestStandsForThePersonsItNamed) {
  Store::ActedWithinYear year;
  year.requested.insert("CAF:H1");
  year.requested_persons["CAF:H1"] = {"CAF:P1"};
  SubjectFacts unchanged;
  add_within_year(unchanged, year, "CAF:H1", {"CAF:P1"}, {});
  EXPECT_TRUE(unchanged.already_requested);
  SubjectFacts joined;  // a spouse who joined since is in no request
  add_within_year(joined, year, "CAF:H1", {"CAF:P1", "CAF:P2"}, {});
  EXPECT_FALSE(joined.already_requested);
}

}  // namespace proactif
