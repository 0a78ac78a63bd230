// The same storage tests against both real databases: an SQLite file, and the
// PostgreSQL server tests/support/with_postgres.py starts for this binary.
#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "store/migrations.hpp"
#include "store/store.hpp"

namespace proactif {
namespace {

std::string store_url(const std::string& backend) {
  if (backend == "sqlite") {
    auto path = std::filesystem::temp_directory_path() /
                ("proactif-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(now_ms()) + ".db");
    return "sqlite:" + path.string();
  }
  const char* url = std::getenv("PROACTIF_TEST_POSTGRES");
  return url ? url : "";
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url = store_url(GetParam());
    ASSERT_FALSE(url.empty()) << "PROACTIF_TEST_POSTGRES is not set: run this binary through tests/support/with_postgres.py";
    auto s = Store::open(url);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store = std::move(*s);
    // PostgreSQL's database is shared by the tests of this binary: start empty.
    for (const char* table :
         {"outbox", "decisions", "objections", "objection_persons", "api_particulier_fills", "campaign_runs",
          "linkage_reviews", "audit_log", "counter_references", "store_secrets"})
      ASSERT_TRUE(store->db().run(std::string("DELETE FROM ") + table).ok());
    ASSERT_FALSE(store->start_run(run).value());
    // Actions are delivered once their run is planned; most tests plan at once.
    ASSERT_TRUE(store->finish_planning(run.run_id).ok());
  }

  void TearDown() override {
    store.reset();
    if (GetParam() == "sqlite")
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url.substr(7) + suffix);
  }

  StoredDecision decision(const std::string& subject, std::vector<std::string> persons) {
    return {"c2s", subject, "2025-06", run.run_id, std::move(persons), "eligible", "{}", "{}", "hash", "2025-06-15"};
  }
  PlannedAction action(const std::string& subject, const std::string& code) {
    return {{"c2s", subject, "2025-06", "notify"}, "email", run.run_id, subject + "@example.fr", "{}", code};
  }
  // A request's notice and a fare told in the same message.
  std::pair<PlannedAction, PlannedAction> notice_and_fare(const std::string& subject, const std::string& notice_code,
                                                          const std::string& fare_code) {
    PlannedAction notice = action(subject, notice_code);
    notice.key.action = "grant_notice";
    notice.envelope = run.run_id + "|" + subject + "|email";
    PlannedAction fare = action(subject, fare_code);
    fare.key.program = "m-reso-solidaire";
    fare.envelope = notice.envelope;
    return {notice, fare};
  }

  std::string url;
  CampaignRun run{"c2s-isere:2025-06", "c2s-isere", "2025-06", "2025-06-15", "h1", "CPAM de l'Isère"};
  std::unique_ptr<Store> store;
};

TEST_P(StoreTest, MigrationsAreRecordedAndRunOnce) {
  EXPECT_EQ(schema_version(store->db()).value(), migrations().back().version);
  EXPECT_TRUE(migrate(store->db()).ok());
  auto rows = store->db().run("SELECT COUNT(*) FROM schema_migrations");
  EXPECT_EQ(as_int(rows->rows[0][0]), static_cast<int64_t>(migrations().size()));
}

TEST_P(StoreTest, PlanningTwiceAddsNothing) {
  std::vector<StoredDecision> d{decision("H1", {"P1", "P2"}), decision("H2", {"P3"})};
  std::vector<PlannedAction> a{action("H1", "AAAA-0001"), action("H2", "AAAA-0002")};
  ASSERT_TRUE(store->store_plan(d, a).ok());
  ASSERT_TRUE(store->store_plan(d, a).ok());
  EXPECT_EQ(store->outbox_counts().value().pending, 2);
  EXPECT_EQ(store->acted_on("c2s", "2025-06").value().count("H2"), 1u);
  EXPECT_TRUE(store->acted_on("c2s", "2025-07").value().empty());
  ASSERT_TRUE(store->finish_planning(run.run_id).ok());
  EXPECT_TRUE(store->start_run(run).value());
}

// An event reads what was requested and stores what it asks in one
// transaction: the store's own transactions within join it, and a failure
// or an exception inside leaves nothing of it.
TEST_P(StoreTest, WhatFollowsFromRequestsIsStoredWholeOrNotAtAll) {
  auto stored = store->deciding_requests([&]() -> Result<void> {
    if (auto err = store->store_plan({decision("H1", {"P1"})}, {action("H1", "AAAA-0001")}); !err.ok()) return err;
    return store->store_plan({decision("H2", {"P2"})}, {action("H2", "AAAA-0002")});
  });
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(store->outbox_counts().value().pending, 2);
  auto failed = store->deciding_requests([&]() -> Result<void> {
    if (auto err = store->store_plan({decision("H3", {"P3"})}, {action("H3", "AAAA-0003")}); !err.ok()) return err;
    return Error{ErrorKind::kRefused, "refused after storing"};
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_THROW((void)store->deciding_requests([&]() -> Result<void> {
    if (auto err = store->store_plan({decision("H4", {"P4"})}, {action("H4", "AAAA-0004")}); !err.ok()) return err;
    throw std::runtime_error("thrown after storing");
  }),
               std::runtime_error);
  EXPECT_EQ(store->outbox_counts().value().pending, 2);
  const auto acted = store->acted_on("c2s", "2025-06").value();
  EXPECT_EQ(acted.count("H3") + acted.count("H4"), 0u);
  // The store takes transactions again after both.
  ASSERT_TRUE(store->store_plan({decision("H5", {"P5"})}, {action("H5", "AAAA-0005")}).ok());
  EXPECT_EQ(store->outbox_counts().value().pending, 3);
}

// What stands within the year around a period, before or after it (an event
// may arrive after a later month was handled): a request not cancelled,
// rejected or followed by a refusal; the notices of the right, of a grant,
// of a possible right; never the period itself, nor another year's.
TEST_P(StoreTest, WhatWasDoneWithinTheYearAroundAPeriod) {
  auto acted = [&](const std::string& subject, const std::string& period, const std::string& what) {
    return PlannedAction{{"c2s", subject, period, what}, "email", run.run_id, "x@example.fr", "{}",
                         subject + "-" + period + "-" + what};
  };
  ASSERT_TRUE(store
                  ->store_plan({}, {acted("H1", "2025-07", "grant"), acted("H1", "2025-07", "grant_notice"),
                                    acted("H2", "2024-07", "notify"), acted("H3", "2026-05", "notify_possible"),
                                    acted("H4", "2025-06", "notify"), acted("H5", "2024-06", "notify"),
                                    acted("H6", "2026-06", "grant"), acted("H7", "2025-01", "grant"),
                                    acted("H8", "2025-02", "grant"), acted("H9", "2025-03", "grant"),
                                    acted("H9", "2025-04", "refusal"), acted("H10", "2025-05", "notify"),
                                    acted("H11", "2025-08", "grant"), acted("H11", "2025-08", "grant_notice"),
                                    acted("H12", "2025-08", "grant"), acted("H12", "2025-08", "grant_notice")})
                  .ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'cancelled' WHERE subject = 'H7'").ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET receipt = 'rejected: already covered' WHERE subject = 'H8'").ok());
  // H11's request rejected: the notice that told of it does not count either.
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'delivered' WHERE subject = 'H11'").ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET receipt = 'rejected: NIR inconnu' WHERE subject = 'H11' AND action = 'grant'").ok());
  // H12's request never reached the paying body, its notice did.
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = CASE WHEN action = 'grant' THEN 'dead' ELSE 'delivered' END "
                              "WHERE subject = 'H12'").ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'delivered' WHERE subject = 'H10'").ok());
  auto around = store->acted_within_year("c2s", "2025-06");
  ASSERT_TRUE(around.ok()) << around.error().message;
  EXPECT_EQ(around->requested, (std::unordered_set<std::string>{"H1"}));
  EXPECT_EQ(around->told_of_right, (std::unordered_set<std::string>{"H1", "H2", "H10"}));
  EXPECT_EQ(around->told_of_possible, (std::unordered_set<std::string>{"H3"}));
  auto one = store->acted_within_year("c2s", "2025-06", "H2");
  EXPECT_EQ(one->told_of_right, (std::unordered_set<std::string>{"H2"}));
  EXPECT_TRUE(one->requested.empty());
  EXPECT_TRUE(store->acted_within_year("rsa", "2025-06")->told_of_right.empty());
}

// A request of another period stands for the persons its decision named:
// a spouse who joined the foyer since is in none, and the household is
// requested again; where the persons are not known, the request stands.
TEST_P(StoreTest, ARequestStandsForThePersonsItNamed) {
  StoredDecision june = decision("CAF:H1", {"CAF:P1", "CAF:P2"});
  june.period = "2025-06";
  PlannedAction grant{{"c2s", "CAF:H1", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G1"};
  PlannedAction unnamed{{"c2s", "CAF:H2", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G2"};
  ASSERT_TRUE(store->store_plan({june}, {grant, unnamed}).ok());
  auto july = store->acted_within_year("c2s", "2025-07");
  ASSERT_TRUE(july.ok()) << july.error().message;
  EXPECT_TRUE(july->requested_whole("CAF:H1", {"CAF:P2", "CAF:P1"}));
  EXPECT_TRUE(july->requested_whole("CAF:H1", {"CAF:P1"}));  // a person who left: the others were requested
  EXPECT_FALSE(july->requested_whole("CAF:H1", {"CAF:P1", "CAF:P2", "CAF:P3"}));  // a spouse who joined
  EXPECT_TRUE(july->requested_whole("CAF:H1", {"p1", "p3"}));  // a situation's own ids name nobody
  EXPECT_TRUE(july->requested_whole("CAF:H2", {"CAF:P5", "CAF:P6"}));  // no decision kept: the request stands
  EXPECT_FALSE(july->requested_whole("CAF:H3", {"CAF:P1"}));
}

// A campaign reads again, as it stores each part of its plan, what was
// recorded since it began planning: only that.
TEST_P(StoreTest, WhatWasRecordedSinceAMoment) {
  const CampaignRun other{"events:2025-05", "events", "2025-05", "2025-05-20", "h2", "CAF de l'Isère"};
  ASSERT_FALSE(store->start_run(other).value());
  PlannedAction before{{"c2s", "H1", "2025-05", "notify"}, "email", other.run_id, "x@example.fr", "{}", "B1"};
  PlannedAction after{{"c2s", "H2", "2025-05", "grant"}, "transmission", other.run_id, "cpam", "{}", "A1"};
  PlannedAction same_month{{"c2s", "H3", "2025-06", "notify"}, "email", other.run_id, "z@example.fr", "{}", "A2"};
  ASSERT_TRUE(store->store_plan({}, {before}).ok());
  ASSERT_TRUE(store->object("H4", "c2s", "courrier", now_ms(), {}).ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET created_at = 1000").ok());
  ASSERT_TRUE(store->db().run("UPDATE objections SET recorded_at = 1000").ok());
  const int64_t since = now_ms();
  ASSERT_TRUE(store->store_plan({}, {after, same_month}).ok());
  ASSERT_TRUE(store->object("H5", "*", "courrier", since, {}).ok());

  using Set = std::unordered_set<std::string>;
  EXPECT_EQ(store->objectors("c2s").value(), (Set{"H4", "H5"}));
  EXPECT_EQ(store->objectors("c2s", since).value(), (Set{"H5"}));
  EXPECT_EQ(store->acted_on("c2s", "2025-06", run.run_id, since).value(), (Set{"H3"}));
  EXPECT_TRUE(store->acted_on("c2s", "2025-06", run.run_id, since + 3'600'000).value().empty());
  auto year = store->acted_within_year("c2s", "2025-06");
  ASSERT_TRUE(year.ok()) << year.error().message;
  EXPECT_EQ(year->told_of_right, (Set{"H1"}));
  EXPECT_EQ(year->requested, (Set{"H2"}));
  auto recent = store->acted_within_year("c2s", "2025-06", "", "", since);
  ASSERT_TRUE(recent.ok()) << recent.error().message;
  EXPECT_TRUE(recent->told_of_right.empty());
  EXPECT_EQ(recent->requested, (Set{"H2"}));
  // A run reading again what was recorded leaves out its own.
  EXPECT_TRUE(store->acted_within_year("c2s", "2025-06", "", "", since, other.run_id)->requested.empty());
}

// The same persons under another household identifier (the CAF renumbered
// the case): the foyer was acted on, found by any of its persons; a
// situation's own ids ("p1") stand for nobody across households.
TEST_P(StoreTest, WhatWasDoneWithinTheYearFollowsTheFoyer) {
  StoredDecision told = decision("CAF:H1", {"CAF:P2", "CAF:P1"});
  told.period = "2025-05";
  StoredDecision local = decision("H2", {"p1"});
  local.period = "2025-05";
  PlannedAction notice{{"c2s", "CAF:H1", "2025-05", "notify"}, "email", run.run_id, "x@example.fr", "{}", "N1"};
  PlannedAction other{{"c2s", "H2", "2025-05", "notify"}, "email", run.run_id, "y@example.fr", "{}", "N2"};
  ASSERT_TRUE(store->store_plan({told, local}, {notice, other}).ok());
  const std::string foyer = foyer_key({"CAF:P1", "CAF:P2"});
  EXPECT_EQ(foyer, foyer_key({"CAF:P2", "CAF:P1"}));
  EXPECT_EQ(foyer_key({"CAF:P1", "p2"}), "");
  EXPECT_EQ(foyer_key({}), "");

  using Acted = Store::ActedWithinYear;
  auto around = store->acted_within_year("c2s", "2025-06");
  EXPECT_EQ(around->told_of_right_foyers.size(), 1u);
  EXPECT_TRUE(Acted::foyer_acted_on(around->told_of_right_foyers, foyer, "CAF:H9"));
  EXPECT_TRUE(Acted::foyer_acted_on(around->told_of_right_foyers, foyer, "CAF:H1"));  // another period
  auto renumbered = store->acted_within_year("c2s", "2025-06", "CAF:H9", "CAF:P2");
  EXPECT_EQ(renumbered->told_of_right, (std::unordered_set<std::string>{"CAF:H1"}));
  EXPECT_TRUE(Acted::foyer_acted_on(renumbered->told_of_right_foyers, foyer, "CAF:H9"));
  EXPECT_TRUE(store->acted_within_year("c2s", "2025-06", "CAF:H9", "CAF:P3")->told_of_right_foyers.empty());
  EXPECT_TRUE(store->acted_within_year("c2s", "2025-06", "CAF:H9", "CAF:P")->told_of_right_foyers.empty());  // not a prefix

  // In the period itself: the household's own action is acted_on's; the
  // same foyer under another identifier was told.
  auto same_month = store->acted_within_year("c2s", "2025-05", "CAF:H9", "CAF:P1");
  EXPECT_TRUE(same_month->told_of_right.empty());
  EXPECT_TRUE(Acted::foyer_acted_on(same_month->told_of_right_foyers, foyer, "CAF:H9"));
  EXPECT_FALSE(Acted::foyer_acted_on(same_month->told_of_right_foyers, foyer, "CAF:H1"));
  EXPECT_FALSE(Acted::foyer_acted_on(same_month->told_of_right_foyers, "", "CAF:H9"));
}

// The same persons numbered anew, household and persons: found by the key
// of one of them, and the same foyer by their keyed NIRs, where each of
// them has one (a person without a NIR names no foyer across numberings).
TEST_P(StoreTest, WhatWasDoneWithinTheYearFollowsTheKeyedNIRs) {
  StoredDecision told = decision("CAF:H1", {"CAF:P1", "CAF:P2"});
  told.period = "2025-05";
  told.person_keys = {"CAF:P1=NIR:aa", "CAF:P2=NIR:bb"};
  StoredDecision partly = decision("CAF:H2", {"CAF:P5", "CAF:P6"});
  partly.period = "2025-05";
  partly.person_keys = {"CAF:P5=NIR:ee"};
  PlannedAction notice{{"c2s", "CAF:H1", "2025-05", "notify"}, "email", run.run_id, "x@example.fr", "{}", "N1"};
  PlannedAction other{{"c2s", "CAF:H2", "2025-05", "notify"}, "email", run.run_id, "y@example.fr", "{}", "N2"};
  ASSERT_TRUE(store->store_plan({told, partly}, {notice, other}).ok());
  const std::string keyed = keyed_foyer_key({"CAF:Q2", "CAF:Q1"}, {"CAF:Q1=NIR:aa", "CAF:Q2=NIR:bb"});
  EXPECT_EQ(keyed, keyed_foyer_key({"CAF:P1", "CAF:P2"}, {"CAF:P2=NIR:bb", "CAF:P1=NIR:aa"}));
  EXPECT_EQ(keyed_foyer_key({"CAF:Q5", "CAF:Q6"}, {"CAF:Q5=NIR:ee"}), "");

  using Acted = Store::ActedWithinYear;
  auto renumbered = store->acted_within_year("c2s", "2025-06", "CAF:H9", "CAF:Q1", 0, "", "NIR:aa");
  EXPECT_EQ(renumbered->told_of_right, (std::unordered_set<std::string>{"CAF:H1"}));
  EXPECT_TRUE(Acted::foyer_acted_on(renumbered->told_of_right_foyers, keyed, "CAF:H9"));
  EXPECT_TRUE(store->acted_within_year("c2s", "2025-06", "CAF:H9", "CAF:Q1", 0, "", "NIR:a")->told_of_right.empty());
  // One of them alone, or with another, is another foyer.
  EXPECT_FALSE(Acted::foyer_acted_on(renumbered->told_of_right_foyers, keyed_foyer_key({"CAF:Q1"}, {"CAF:Q1=NIR:aa"}), "CAF:H9"));
  EXPECT_FALSE(Acted::foyer_acted_on(renumbered->told_of_right_foyers,
                                     keyed_foyer_key({"CAF:Q1", "CAF:Q2", "CAF:Q3"}, {"CAF:Q1=NIR:aa", "CAF:Q2=NIR:bb", "CAF:Q3=NIR:cc"}),
                                     "CAF:H9"));
  // Its own subject, in the period itself, is acted_on's.
  auto same_month = store->acted_within_year("c2s", "2025-05", "CAF:H1", "CAF:P1", 0, "", "NIR:aa");
  EXPECT_FALSE(Acted::foyer_acted_on(same_month->told_of_right_foyers, keyed, "CAF:H1"));
  EXPECT_TRUE(Acted::foyer_acted_on(same_month->told_of_right_foyers, keyed, "CAF:H9"));
}

// A plan given up: what never left is withdrawn, subject by subject, with its
// decisions; a subject with anything attempted, sent, cancelled by an
// objection or a refusal keeps it all, and so does a household listed for
// the social services while its list stands; the run goes once nothing is
// left, and a changed file may then run under its id.
TEST_P(StoreTest, APlanGivenUpIsWithdrawnWhereNothingLeft) {
  PlannedAction grant = action("H2", "C3");
  grant.key.action = "grant";
  grant.channel = "transmission";
  PlannedAction refusal = action("H3", "C4");
  refusal.key.action = "refusal";
  refusal.channel = "transmission";
  StoredDecision listed = decision("H6", {"P6"});
  listed.listed_in = "/lists/38185.csv";
  listed.listed_as = "H6";
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"}), decision("H3", {"P3"}), decision("H4", {"P4"}), listed},
                                {action("H1", "C1"), action("H2", "C2"), grant, refusal, action("H4", "C5")}).ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'delivered', attempts = 1 WHERE verification_code = 'C2'").ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'cancelled' WHERE verification_code = 'C5'").ok());
  auto w = store->withdraw_unsent(run.run_id, "agent");
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->subjects, 1);
  EXPECT_EQ(w->actions, 1);
  EXPECT_EQ(w->decisions, 1);
  EXPECT_FALSE(w->run_removed);
  EXPECT_TRUE(store->acted_on("c2s", "2025-06").value().count("H2"));  // its notice went: its request stays
  EXPECT_FALSE(store->acted_on("c2s", "2025-06").value().count("H1"));
  EXPECT_EQ(store->decisions_about("H1", "").value().size(), 0u);
  EXPECT_EQ(store->decisions_about("H2", "").value().size(), 1u);
  EXPECT_EQ(store->decisions_about("H6", "").value().size(), 1u);
  EXPECT_EQ(store->listed_in_run(run.run_id).value(), (std::set<std::pair<std::string, std::string>>{{"c2s", "H6"}}));
  EXPECT_EQ(as_int(store->db().run("SELECT COUNT(*) FROM outbox")->rows.at(0).at(0)), 4);

  CampaignRun preview{"c2s-apercu:2025-06", "c2s-apercu", "2025-06", "2025-06-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(preview).value());
  auto planning = store->withdraw_unsent(preview.run_id, "agent");
  ASSERT_FALSE(planning.ok());
  EXPECT_NE(planning.error().message.find("still being planned"), std::string::npos);
  StoredDecision d = decision("H5", {"P5"});
  d.run_id = preview.run_id;
  PlannedAction a = action("H5", "C6");
  a.run_id = preview.run_id;
  StoredDecision listed_too = decision("H7", {"P7"});
  listed_too.run_id = preview.run_id;
  listed_too.listed_in = "/lists/38185.csv";
  listed_too.listed_as = "H7";
  ASSERT_TRUE(store->store_plan({d, listed_too}, {a}).ok());
  ASSERT_TRUE(store->finish_planning(preview.run_id).ok());
  w = store->withdraw_unsent(preview.run_id, "agent");
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_TRUE(w->run_removed);
  CampaignRun changed = preview;
  changed.campaign_hash = "h2";
  EXPECT_FALSE(store->start_run(changed).value());  // registered anew, not refused as a changed file
  EXPECT_FALSE(store->withdraw_unsent("nowhere:2025-06", "agent").ok());
  // Each withdrawal audited with what it did; those refused leave nothing.
  EXPECT_EQ(as_int(store->db().run("SELECT COUNT(*) FROM audit_log WHERE operation = 'run withdrawn'")->rows.at(0).at(0)), 2);
}

// What a run planned for a program, with the decision each action rests on:
// the ground truth measure reads it back; another run's actions, or another
// program's, are not among them.
TEST_P(StoreTest, WhatARunPlannedComesBackWithItsDecisions) {
  std::vector<StoredDecision> d{decision("H1", {"P1", "P2"}), decision("H2", {"P3"})};
  d[1].decision_json = R"({"situation": "H2", "status": "eligible"})";
  std::vector<PlannedAction> a{action("H1", "AAAA-0001"), action("H2", "AAAA-0002")};
  a[1].channel = "letter";
  ASSERT_TRUE(store->store_plan(d, a).ok());
  CampaignRun other{"c2s-isere:2025-07", "c2s-isere", "2025-07", "2025-07-15", "h2", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(other).value());
  StoredDecision later = decision("H3", {"P4"});
  later.period = "2025-07";
  later.run_id = other.run_id;
  PlannedAction later_action{{"c2s", "H3", "2025-07", "notify"}, "email", other.run_id, "h3@example.fr", "{}", "AAAA-0003"};
  ASSERT_TRUE(store->store_plan({later}, {later_action}).ok());

  auto planned = store->planned_by_run(run.run_id, "c2s");
  ASSERT_TRUE(planned) << planned.error().message;
  ASSERT_EQ(planned->size(), 2u);
  EXPECT_EQ((*planned)[0].decision.subject, "H1");
  EXPECT_EQ((*planned)[0].decision.persons, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ((*planned)[0].action, "notify");
  EXPECT_EQ((*planned)[0].channel, "email");
  EXPECT_EQ((*planned)[1].decision.subject, "H2");
  EXPECT_EQ((*planned)[1].channel, "letter");
  EXPECT_EQ((*planned)[1].decision.decision_json, d[1].decision_json);
  EXPECT_EQ(store->planned_by_run(other.run_id, "c2s").value().size(), 1u);
  EXPECT_TRUE(store->planned_by_run(run.run_id, "rsa").value().empty());
}

TEST_P(StoreTest, ACampaignFileChangedUnderTheSameRunIsRefused) {
  CampaignRun changed = run;
  changed.campaign_hash = "h2";
  auto r = store->start_run(changed);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("different campaign file"), std::string::npos);
}

// A person listed with the household but outside the program's foyer (a
// son of 27 for the C2S): what is held about them finds the household's
// decision, which holds their data; their objection is for their own foyer
// and leaves the household's decision and notice as they are.
TEST_P(StoreTest, APersonOutsideTheFoyerFindsTheDecisionButDoesNotWithdrawIt) {
  StoredDecision d = decision("H1", {"P1"});
  d.outside = {"P2"};
  ASSERT_TRUE(store->store_plan({d, decision("P2", {"P2"})}, {action("H1", "C1"), action("P2", "C2")}).ok());
  auto about = store->decisions_about("P2", "").value();
  ASSERT_EQ(about.size(), 2u);
  auto objected = store->object("P2", "c2s", "courrier du fils", now_ms(), {}).value();
  EXPECT_EQ(objected.decisions_deleted, 1);  // their own foyer's
  EXPECT_EQ(objected.actions_cancelled, 1);
  auto left = store->decisions_about("H1", "").value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].subject, "H1");
  EXPECT_EQ(as_int(store->db().run("SELECT COUNT(*) FROM outbox WHERE subject = 'H1' AND state = 'pending'")->rows.at(0).at(0)), 1);
}

TEST_P(StoreTest, AFailedPlanLeavesNothingBehind) {
  ASSERT_TRUE(store->store_plan({}, {action("H1", "SAME-CODE")}).ok());
  // The second action reuses a verification code: the whole transaction fails.
  auto err = store->store_plan({decision("H2", {"P3"})}, {action("H2", "SAME-CODE")});
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().kind, ErrorKind::kRefused) << err.error().message;  // a constraint: retrying would not help
  auto rows = store->db().run("SELECT COUNT(*) FROM decisions");
  EXPECT_EQ(as_int(rows->rows[0][0]), 0);
  EXPECT_EQ(store->outbox_counts().value().pending, 1);
}

// The rights told in one message share an envelope: claimed together, and
// not before the run's planning is finished (its later rights may still come).
TEST_P(StoreTest, AnEnvelopeIsClaimedWholeAndOnlyOnceItsRunIsPlanned) {
  CampaignRun other{"autre:2025-06", "autre", "2025-06", "2025-06-15", "h2", "CAF"};
  ASSERT_FALSE(store->start_run(other).value());
  auto right = [&](const std::string& program, const std::string& code) {
    PlannedAction a = action("H1", code);
    a.key.program = program;
    a.run_id = other.run_id;
    a.envelope = other.run_id + "|H1|email";
    return a;
  };
  ASSERT_TRUE(store->store_plan({}, {right("rsa", "B2"), right("c2s", "B9")}).ok());
  int64_t t = now_ms();
  EXPECT_TRUE(store->claim_due(10, t).value().empty());  // its run is still planning
  ASSERT_TRUE(store->finish_planning(other.run_id).ok());
  auto claimed = store->claim_due(1, t).value();
  ASSERT_EQ(claimed.size(), 2u);  // one envelope, whole, though one row was asked for
  for (const auto& e : claimed) {
    EXPECT_EQ(e.envelope, other.run_id + "|H1|email");
    EXPECT_EQ(e.reference, "B2");  // the least code: the message's name, whatever becomes of its rights
  }
}

// The notice of a request (and the rights told in its message) leaves only
// once the request has reached the paying body: while it is on its way, and
// after it failed for good, until an agent puts it back in the queue. The
// others' messages go meanwhile, and delivery does not wait for a failed one.
TEST_P(StoreTest, ARequestsNoticeWaitsForItsRequest) {
  PlannedAction grant{{"c2s", "H1", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G1"};
  auto [notice, fare] = notice_and_fare("H1", "N1", "F1");
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"})}, {grant, notice, fare, action("H2", "O1")}).ok());
  int64_t t = now_ms();
  auto codes = [](const std::vector<OutboxEntry>& claimed) {
    std::set<std::string> out;
    for (const auto& e : claimed) out.insert(e.verification_code);
    return out;
  };
  auto claimed = store->claim_due(10, t).value();
  EXPECT_EQ(codes(claimed), (std::set<std::string>{"G1", "O1"}));
  for (const auto& e : claimed)
    if (e.verification_code == "O1") {
      ASSERT_TRUE(store->mark_delivered(e.key, t).ok());
    }
  EXPECT_TRUE(store->claim_due(10, t).value().empty());  // the request is being sent
  EXPECT_EQ(store->outbox_counts().value().awaiting_failed_request, 0);

  ASSERT_TRUE(store->mark_failed(grant.key, "refused for good", t, true).ok());
  EXPECT_TRUE(store->claim_due(10, t).value().empty());
  auto counts = store->outbox_counts().value();
  EXPECT_EQ(counts.pending, 2);
  EXPECT_EQ(counts.awaiting_failed_request, 2);  // the notice and the fare told beside it
  EXPECT_EQ(store->outbox_counts("other:%").value().awaiting_failed_request, 0);

  ASSERT_EQ(store->requeue_dead("", t).value().requeued, 1);
  EXPECT_EQ(store->outbox_counts().value().awaiting_failed_request, 0);  // on its way again
  claimed = store->claim_due(10, t).value();
  EXPECT_EQ(codes(claimed), (std::set<std::string>{"G1"}));
  ASSERT_TRUE(store->mark_delivered(grant.key, t).ok());
  claimed = store->claim_due(10, t).value();
  EXPECT_EQ(codes(claimed), (std::set<std::string>{"N1", "F1"}));
}

// A dead request put back in the queue while another request for the same
// household (its subject, or its foyer's persons under another case number)
// reached the paying body would be a second request: it is cancelled with
// its notice, and the rights told beside that notice leave alone. So is one
// whose persons objected since. One that another request may yet replace
// (waiting to be sent, dead in another run) stays dead.
TEST_P(StoreTest, ADeadRequestIsNotSentTwiceNorAgainstAnObjection) {
  const CampaignRun july{"c2s-isere:2025-07", "c2s-isere", "2025-07", "2025-07-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(july).value());
  ASSERT_TRUE(store->finish_planning(july.run_id).ok());
  auto grant = [&](const std::string& subject, const std::string& period, const std::string& code) {
    return PlannedAction{{"c2s", subject, period, "grant"}, "transmission", run.run_id, "CPAM", "{}", code};
  };
  auto decided = [&](const std::string& subject, const std::string& period, std::vector<std::string> persons) {
    StoredDecision d = decision(subject, std::move(persons));
    d.period = period;
    return d;
  };
  auto [notice, fare] = notice_and_fare("CAF:H1", "N1", "F1");
  PlannedAction h12_july = grant("CAF:H12", "2025-07", "G12b");
  h12_july.run_id = july.run_id;
  ASSERT_TRUE(store
                  ->store_plan({decided("CAF:H1", "2025-06", {"CAF:P1", "CAF:P2"}),
                                decided("CAF:H9", "2025-07", {"CAF:P2", "CAF:P1"}),
                                decided("CAF:H7", "2025-06", {"CAF:P7"}), decided("CAF:H8", "2025-06", {"CAF:P7"}),
                                decided("CAF:H10", "2025-06", {"CAF:P10"}),
                                decided("CAF:H14", "2025-06", {"CAF:P14", "CAF:P15"}),
                                decided("CAF:H16", "2025-06", {"CAF:P16", "CAF:P17"}),
                                decided("CAF:H16", "2025-07", {"CAF:P16", "CAF:P17", "CAF:P18"})},
                               {grant("CAF:H1", "2025-06", "G1"), notice, fare, grant("CAF:H9", "2025-07", "G9"),
                                grant("CAF:H3", "2025-06", "G3"), grant("CAF:H5", "2025-06", "G5"),
                                grant("CAF:H5", "2025-07", "G5b"), grant("CAF:H6", "2025-06", "G6"),
                                grant("CAF:H6", "2025-07", "G6b"), grant("CAF:H7", "2025-06", "G7"),
                                grant("CAF:H8", "2025-06", "G8"), grant("CAF:H10", "2025-06", "G10"),
                                grant("CAF:H11", "2024-06", "G11a"), grant("CAF:H11", "2025-06", "G11"),
                                grant("CAF:H12", "2025-06", "G12"), h12_july, grant("CAF:H13", "2025-06", "G13"),
                                grant("CAF:H14", "2025-06", "G14"), grant("CAF:H16", "2025-06", "G16"),
                                grant("CAF:H16", "2025-07", "G16b"), grant("CAF:H20", "2025-06", "G20"),
                                grant("CAF:H20", "2025-08", "G20b")})
                  .ok());
  const int64_t t = now_ms();
  // H9's, H5's July and H8's requests are being sent, H11's of 2024 was
  // delivered; the others failed for good.
  const std::set<std::string> under_way = {"G9", "G5b", "G8"};
  const auto first = store->claim_due(30, t).value();
  EXPECT_EQ(first.size(), 20u);  // the requests; the notice and the fare wait for H1's
  for (const auto& e : first) {
    if (e.verification_code == "G11a") {
      ASSERT_TRUE(store->mark_delivered(e.key, t).ok());
    } else if (!under_way.count(e.verification_code)) {
      ASSERT_TRUE(store->mark_failed(e.key, "refused for good", t, true).ok());
    }
  }
  // H13 is asked again in July, and H20 in July 2026, not sent yet.
  ASSERT_TRUE(store->store_plan({}, {grant("CAF:H13", "2025-07", "G13b"), grant("CAF:H20", "2026-07", "G20c")}).ok());
  // H10's person objected, and H14's foyer under another case number (a
  // refusal with an event for H15), neither reaching these households; in
  // July, H16's household gained P18, who objected.
  for (const char* subject : {"CAF:P10", "CAF:H15", "CAF:P18"})
    ASSERT_TRUE(store->db().run("INSERT INTO objections (subject, program, recorded_at, origin) VALUES ($1, 'c2s', 1, 'test')",
                                {std::string(subject)}).ok());
  ASSERT_TRUE(store->store_plan({decided("CAF:H15", "2025-07", {"CAF:P15", "CAF:P14"})}, {}).ok());

  auto requeued = store->requeue_dead(run.run_id, t).value();
  // H1 (its foyer is H9's, a month later), H5's and H6's June (a later one
  // of the same household, H6's requeued with it), H7 (H8 is the same
  // person, the same month).
  EXPECT_EQ(requeued.superseded, 4);
  EXPECT_EQ(requeued.objected, 3);  // H10, H14, H16's July
  // H12's June (its July request is dead in the July run), H13 (July's
  // waits), H20's August (July 2026's waits).
  EXPECT_EQ(requeued.left_dead, 3);
  // H3's, H6's July, H11's (a year after the one delivered), H16's June,
  // H20's June (July 2026 is more than a year after it, and August stays
  // dead), whichever of H20's the store reads first.
  EXPECT_EQ(requeued.requeued, 5);
  std::set<std::string> sent;
  const auto then = store->claim_due(30, now_ms()).value();
  for (const auto& e : then) sent.insert(e.verification_code);
  EXPECT_EQ(sent, (std::set<std::string>{"G3", "G6b", "G11", "G16", "G20", "G13b", "G20c", "F1"}));
  auto states = store->db().run(
      "SELECT verification_code, state FROM outbox WHERE verification_code IN ('G1', 'N1', 'G5', 'G6', 'G7', 'G10', 'G12', "
      "'G12b', 'G13', 'G14', 'G16b') ORDER BY verification_code",
      {});
  ASSERT_TRUE(states.ok());
  std::vector<std::string> got;
  for (const auto& row : states->rows) got.push_back(std::get<std::string>(row[0]) + " " + std::get<std::string>(row[1]));
  EXPECT_EQ(got, (std::vector<std::string>{"G1 cancelled", "G10 cancelled", "G12 dead", "G12b dead", "G13 dead",
                                           "G14 cancelled", "G16b cancelled", "G5 cancelled", "G6 cancelled",
                                           "G7 cancelled", "N1 cancelled"}));
  EXPECT_EQ(store->outbox_counts().value().awaiting_failed_request, 0);

  // Every run requeued: H12's July goes, its June does not; H13's July
  // request and H20's of June and of July 2026 are being sent now: H13's
  // June and H20's August are cancelled.
  auto again = store->requeue_dead("", t).value();
  EXPECT_EQ(again.requeued, 1);
  EXPECT_EQ(again.superseded, 3);
  EXPECT_EQ(again.left_dead, 0);

  // A run being planned reads what was requested before it stores its
  // own: no request is requeued meanwhile.
  ASSERT_TRUE(store->store_plan({}, {grant("CAF:H19", "2025-06", "G19")}).ok());
  const auto h19 = store->claim_due(30, now_ms()).value();
  for (const auto& e : h19) {
    ASSERT_TRUE(store->mark_failed(e.key, "refused for good", t, true).ok());
  }
  const CampaignRun august{"c2s-isere:2025-08", "c2s-isere", "2025-08", "2025-08-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(august).value());
  auto refused = store->requeue_dead("", t);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("c2s-isere:2025-08 is being planned"), std::string::npos);
}

// A request that went once without an answer (a timeout) may have reached
// the paying body, whatever became of it since: dead after its retries, it
// still stands for its household within the year, and a requeue sends it
// rather than another, since the paying body recognises a copy of it by its
// Idempotency-Key and would take another request as a second one.
TEST_P(StoreTest, ADeadRequestThatMayHaveArrivedIsNotAskedAgain) {
  const CampaignRun july{"c2s-isere:2025-07", "c2s-isere", "2025-07", "2025-07-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(july).value());
  ASSERT_TRUE(store->finish_planning(july.run_id).ok());
  auto grant = [&](const std::string& subject, const std::string& period, const std::string& code) {
    return PlannedAction{{"c2s", subject, period, "grant"}, "transmission", period == "2025-07" ? july.run_id : run.run_id,
                         "CPAM", "{}", code};
  };
  // H1: June timed out, July refused; H2 the other way round; H3 both timed
  // out; H4: June refused, July (another run, not requeued) timed out.
  ASSERT_TRUE(store
                  ->store_plan({}, {grant("CAF:H1", "2025-06", "G1"), grant("CAF:H1", "2025-07", "G1b"),
                                    grant("CAF:H2", "2025-06", "G2"), grant("CAF:H2", "2025-07", "G2b"),
                                    grant("CAF:H3", "2025-06", "G3"), grant("CAF:H3", "2025-07", "G3b"),
                                    grant("CAF:H4", "2025-06", "G4"), grant("CAF:H4", "2025-07", "G4b"),
                                    grant("CAF:H5", "2025-06", "G5"), grant("CAF:H6", "2025-06", "G6"),
                                    grant("CAF:H6", "2025-07", "G6b")})
                  .ok());
  // H6: June timed out, then cancelled (past its retention); July refused.
  const std::set<std::string> timed_out = {"G1", "G2b", "G3", "G3b", "G4b", "G6"};
  const int64_t t = now_ms();
  const auto claimed = store->claim_due(30, t).value();
  for (const auto& e : claimed)
    ASSERT_TRUE(store->mark_failed(e.key, "failed for good", t, true, timed_out.count(e.verification_code) > 0).ok());

  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'expired' WHERE verification_code = 'G6'").ok());
  // August: H1, H2, H3, H4 and H6 were requested (or may have been); H5's
  // request never left.
  auto august = store->acted_within_year("c2s", "2025-08");
  ASSERT_TRUE(august.ok()) << august.error().message;
  EXPECT_EQ(august->requested, (std::unordered_set<std::string>{"CAF:H1", "CAF:H2", "CAF:H3", "CAF:H4", "CAF:H6"}));

  // June's run: H1's June goes, though its July, dead in another run, is
  // later; H2's, H3's (both may have arrived: the later) and H4's June do
  // not, their July may have arrived.
  auto requeued = store->requeue_dead(run.run_id, t).value();
  EXPECT_EQ(requeued.requeued, 2);  // H1's and H5's
  EXPECT_EQ(requeued.superseded, 3);
  EXPECT_EQ(requeued.left_dead, 0);
  // Every run: H1's July does not go, its June does; H3's July goes though
  // its June, which may have arrived too, was cancelled for it; H6's July
  // does not (its June may have arrived).
  auto again = store->requeue_dead("", t).value();
  EXPECT_EQ(again.requeued, 3);
  EXPECT_EQ(again.superseded, 2);
  std::set<std::string> sent;
  const auto then = store->claim_due(30, now_ms()).value();
  for (const auto& e : then) sent.insert(e.verification_code);
  EXPECT_EQ(sent, (std::set<std::string>{"G1", "G2b", "G3b", "G4b", "G5"}));
}

// A dead notice told nobody, so the campaigns after it told the household
// again: sent once requeued, it would tell them twice. It is cancelled where
// the household, or its foyer's persons under another case number, was told
// since of what it says (a right; for a possible right, either), the notice
// still to be sent included, and where a later dead notice of the household
// that tells as much goes with it; not where what was told since tells less
// (a possible right), was cancelled, or is more than a year away. The same
// by letter, for what was told since.
TEST_P(StoreTest, ADeadNoticeIsNotSentWhereItsHouseholdWasToldSince) {
  const CampaignRun july{"c2s-isere:2025-07", "c2s-isere", "2025-07", "2025-07-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(july).value());
  ASSERT_TRUE(store->finish_planning(july.run_id).ok());
  auto notice = [&](const std::string& subject, const std::string& period, const std::string& action, const std::string& code) {
    PlannedAction a = this->action(subject, code);
    a.key.period = period;
    a.key.action = action;
    if (period == july.period) a.run_id = july.run_id;
    return a;
  };
  auto decided = [&](const std::string& subject, const std::string& period, std::vector<std::string> persons) {
    StoredDecision d = decision(subject, std::move(persons));
    d.period = period;
    return d;
  };
  ASSERT_TRUE(store
                  ->store_plan({decided("CAF:H1", "2025-06", {"CAF:P1", "CAF:P2"}),
                                decided("CAF:H2", "2025-07", {"CAF:P2", "CAF:P1"})},
                               {notice("CAF:H1", "2025-06", "notify", "N1"), notice("CAF:H2", "2025-07", "notify", "N2"),
                                notice("CAF:H3", "2025-06", "notify", "N3"),
                                notice("CAF:H4", "2025-06", "notify_possible", "N4"),
                                notice("CAF:H5", "2025-06", "notify", "N5"),
                                notice("CAF:H5", "2025-07", "notify_possible", "N5b"),
                                notice("CAF:H6", "2025-06", "notify", "N6"), notice("CAF:H6", "2025-07", "notify", "N6b"),
                                notice("CAF:H7", "2025-06", "notify", "N7"), notice("CAF:H7", "2025-07", "notify", "N7b"),
                                notice("CAF:H8", "2024-06", "notify", "N8a"), notice("CAF:H8", "2025-06", "notify", "N8"),
                                notice("CAF:H10", "2025-06", "notify", "N10"),
                                notice("CAF:H10", "2025-07", "notify_possible", "N10b")})
                  .ok());
  const int64_t t = now_ms();
  // Told since: H1's foyer under H2, H5 of a possible right, H8 a year before.
  const std::set<std::string> told = {"N2", "N5b", "N8a"};
  const auto first = store->claim_due(30, t).value();
  for (const auto& e : first) {
    if (told.count(e.verification_code)) {
      ASSERT_TRUE(store->mark_delivered(e.key, t).ok());
    } else {
      ASSERT_TRUE(store->mark_failed(e.key, "mailbox does not exist", t, true).ok());
    }
  }
  // H4 is told of the right in July, not sent yet; H7's July notice was
  // cancelled (an objection withdrawn since, say).
  ASSERT_TRUE(store->store_plan({}, {notice("CAF:H4", "2025-07", "notify", "N4b")}).ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'cancelled' WHERE verification_code = 'N7b'").ok());

  auto requeued = store->requeue_dead("", t).value();
  EXPECT_EQ(requeued.notices_told_since, 3);  // N1, N4, N6
  // N3, N5, N6b, N7, N8 (a year after N8a), N10 and N10b (a possible
  // right does not tell the right N10 tells).
  EXPECT_EQ(requeued.requeued, 7);
  std::set<std::string> sent;
  const auto then = store->claim_due(30, now_ms()).value();
  for (const auto& e : then) sent.insert(e.verification_code);
  EXPECT_EQ(sent, (std::set<std::string>{"N3", "N5", "N6b", "N7", "N8", "N10", "N10b", "N4b"}));
  auto states = store->db().run(
      "SELECT verification_code FROM outbox WHERE state = 'cancelled' AND last_error LIKE 'not sent: the household was "
      "told since%' ORDER BY verification_code");
  std::vector<std::string> cancelled;
  for (const auto& row : states->rows) cancelled.push_back(std::get<std::string>(row[0]));
  EXPECT_EQ(cancelled, (std::vector<std::string>{"N1", "N4", "N6"}));

  // By letter: N3 dies again, and H3 is told meanwhile under another case
  // number with the same person. A later dead notice does not stand for an
  // earlier one there: which go is known only as they move (an address).
  ASSERT_TRUE(store->mark_failed({"c2s", "CAF:H3", "2025-06", "notify"}, "mailbox does not exist", t, true).ok());
  ASSERT_TRUE(store->store_plan({decided("CAF:H3", "2025-06", {"CAF:P3"}), decided("CAF:H9", "2025-07", {"CAF:P3"})},
                                {notice("CAF:H9", "2025-07", "notify", "N9")})
                  .ok());
  auto by_letter = store->requeue_dead_by_letter("", t, "agent", [](const std::string&) { return "Mme A"; }).value();
  EXPECT_EQ(by_letter.notices_told_since, 1);
  EXPECT_EQ(by_letter.by_letter, 0);
}

// What follows a lock sees what its previous holder committed only if each
// statement reads what was committed when it starts: a database whose
// default is another isolation level does not change the store's.
TEST_P(StoreTest, TransactionsReadWhatWasCommittedWhateverTheDatabasesDefault) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "SQLite has one writer at a time";
  const std::string set = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_isolation = "
                          "''repeatable read''', current_database()); END $$";
  const std::string reset = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_isolation', "
                            "current_database()); END $$";
  ASSERT_TRUE(store->db().run(set).ok());
  auto reopened = Store::open(url);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  std::string outside, inside;
  auto show = [&](std::string& level) -> Result<void> {
    auto r = (*reopened)->db().run("SHOW transaction_isolation");
    if (!r) return r.error();
    level = std::get<std::string>(r->rows.at(0).at(0));
    return {};
  };
  ASSERT_TRUE(show(outside).ok());
  auto read = (*reopened)->deciding_requests([&] { return show(inside); });
  ASSERT_TRUE(store->db().run(reset).ok());
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(outside, "repeatable read");  // the default took
  EXPECT_EQ(inside, "read committed");
}

// A session lasts while it is used, at most until its expiry; a login is
// unique; a role the schema does not know is refused by the store itself.
TEST_P(StoreTest, AgentSessionsEndWhenIdleOrExpiredAndRolesAreChecked) {
  const int64_t t = now_ms(), idle = 30 * 60 * 1000;
  ASSERT_TRUE(store->add_agent({"marie", "$argon2id$x", "agent", "CAF", {"rsa"}}, t).ok());
  EXPECT_FALSE(store->add_agent({"marie", "$argon2id$y", "admin", "CAF", {}}, t).ok());
  EXPECT_FALSE(store->add_agent({"paul", "$argon2id$z", "superuser", "CAF", {}}, t).ok());
  auto marie = store->agent("marie").value();
  ASSERT_TRUE(marie.has_value());
  EXPECT_EQ(marie->role, "agent");
  EXPECT_TRUE(marie->covers("rsa"));
  EXPECT_FALSE(marie->covers("c2s"));
  EXPECT_FALSE(store->agent("paul").value().has_value());

  ASSERT_TRUE(store->open_session("h-used", "marie", "csrf1", t, t + 8 * 3600 * 1000).ok());
  ASSERT_TRUE(store->open_session("h-expired", "marie", "csrf2", t - 9 * 3600 * 1000, t - 3600 * 1000).ok());
  ASSERT_TRUE(store->open_session("h-idle", "marie", "csrf3", t - 3600 * 1000, t + 3600 * 1000).ok());
  auto used = store->session("h-used", t + idle - 1000, idle).value();
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(used->agent.login, "marie");
  EXPECT_EQ(used->csrf, "csrf1");
  EXPECT_TRUE(used->agent.password_hash.empty());  // a session never carries the hash
  // Used just now: still open almost an idle period later.
  EXPECT_TRUE(store->session("h-used", t + 2 * idle - 2000, idle).value().has_value());
  EXPECT_FALSE(store->session("h-expired", t, idle).value().has_value());
  EXPECT_FALSE(store->session("h-idle", t, idle).value().has_value());
  EXPECT_FALSE(store->session("h-idle", t - 3600 * 1000 + 1, idle).value().has_value());  // removed, not revived
  EXPECT_FALSE(store->session("unknown", t, idle).value().has_value());
  ASSERT_TRUE(store->close_session("h-used").ok());
  EXPECT_FALSE(store->session("h-used", t, idle).value().has_value());
}

// What a run being planned fetched from API Particulier: kept with the audit
// rows of its calls, found again by a planning run again, never twice, and
// gone once the run is planned, on an objection, or past retention.
TEST_P(StoreTest, DataFetchedForARunAreKeptOnlyWhileItIsPlanned) {
  CampaignRun fetching{"m-reso:2026-11", "m-reso", "2026-11", "2026-11-30", "h2", "SMMAG"};
  ASSERT_FALSE(store->start_run(fetching).value());
  auto fill = [](const char* subject, const char* person, const char* outcome, const char* value) {
    return FetchedFill{subject, person, "quotient_familial", outcome, value, "2026-11", "CNAF",
                       "/v3/dss/quotient_familial/identite", "2026-11-30"};
  };
  ASSERT_TRUE(store->record_fills(fetching.run_id, {fill("CAF:H1", "CAF:P1", "found", "640")},
                                   {{0, "campagne", "API Particulier asked", "quotient_familial: found"}}).ok());
  // The same person again (a call that came back twice) keeps the first answer.
  ASSERT_TRUE(store->record_fills(fetching.run_id,
                                   {fill("CAF:H1", "CAF:P1", "found", "999"), fill("CAF:H2", "CAF:P2", "not_found", ""),
                                    fill("CAF:H3", "CAF:P3", "found", "420")},
                                   {}).ok());
  auto kept = store->fetched_fills(fetching.run_id).value();
  ASSERT_EQ(kept.size(), 3u);
  for (const auto& f : kept) {
    if (f.person == "CAF:P1") {
      EXPECT_EQ(f.value, "640");
    }
  }
  EXPECT_EQ(store->audit_log(0).value().back().operation, "API Particulier asked");
  EXPECT_TRUE(store->fetched_fills(run.run_id).value().empty());
  // An objection by the household (or the person) deletes theirs.
  ASSERT_TRUE(store->object("CAF:H2", "m-reso", "courrier", now_ms(), {}).ok());
  ASSERT_TRUE(store->object("CAF:P3", "*", "courrier", now_ms(), {}).ok());
  kept = store->fetched_fills(fetching.run_id).value();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].person, "CAF:P1");
  // An answer that comes after the objection is not kept either.
  ASSERT_TRUE(store->record_fills(fetching.run_id, {fill("CAF:H2", "CAF:P2", "found", "300")}, {}).ok());
  EXPECT_EQ(store->fetched_fills(fetching.run_id).value().size(), 1u);
  // Kept a month at most: a campaign can no longer ask after that.
  ASSERT_TRUE(store->purge(now_ms() + 30 * int64_t{86400000}).ok());
  EXPECT_EQ(store->fetched_fills(fetching.run_id).value().size(), 1u);
  ASSERT_TRUE(store->purge(now_ms() + 32 * int64_t{86400000}).ok());
  EXPECT_TRUE(store->fetched_fills(fetching.run_id).value().empty());
  // And once the run is planned, whatever is left.
  ASSERT_TRUE(store->record_fills(fetching.run_id, {fill("CAF:H4", "CAF:P4", "found", "500")}, {}).ok());
  ASSERT_TRUE(store->finish_planning(fetching.run_id).ok());
  EXPECT_TRUE(store->fetched_fills(fetching.run_id).value().empty());
}

// Each ingestion replaces the pending pairs of its own extracts only, a pair
// seen again keeping its number, a number never given twice; a decision is
// recorded once, with its audit row, and survives the next ingestion; the
// purge removes pairs as old as the data they came from.
TEST_P(StoreTest, TheLinkageReviewQueue) {
  const int64_t t = now_ms();
  auto pair = [](const char* sa, const char* ra, const char* sb, const char* rb) {
    LinkageReview r;
    r.source_a = sa, r.record_a = ra, r.source_b = sb, r.record_b = rb, r.weight = 18.5, r.fields = "birth date exact +13.3";
    return r;
  };
  ASSERT_TRUE(store->replace_pending_reviews({"CAF", "CPAM"}, {pair("CAF", "1", "CPAM", "9"), pair("CAF", "2", "CPAM", "8")},
                                              "r1", t).ok());
  ASSERT_TRUE(store->replace_pending_reviews({"CROUS", "DGFiP"}, {pair("CROUS", "5", "DGFiP", "6")}, "r2", t).ok());
  // CROUS and DGFiP again, with one pair more: the first keeps its number.
  ASSERT_TRUE(store->replace_pending_reviews(
      {"CROUS", "DGFiP"}, {pair("CROUS", "5", "DGFiP", "6"), pair("CROUS", "4", "DGFiP", "3")}, "r2", t + 1).ok());
  int64_t crous = 0, crous_new = 0;
  const auto seen_again = store->pending_reviews(10).value();
  for (const auto& p : seen_again) {
    if (p.record_a == "5") crous = p.id;
    if (p.record_a == "4") crous_new = p.id;
  }
  EXPECT_EQ(crous, 3);
  EXPECT_EQ(crous_new, 4);
  // And without it: its number is not given to the next new pair.
  ASSERT_TRUE(store->replace_pending_reviews({"CROUS", "DGFiP"}, {pair("CROUS", "5", "DGFiP", "6")}, "r2", t + 2).ok());
  auto pending = store->pending_reviews(10).value();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(store->pending_review_count().value(), 3);
  // A person named by a pending pair, on either side, as an event names them.
  EXPECT_TRUE(store->under_review("CAF:1").value());
  EXPECT_TRUE(store->under_review("DGFiP:6").value());
  EXPECT_FALSE(store->under_review("CAF:5").value());  // CROUS's record 5, not the CAF's
  EXPECT_FALSE(store->under_review("CROUS:4").value());  // its pair is gone
  EXPECT_FALSE(store->under_review("1").value());
  EXPECT_FALSE(store->decide_review(crous_new, "same", "agent marie", t).value());  // gone: nothing decided
  EXPECT_EQ(pending[0].seen_in, "r1");
  EXPECT_DOUBLE_EQ(pending[0].weight, 18.5);
  const int64_t first = pending[0].id;
  EXPECT_TRUE(store->decide_review(first, "same", "agent marie", t).value());
  EXPECT_FALSE(store->under_review(pending[0].source_b + ":" + pending[0].record_b).value());  // decided
  EXPECT_FALSE(store->decide_review(first, "different", "agent marie", t).value());  // decided already
  EXPECT_FALSE(store->decide_review(999, "same", "agent marie", t).value());
  EXPECT_FALSE(store->decide_review(pending[1].id, "perhaps", "agent marie", t).ok());
  // The next ingestion of CAF and CPAM: the decided pair stays decided, the
  // other pending one is gone, CROUS-DGFiP's pair is untouched, numbers are new.
  ASSERT_TRUE(store->replace_pending_reviews({"CAF", "CPAM"}, {pair("CAF", "1", "CPAM", "9"), pair("CAF", "3", "CPAM", "7")},
                                              "r3", t + 3).ok());
  auto decided = store->decided_reviews().value();
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0].decision, "same");
  EXPECT_EQ(decided[0].decided_by, "agent marie");
  EXPECT_EQ(decided[0].record_a, "1");
  pending = store->pending_reviews(10).value();
  ASSERT_EQ(pending.size(), 2u);
  std::set<std::string> records;
  for (const auto& p : pending) records.insert(p.source_a + p.record_a);
  EXPECT_EQ(records, (std::set<std::string>{"CAF3", "CROUS5"}));
  for (const auto& p : pending) {
    if (p.source_a == "CAF") {
      EXPECT_EQ(p.id, 5);  // after 1 to 4, whatever was removed since
    }
  }
  auto audit = store->audit_log(0).value();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].operation, "linkage pair decided");
  EXPECT_EQ(audit[0].detail, "pair " + std::to_string(first) + " (CAF, CPAM): the same person");
  // A year and a day later, nothing of it is kept.
  ASSERT_TRUE(store->purge(t + 366LL * 86400000).ok());
  EXPECT_EQ(store->pending_review_count().value(), 0);
  EXPECT_TRUE(store->decided_reviews().value().empty());
}

// A household no channel reached has its decision kept with the list for
// the social services that names it: a decision that acts (a later run of
// the period, an event) replaces it, keeping the list, and an objection
// names the list for its caller to take the right out; a second listing
// replaces nothing.
TEST_P(StoreTest, ADecisionListedForTheSocialServices) {
  StoredDecision listed = decision("CAF:H1", {"CAF:P1"});
  listed.listed_in = "/lists/38185.csv";
  listed.listed_as = "CAF:H1";
  listed.status = "undetermined";
  ASSERT_TRUE(store->store_plan({listed}, {}).ok());
  const CampaignRun other{"c2s-isere-bis:2025-06", "c2s-isere-bis", "2025-06", "2025-06-20", "h2", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(other).value());
  StoredDecision again = listed;
  again.run_id = other.run_id;
  again.listed_in = "/other/38185.csv";
  ASSERT_TRUE(store->store_plan({again}, {}).ok());
  auto kept = store->db().run("SELECT run_id, status, listed_in FROM decisions WHERE subject = 'CAF:H1'").value();
  ASSERT_EQ(kept.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(kept.rows[0][0]), run.run_id);
  StoredDecision reached = decision("CAF:H1", {"CAF:P1"});
  reached.run_id = other.run_id;
  PlannedAction told = action("CAF:H1", "C1");
  told.run_id = other.run_id;
  ASSERT_TRUE(store->store_plan({reached}, {told}).ok());
  kept = store->db().run("SELECT run_id, status, listed_in FROM decisions WHERE subject = 'CAF:H1'").value();
  ASSERT_EQ(kept.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(kept.rows[0][0]), other.run_id);
  EXPECT_EQ(std::get<std::string>(kept.rows[0][1]), "eligible");
  EXPECT_EQ(std::get<std::string>(kept.rows[0][2]), "/lists/38185.csv");
  // Acted on: planned again, nothing replaces it.
  ASSERT_TRUE(store->store_plan({listed}, {}).ok());
  EXPECT_EQ(std::get<std::string>(store->db().run("SELECT run_id FROM decisions WHERE subject = 'CAF:H1'").value().rows[0][0]),
            other.run_id);
  EXPECT_EQ(store->listed_in_run(other.run_id).value(),
            (std::set<std::pair<std::string, std::string>>{{"c2s", "CAF:H1"}}));
  auto objected = store->object("CAF:H1", "c2s", "courrier", now_ms(), {}).value();
  ASSERT_EQ(objected.listed.size(), 1u);
  EXPECT_EQ(objected.listed[0].file, "/lists/38185.csv");
  EXPECT_EQ(objected.listed[0].household, "CAF:H1");
  EXPECT_EQ(objected.listed[0].program, "c2s");
  EXPECT_TRUE(store->listed_in_run(other.run_id).value().empty());
}

// Dead emails sent by letter instead: an envelope's two rights together, in
// an envelope of letters; a message without a postal address, and a dead
// transmission, stay as they are.
TEST_P(StoreTest, DeadEmailsGoByLetterWhereAnAddressIsKnown) {
  auto right = [&](const std::string& subject, const std::string& program, const std::string& code, const std::string& message) {
    PlannedAction a{{program, subject, "2025-06", "notify"}, "email", run.run_id, subject + "@example.fr", message, code};
    a.envelope = run.run_id + "|" + subject + "|email";
    return a;
  };
  const std::string addressed = R"({"name": "Jeanne Martin", "address": "3 rue des Alpes", "town": "38000 GRENOBLE"})";
  PlannedAction transmission = right("H3", "c2s", "C4", "{}");
  transmission.key.action = "grant";
  transmission.channel = "transmission";
  // A letter of the same subject already sent (an event's, another month's
  // contact): its envelope, file and reference are not reused.
  PlannedAction sent = right("H1", "m-reso-solidaire", "C0", addressed);
  sent.channel = "letter";
  sent.envelope = run.run_id + "|H1|letter";
  ASSERT_TRUE(store->store_plan({}, {right("H1", "c2s", "C1", addressed), right("H1", "rsa", "C2", addressed),
                                     right("H2", "c2s", "C3", R"({"name": "Paul Durand", "address": "", "town": ""})"),
                                     transmission, sent}).ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'dead', last_error = 'SMTP 550 no such user' WHERE verification_code <> 'C0'").ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'delivered' WHERE verification_code = 'C0'").ok());
  auto recipient = [](const std::string& json) {
    return json.find("rue des Alpes") != std::string::npos ? std::string("Jeanne Martin\n3 rue des Alpes\n38000 GRENOBLE") : "";
  };
  auto moved = store->requeue_dead_by_letter(run.run_id, now_ms(), "agent", recipient);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->by_letter, 2);
  EXPECT_EQ(moved->without_address, 1);
  auto rows = store->db().run(
      "SELECT verification_code, channel, state, recipient, envelope FROM outbox WHERE verification_code <> 'C0' ORDER BY "
      "verification_code");
  ASSERT_EQ(rows->rows.size(), 4u);
  for (size_t i : {0, 1}) {
    EXPECT_EQ(std::get<std::string>(rows->rows[i][1]), "letter");
    EXPECT_EQ(std::get<std::string>(rows->rows[i][2]), "retry");
    EXPECT_EQ(std::get<std::string>(rows->rows[i][3]), "Jeanne Martin\n3 rue des Alpes\n38000 GRENOBLE");
    EXPECT_EQ(std::get<std::string>(rows->rows[i][4]), run.run_id + "|H1|email|letter");
  }
  EXPECT_EQ(std::get<std::string>(rows->rows[2][1]), "email");
  EXPECT_EQ(std::get<std::string>(rows->rows[2][2]), "dead");
  EXPECT_EQ(std::get<std::string>(rows->rows[3][1]), "transmission");
  EXPECT_EQ(std::get<std::string>(rows->rows[3][2]), "dead");
  auto claimed = store->claim_due(10, now_ms() + 1).value();
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].reference, "C1");  // one letter, under a reference of its own
  EXPECT_EQ(claimed[1].reference, "C1");
  EXPECT_EQ(as_int(store->db().run("SELECT COUNT(*) FROM audit_log WHERE operation = 'dead letters requeued by letter'")->rows.at(0).at(0)), 1);
}

// A large outage: the dead letters are read a page of envelopes at a time,
// and no envelope is split between pages: one whose second right has no
// address stays whole, wherever it falls.
TEST_P(StoreTest, DeadEmailsGoByLetterPageByPage) {
  constexpr int kEnvelopes = 1100;
  std::vector<PlannedAction> actions;
  int64_t expected_by_letter = 0, expected_without = 0;
  for (int i = 0; i < kEnvelopes; ++i) {
    const std::string subject = "H" + std::to_string(10000 + i);
    const bool none = i % 7 == 0, mixed = !none && i % 5 == 1;
    for (const char* program : {"c2s", "rsa"}) {
      const bool addressed = !none && !(mixed && std::string(program) == "rsa");
      PlannedAction a{{program, subject, "2025-06", "notify"}, "email", run.run_id, subject + "@example.fr",
                      addressed ? R"({"address": "3 rue des Alpes"})" : "{}", subject + program};
      a.envelope = run.run_id + "|" + subject + "|email";
      actions.push_back(a);
    }
    (none || mixed ? expected_without : expected_by_letter) += 2;
  }
  ASSERT_TRUE(store->store_plan({}, actions).ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'dead'").ok());
  auto recipient = [](const std::string& json) {
    return json.find("rue des Alpes") != std::string::npos ? std::string("3 rue des Alpes\n38000 GRENOBLE") : "";
  };
  auto moved = store->requeue_dead_by_letter(run.run_id, now_ms(), "agent", recipient);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->by_letter, expected_by_letter);
  EXPECT_EQ(moved->without_address, expected_without);
  // Each envelope moved or stayed whole.
  auto split = store->db().run(
      "SELECT COUNT(*) FROM outbox a JOIN outbox b ON a.subject = b.subject AND a.program < b.program "
      "WHERE a.channel <> b.channel OR a.state <> b.state");
  EXPECT_EQ(as_int(split->rows.at(0).at(0)), 0);
  EXPECT_EQ(as_int(store->db().run("SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND state = 'retry'")->rows.at(0).at(0)),
            expected_by_letter);
}

TEST_P(StoreTest, DeliveryStatesAndInterruptedSends) {
  PlannedAction transmission = action("H5", "C5");
  transmission.channel = "transmission";
  ASSERT_TRUE(store->store_plan(
      {}, {action("H1", "C1"), action("H2", "C2"), action("H3", "C3"), action("H4", "C4"), transmission}).ok());
  int64_t t = now_ms();
  auto claimed = store->claim_due(2, t).value();
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].attempts, 1);
  auto rest = store->claim_due(10, t).value();
  ASSERT_EQ(rest.size(), 3u);  // the others, claimed by a process that will die
  ASSERT_TRUE(store->mark_delivered(claimed[0].key, t).ok());
  ASSERT_TRUE(store->mark_failed(claimed[1].key, "421 try later", t + 60000, false).ok());
  EXPECT_TRUE(store->claim_due(10, t).value().empty());  // not due before its backoff
  auto again = store->claim_due(10, t + 60000).value();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
  ASSERT_TRUE(store->mark_failed(again[0].key, "550 no such user", t, true).ok());
  // The process died: it had started to send C3 (an email) and C5 (an HTTP
  // transmission), and never tried C4.
  for (const auto& e : rest)
    if (e.verification_code != "C4") {
      ASSERT_TRUE(store->mark_attempt(e.key, t).ok());
    }
  EXPECT_EQ(store->recover_interrupted().value(), 3);
  auto resumed = store->claim_due(10, t).value();
  ASSERT_EQ(resumed.size(), 2u);
  for (const auto& e : resumed) {
    // The transmission goes again, flagged (its Idempotency-Key lets the
    // receiver recognise it); the email never tried is simply sent.
    EXPECT_EQ(e.in_doubt, e.verification_code == "C5") << e.verification_code;
    ASSERT_TRUE(store->mark_delivered(e.key, t).ok());
  }
  // The email that may have left waits for the operator.
  OutboxCounts c = store->outbox_counts(run.run_id).value();
  EXPECT_EQ(c.held, 1);
  EXPECT_TRUE(store->claim_due(10, t + 3600000).value().empty());
  EXPECT_EQ(store->requeue_dead(run.run_id, t).value().requeued, 1);  // dead letters only, not the held email
  EXPECT_EQ(store->settle_held(run.run_id, false, t).value(), 1);
  auto sent_again = store->claim_due(10, t).value();
  ASSERT_EQ(sent_again.size(), 2u);
  for (const auto& e : sent_again) {
    if (e.verification_code == "C3") {
      EXPECT_TRUE(e.in_doubt);
    }
    ASSERT_TRUE(store->mark_delivered(e.key, t).ok());
  }
  c = store->outbox_counts(run.run_id).value();
  EXPECT_EQ(c.delivered, 5);
  EXPECT_EQ(c.held + c.dead + c.pending + c.retry + c.sending, 0);
  EXPECT_EQ(c.in_doubt, 2);
  // A delivered row keeps its trace, not its content.
  auto rows = store->db().run("SELECT recipient, message FROM outbox WHERE state = 'delivered'");
  for (auto& row : rows->rows) EXPECT_EQ(*as_text(row[0]) + *as_text(row[1]), "");
}

// Sent, and no answer: held, flagged, never claimed again until settled.
TEST_P(StoreTest, ASendWithoutAnswerIsHeldUntilTheOperatorSettlesIt) {
  ASSERT_TRUE(store->store_plan({}, {action("H1", "C1"), action("H2", "C2")}).ok());
  int64_t t = now_ms();
  auto claimed = store->claim_due(10, t).value();
  for (const auto& e : claimed) ASSERT_TRUE(store->mark_unknown(e.key, "SMTP 354 Timeout was reached").ok());
  EXPECT_EQ(store->outbox_counts(run.run_id).value().held, 2);
  EXPECT_TRUE(store->claim_due(10, t + 86400000).value().empty());
  EXPECT_EQ(store->settle_held(run.run_id, true, t).value(), 2);
  OutboxCounts c = store->outbox_counts(run.run_id).value();
  EXPECT_EQ(c.delivered, 2);
  EXPECT_EQ(c.held, 0);
}

// Held sends listed for the operator, and settled message by message: a
// code not held refuses the whole settlement; the others stay held.
TEST_P(StoreTest, HeldSendsAreListedAndSettledOneByOne) {
  ASSERT_TRUE(store->store_plan({}, {action("H1", "C1"), action("H2", "C2"), action("H3", "C3")}).ok());
  int64_t t = now_ms();
  auto claimed = store->claim_due(10, t).value();
  for (const auto& e : claimed) ASSERT_TRUE(store->mark_unknown(e.key, "SMTP 354 Timeout was reached").ok());
  auto held = store->held_sends(run.run_id).value();
  ASSERT_EQ(held.size(), 3u);
  std::vector<std::string> codes;
  for (const auto& h : held) {
    codes.push_back(h.code);
    EXPECT_EQ(h.reason, "SMTP 354 Timeout was reached");
  }
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"C1", "C2", "C3"}));
  EXPECT_EQ(store->settle_held(run.run_id, true, t, {"C2"}).value(), 1);
  auto refused = store->settle_held(run.run_id, false, t, {"C1", "C2"});  // C2 is no longer held
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("C2: no send held with this code"), std::string::npos);
  OutboxCounts c = store->outbox_counts(run.run_id).value();
  EXPECT_EQ(c.delivered, 1);
  EXPECT_EQ(c.held, 2);
  EXPECT_EQ(store->settle_held(run.run_id, false, t, {"C1", "C1"}).value(), 1);  // a code given twice: once
  c = store->outbox_counts(run.run_id).value();
  EXPECT_EQ(c.held, 1);
  EXPECT_EQ(c.retry, 1);
  EXPECT_EQ(store->held_sends(run.run_id).value().size(), 1u);
}

// A person who objects is not sent a held message again by the operator's
// "send again": the objection cancels it, and empties it.
TEST_P(StoreTest, AnObjectionCancelsAHeldSend) {
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"})}, {action("H1", "C1")}).ok());
  int64_t t = now_ms();
  auto claimed = store->claim_due(10, t).value();
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(store->mark_unknown(claimed[0].key, "SMTP 354 Timeout was reached").ok());
  ASSERT_TRUE(store->object("H1", "c2s", "courrier", t, {}).ok());
  EXPECT_EQ(store->settle_held(run.run_id, false, t).value(), 0);
  EXPECT_TRUE(store->claim_due(10, t).value().empty());
  auto rows = store->db().run("SELECT state, recipient, message FROM outbox");
  EXPECT_EQ(*as_text(rows->rows[0][0]), "cancelled");
  EXPECT_EQ(*as_text(rows->rows[0][1]) + *as_text(rows->rows[0][2]), "");
}

// A household's objection (by its message's code) follows the persons its
// decision concerned, named as campaigns name them: a later extract giving
// them another household number does not reach them again. A situation's
// own "p3" names someone else in every other one: not recorded.
TEST_P(StoreTest, AHouseholdsObjectionFollowsItsMembers) {
  ASSERT_TRUE(store->store_plan({decision("CAF:A1", {"CAF:P1", "CAF:P2", "p3"})}, {action("CAF:A1", "C1")}).ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "courrier", now_ms(), {}).ok());
  for (const char* who : {"CAF:A1", "CAF:P1", "CAF:P2"}) EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  EXPECT_FALSE(store->has_objected("p3", "c2s").value());
  EXPECT_FALSE(store->has_objected("CAF:P1", "rsa").value());
  EXPECT_EQ(store->objectors("c2s").value(), (std::unordered_set<std::string>{"CAF:A1", "CAF:P1", "CAF:P2"}));
  // The origin, an agent's free text, is kept once: the persons' objections
  // name the household's.
  auto origins = store->db().run("SELECT subject, origin FROM objections ORDER BY subject").value();
  std::vector<std::string> got;
  for (const auto& row : origins.rows) got.push_back(std::get<std::string>(row[0]) + ": " + std::get<std::string>(row[1]));
  EXPECT_EQ(got, (std::vector<std::string>{"CAF:A1: courrier", "CAF:P1: with the objection of CAF:A1",
                                           "CAF:P2: with the objection of CAF:A1"}));
}

// An objection made again restarts its retention (the messages say it may
// be renewed), for the household and its persons: one renewed the day
// before it would have gone is kept as long again (a tester's finding of
// 2026-12-06: the renewal was reported and the purge deleted it).
TEST_P(StoreTest, AnObjectionMadeAgainIsKeptFromTheRenewal) {
  constexpr int64_t kDay = 86400000;
  const int64_t first = now_ms() - 729 * kDay;
  ASSERT_TRUE(store->store_plan({decision("CAF:A1", {"CAF:P1", "CAF:P2"})}, {action("CAF:A1", "C1")}).ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "courrier", first, {}).ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "appel", now_ms(), {}).ok());
  ASSERT_TRUE(store->purge(now_ms() + 2 * kDay).ok());
  for (const char* who : {"CAF:A1", "CAF:P1", "CAF:P2"}) EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  auto origin = store->db().run("SELECT origin FROM objections WHERE subject = 'CAF:A1'").value();
  ASSERT_EQ(origin.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(origin.rows[0][0]), "appel");
  // An earlier date does not take the place of a later one.
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "courrier", first, {}).ok());
  ASSERT_TRUE(store->purge(now_ms() + 2 * kDay).ok());
  EXPECT_TRUE(store->has_objected("CAF:A1", "c2s").value());
}

// A refusal an event recorded with one claim is replaced by a later claim's
// acceptance, with the rows it gave the foyer's persons; not by an earlier
// claim, and not where another objection stands.
TEST_P(StoreTest, ALaterClaimReplacesAnEventsRefusal) {
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "refused with event rsa_granted of 2025-06-20", now_ms(), {},
                            {"CAF:P1", "CAF:P2"}).ok());
  ASSERT_TRUE(store->object("CAF:A2", "c2s", "courrier", now_ms(), {}, {"CAF:P3"}).ok());
  const std::vector<std::string> first{"CAF:A1", "CAF:P1", "CAF:P2"}, second{"CAF:A2", "CAF:P3"};
  auto lifted = [&](const std::vector<std::string>& subjects, const std::string& household, const char* program,
                    const char* day) { return store->lift_earlier_refusals(subjects, household, program, day).value(); };
  EXPECT_TRUE(lifted(first, "CAF:A1", "c2s", "2025-06-20").lifted.empty());
  EXPECT_TRUE(lifted(second, "CAF:A2", "c2s", "2025-09-01").lifted.empty());
  EXPECT_TRUE(lifted(first, "CAF:A1", "rsa", "2025-09-01").lifted.empty());
  // Another household's claim naming one of its persons (a child in two
  // households) is not the others' choice: kept.
  const Store::LiftedRefusals other = lifted({"CAF:A9", "CAF:P2"}, "CAF:A9", "c2s", "2025-09-01");
  EXPECT_TRUE(other.lifted.empty());
  EXPECT_EQ(other.kept, std::vector<std::string>{"CAF:A1"});
  // Its own claim without a member who refused with it (gone since): kept;
  // with each of them, replaced.
  EXPECT_EQ(lifted({"CAF:A1", "CAF:P2"}, "CAF:A1", "c2s", "2025-09-01").kept, std::vector<std::string>{"CAF:A1"});
  EXPECT_EQ(lifted(first, "CAF:A1", "c2s", "2025-09-01").lifted, std::vector<std::string>{"CAF:A1"});
  for (const char* who : {"CAF:A1", "CAF:P1", "CAF:P2"}) EXPECT_FALSE(store->has_objected(who, "c2s").value()) << who;
  for (const char* who : {"CAF:A2", "CAF:P3"}) EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  // An objection to the processing that a claim's refusal renews stays one;
  // a refusal that an objection renews becomes one: neither is replaced.
  ASSERT_TRUE(store->object("CAF:A2", "c2s", "refused with event rsa_granted of 2025-06-20", now_ms() + 1, {}).ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "refused with event rsa_granted of 2025-06-20", now_ms(), {}).ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "courrier", now_ms() + 1, {}).ok());
  EXPECT_TRUE(lifted({"CAF:A2"}, "CAF:A2", "c2s", "2025-09-01").lifted.empty());
  EXPECT_TRUE(lifted({"CAF:A1"}, "CAF:A1", "c2s", "2025-09-01").lifted.empty());
  // The family numbered anew: each person of the refusal is of the claim by
  // their keyed NIR, and it is replaced; one of them only, it is not.
  ASSERT_TRUE(store->object("CAF:A5", "c2s", "refused with event rsa_granted of 2025-06-20", now_ms(), {},
                            {"CAF:P5", "CAF:P6"}, {"CAF:P5=NIR:aa", "CAF:P6=NIR:bb"}).ok());
  EXPECT_EQ(lifted({"CAF:A8", "CAF:Q5", "NIR:aa"}, "CAF:A8", "c2s", "2025-09-01").kept, std::vector<std::string>{"CAF:A5"});
  EXPECT_EQ(lifted({"CAF:A7", "CAF:Q5", "CAF:Q6", "NIR:aa", "NIR:bb"}, "CAF:A7", "c2s", "2025-09-01").lifted,
            std::vector<std::string>{"CAF:A5"});
}

// A child of two households: the mother's refusal, then the father's
// objection to the processing, recorded at a time no later (clocks apart).
// Her later claim lifts nothing the father's objection covers, nor her
// refusal while it names a person of his.
TEST_P(StoreTest, ALaterClaimLiftsNoObjectionToTheProcessing) {
  const int64_t t = now_ms();
  ASSERT_TRUE(store->object("CAF:HM", "c2s", "refused with event rsa_granted of 2025-06-20", t, {},
                            {"CAF:PM", "CAF:P3"}).ok());
  ASSERT_TRUE(store->object("CAF:HF", "c2s", "courrier", t - 5, {}, {"CAF:PF", "CAF:P3"}).ok());
  EXPECT_TRUE(store->lift_earlier_refusals({"CAF:HM", "CAF:PM", "CAF:P3"}, "CAF:HM", "c2s", "2025-09-01").value().lifted.empty());
  for (const char* who : {"CAF:HM", "CAF:PM", "CAF:P3", "CAF:HF", "CAF:PF"})
    EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  // A refusal first under one number, then an objection to the processing
  // at the same time under the same number: an objection it stays.
  ASSERT_TRUE(store->object("CAF:H9", "c2s", "refused with event rsa_granted of 2025-06-20", t, {}, {"CAF:P9"}).ok());
  ASSERT_TRUE(store->object("CAF:H9", "c2s", "courrier", t, {}, {"CAF:P9"}).ok());
  EXPECT_TRUE(store->lift_earlier_refusals({"CAF:H9", "CAF:P9"}, "CAF:H9", "c2s", "2025-09-01").value().lifted.empty());
}

// A household that objects to all programs after objecting to one: the
// first deleted the decision that listed its persons, and the second still
// reaches them (and them alone: a person of another household's objection
// is not taken), so that they are not told under another case number.
TEST_P(StoreTest, AHouseholdsObjectionToAllAfterOneFollowsTheMembersOfTheFirst) {
  ASSERT_TRUE(store->store_plan({decision("CAF:A1", {"CAF:P1", "CAF:P2"}), decision("CAF:A2", {"CAF:P3"})},
                                {action("CAF:A1", "C1"), action("CAF:A2", "C2")})
                  .ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "courrier", now_ms(), {}).ok());
  ASSERT_TRUE(store->object("CAF:A2", "c2s", "courrier", now_ms(), {}).ok());
  ASSERT_TRUE(store->object("CAF:A1", "*", "courrier", now_ms(), {}).ok());
  for (const char* who : {"CAF:A1", "CAF:P1", "CAF:P2"}) EXPECT_TRUE(store->has_objected(who, "rsa").value()) << who;
  EXPECT_FALSE(store->has_objected("CAF:P3", "rsa").value());
  EXPECT_EQ(store->objectors("m-reso-solidaire").value(), (std::unordered_set<std::string>{"CAF:A1", "CAF:P1", "CAF:P2"}));
}

// So too after a member's own objection, which deleted the household's
// decision without objecting for the others.
TEST_P(StoreTest, AHouseholdsObjectionAfterAMembersOwnFollowsTheOthers) {
  ASSERT_TRUE(store->store_plan({decision("CAF:A1", {"CAF:P1", "CAF:P2"})}, {action("CAF:A1", "C1")}).ok());
  ASSERT_TRUE(store->object("CAF:P1", "c2s", "courrier", now_ms(), {}).ok());
  EXPECT_FALSE(store->has_objected("CAF:P2", "c2s").value());
  ASSERT_TRUE(store->object("CAF:A1", "*", "courrier", now_ms(), {}).ok());
  for (const char* who : {"CAF:A1", "CAF:P1", "CAF:P2"}) EXPECT_TRUE(store->has_objected(who, "rsa").value()) << who;
}

// An objection reaches its foyer under another case number (the same
// persons renumbered): a request still waiting there is cancelled, one
// transmitted is refused, their decisions deleted. A household sharing only
// some of the persons (a separated parent, a child in shared custody) made
// no such choice: what waits is cancelled, as a campaign would now skip it,
// but nothing it was sent is withdrawn (the notice of a request that went
// still goes, as does one that may have: its sending interrupted) and its
// decisions stay. The foyer is the latest decision's, or
// the one an event names (not yet decided on); a request the paying body
// rejected is not withdrawn.
TEST_P(StoreTest, AnObjectionReachesItsFoyerUnderAnotherCaseNumber) {
  auto grant = [&](const std::string& subject) {
    return PlannedAction{{"c2s", subject, "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G-" + subject};
  };
  ASSERT_TRUE(store->store_plan({decision("CAF:H3", {"CAF:P2", "CAF:P9"}), decision("CAF:H6", {"CAF:P2", "CAF:P1"}),
                                 decision("CAF:H10", {"CAF:P1", "CAF:P2"}), decision("CAF:H11", {"CAF:P2", "CAF:P7"}),
                                 decision("CAF:H12", {"CAF:P1", "CAF:P8"})},
                                {grant("CAF:H3"), grant("CAF:H6"), grant("CAF:H10"), grant("CAF:H11"),
                                 action("CAF:H12", "E-CAF:H12")})
                  .ok());
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 5u);
  // CAF:H11's request and CAF:H12's email were interrupted while being
  // sent, and may have arrived; the request is to be sent again.
  for (const auto& sent : claimed)
    ASSERT_TRUE((sent.key.subject == "CAF:H11" || sent.key.subject == "CAF:H12"
                     ? store->mark_unknown(sent.key, "interrupted")
                     : store->mark_delivered(sent.key, now_ms()))
                    .ok());
  ASSERT_EQ(store->settle_held(run.run_id, false, now_ms(), {"G-CAF:H11"}).value(), 1);
  // The paying body rejected CAF:H10's: there is nothing to withdraw.
  ASSERT_TRUE(store->record_receipt("G-CAF:H10", "rejected: already covered", now_ms()).value());
  // The notices of CAF:H3's request, which went, and of CAF:H11's, which
  // may have, still go.
  PlannedAction notice = action("CAF:H3", "N-CAF:H3");
  notice.key.action = "grant_notice";
  PlannedAction notice_in_doubt = action("CAF:H11", "N-CAF:H11");
  notice_in_doubt.key.action = "grant_notice";
  StoredDecision before = decision("CAF:H1", {"CAF:P1", "CAF:P2", "CAF:P3"});
  before.period = "2025-05";  // the foyer is the latest decision's
  StoredDecision once = decision("CAF:H9", {"CAF:P1", "CAF:P2"});
  once.period = "2025-05";  // CAF:H9 is no longer theirs
  ASSERT_TRUE(store->store_plan({before, once, decision("CAF:H9", {"CAF:X1"}), decision("CAF:H1", {"CAF:P1", "CAF:P2"}), decision("CAF:H2", {"CAF:P1", "CAF:P2"}),
                                 decision("CAF:H8", {"CAF:P1", "CAF:P2", "CAF:P3"}), decision("CAF:H4", {"CAF:P5"}),
                                 decision("CAF:H5", {"CAF:P5", "CAF:P6"})},
                                {grant("CAF:H2"), grant("CAF:H8"), grant("CAF:H4"), grant("CAF:H5"), grant("CAF:H9"), notice,
                                 notice_in_doubt})
                  .ok());
  std::vector<std::string> refused;
  RefusalOf refusal_of = [&](const TransmittedGrant& g) {
    refused.push_back(g.code);
    return PlannedAction{{g.key.program, g.key.subject, g.key.period, "refusal"}, "transmission", g.run_id, "", "{}",
                         "R-" + g.code};
  };
  auto r = store->object("CAF:H1", "c2s", "courrier", now_ms(), refusal_of).value();
  EXPECT_EQ(r.actions_cancelled, 3);  // CAF:H2's request, CAF:H8's, and CAF:H12's email held
  EXPECT_EQ(refused, (std::vector<std::string>{"G-CAF:H6"}));
  EXPECT_EQ(r.decisions_deleted, 5);  // CAF:H1's two, CAF:H2's, CAF:H6's, CAF:H10's
  for (const char* who : {"CAF:P1", "CAF:P2"}) EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  EXPECT_FALSE(store->has_objected("CAF:P3", "c2s").value());  // no longer of the foyer
  // Refused by an event under a number nothing was decided on, naming its
  // foyer: CAF:H4 is that foyer, CAF:H5 shares a person with it.
  r = store->object("CAF:H7", "c2s", "événement", now_ms(), refusal_of, {"CAF:P5"}).value();
  EXPECT_EQ(r.actions_cancelled, 2);
  EXPECT_EQ(r.decisions_deleted, 1);
  EXPECT_EQ(refused.size(), 1u);
  EXPECT_TRUE(store->has_objected("CAF:P5", "c2s").value());
  std::map<std::string, std::string> states;
  auto outbox = store->db().run("SELECT verification_code, state FROM outbox");
  for (auto& row : outbox->rows) states[*as_text(row[0])] = *as_text(row[1]);
  EXPECT_EQ(states, (std::map<std::string, std::string>{{"G-CAF:H2", "cancelled"},
                                                          {"G-CAF:H3", "delivered"},
                                                          {"N-CAF:H3", "pending"},
                                                          {"G-CAF:H10", "delivered"},
                                                          {"G-CAF:H11", "retry"},
                                                          {"N-CAF:H11", "pending"},
                                                          {"E-CAF:H12", "cancelled"},
                                                          {"G-CAF:H6", "delivered"},
                                                          {"R-G-CAF:H6", "pending"},
                                                          {"G-CAF:H8", "cancelled"},
                                                          {"G-CAF:H4", "cancelled"},
                                                          {"G-CAF:H5", "cancelled"},
                                                          {"G-CAF:H9", "pending"}}));
  auto left = store->db().run("SELECT subject FROM decisions ORDER BY subject");
  std::vector<std::string> subjects;
  for (auto& row : left->rows) subjects.push_back(*as_text(row[0]));
  EXPECT_EQ(subjects, (std::vector<std::string>{"CAF:H11", "CAF:H12", "CAF:H3", "CAF:H5", "CAF:H8", "CAF:H9", "CAF:H9"}));
}

// The CAF numbers a family anew, household and persons: their NIRs stay,
// and so does their objection. Decisions keep each person's keyed NIR; an
// objection is recorded for the keys, and reaches the persons under their
// other ids: the same foyer (CAF:H9) is withdrawn as the objector's own, a
// household sharing one of them (CAF:H5) has what waits cancelled and
// keeps its decision. A later objection to all follows the keys after the
// first deleted the decisions; a person's own objection follows their key.
TEST_P(StoreTest, AnObjectionFollowsThePersonsNIRsUnderOtherNumbers) {
  auto keyed = [&](const std::string& subject, std::vector<std::string> persons, std::vector<std::string> keys) {
    StoredDecision d = decision(subject, std::move(persons));
    d.person_keys = std::move(keys);
    return d;
  };
  auto grant = [&](const std::string& subject) {
    return PlannedAction{{"c2s", subject, "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G-" + subject};
  };
  ASSERT_TRUE(store->store_plan({keyed("CAF:H1", {"CAF:P1", "CAF:P2"}, {"CAF:P1=NIR:aa", "CAF:P2=NIR:bb"}),
                                 keyed("CAF:H9", {"CAF:Q1", "CAF:Q2"}, {"CAF:Q1=NIR:aa", "CAF:Q2=NIR:bb"})},
                                {grant("CAF:H9")})
                  .ok());
  const auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(store->mark_delivered(claimed[0].key, now_ms()).ok());
  ASSERT_TRUE(store->store_plan({keyed("CAF:H5", {"CAF:Q3", "CAF:R1"}, {"CAF:Q3=NIR:aa"}),
                                 keyed("CAF:H20", {"CAF:P7"}, {"CAF:P7=NIR:cc"}),
                                 keyed("CAF:H21", {"CAF:Z7"}, {"CAF:Z7=NIR:cc"})},
                                {grant("CAF:H5")})
                  .ok());
  std::vector<std::string> refused;
  RefusalOf refusal_of = [&](const TransmittedGrant& g) {
    refused.push_back(g.code);
    return PlannedAction{{g.key.program, g.key.subject, g.key.period, "refusal"}, "transmission", g.run_id, "", "{}",
                         "R-" + g.code};
  };
  auto r = store->object("CAF:H1", "c2s", "courrier", now_ms(), refusal_of).value();
  EXPECT_EQ(refused, (std::vector<std::string>{"G-CAF:H9"}));  // the same persons: their request withdrawn
  EXPECT_EQ(r.actions_cancelled, 1);                          // CAF:H5's request, not sent
  EXPECT_EQ(r.decisions_deleted, 2);                          // CAF:H1's and CAF:H9's
  for (const char* who : {"NIR:aa", "NIR:bb", "CAF:Q1", "CAF:Q2", "CAF:Q3"})
    EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  EXPECT_FALSE(store->has_objected("CAF:R1", "c2s").value());
  EXPECT_EQ(store->db().run("SELECT 1 FROM decisions WHERE subject = 'CAF:H5'").value().rows.size(), 1u);
  ASSERT_TRUE(store->object("CAF:H1", "*", "courrier", now_ms(), refusal_of).ok());
  for (const char* who : {"NIR:aa", "NIR:bb"}) EXPECT_TRUE(store->has_objected(who, "rsa").value()) << who;
  ASSERT_TRUE(store->object("CAF:P7", "c2s", "courrier", now_ms(), refusal_of).ok());
  for (const char* who : {"NIR:cc", "CAF:Z7"}) EXPECT_TRUE(store->has_objected(who, "c2s").value()) << who;
  // An event's refusal names its foyer's keys, nothing decided on yet.
  ASSERT_TRUE(store->object("CAF:H30", "c2s", "événement", now_ms(), refusal_of, {"CAF:S1"}, {"CAF:S1=NIR:dd"}).ok());
  EXPECT_TRUE(store->has_objected("NIR:dd", "c2s").value());
}

// A store's secret is drawn once and kept.
TEST_P(StoreTest, AStoresSecretIsDrawnOnceAndKept) {
  const std::string first = store->secret("person_key").value();
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(store->secret("person_key").value(), first);
  auto again = Store::open(url);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->secret("person_key").value(), first);
  EXPECT_NE(store->secret("another").value(), first);
}

// Channels paused by the circuit breaker are not claimed.
TEST_P(StoreTest, PausedChannelsAreNotClaimed) {
  PlannedAction letter = action("H2", "C2");
  letter.channel = "letter";
  ASSERT_TRUE(store->store_plan({}, {action("H1", "C1"), letter}).ok());
  auto claimed = store->claim_due(10, now_ms(), "", {"email"}).value();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].channel, "letter");
}

TEST_P(StoreTest, VerifySaysWhoAndWhenNothingElse) {
  ASSERT_TRUE(store->store_plan({}, {action("H1", "K7M2-Q9XD")}).ok());
  auto v = store->verify("K7M2-Q9XD").value();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->program, "c2s");
  EXPECT_EQ(v->campaign, "c2s-isere");
  EXPECT_EQ(v->sender, "CPAM de l'Isère");
  EXPECT_EQ(v->state, "pending");
  EXPECT_FALSE(store->verify("K7M2-Q9XE").value().has_value());
}

TEST_P(StoreTest, AnObjectionDeletesTheDataCancelsWhatWasNotSentAndIsKept) {
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1", "P2"}), decision("H2", {"P3"})},
                                 {action("H1", "C1"), action("H2", "C2")}).ok());
  // P2 (a member of H1) objects to every program.
  auto r = store->object("P2", "*", "courrier du 2025-07-01", now_ms(), {}).value();
  EXPECT_EQ(r.decisions_deleted, 1);
  EXPECT_EQ(r.actions_cancelled, 1);
  EXPECT_TRUE(store->has_objected("P2", "c2s").value());
  EXPECT_TRUE(store->objectors("rsa").value().count("P2"));
  EXPECT_FALSE(store->has_objected("P3", "c2s").value());
  auto left = store->db().run("SELECT subject FROM decisions");
  ASSERT_EQ(left->rows.size(), 1u);
  EXPECT_EQ(*as_text(left->rows[0][0]), "H2");
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].key.subject, "H2");
  // Objecting again changes nothing and is not an error.
  EXPECT_EQ(store->object("P2", "*", "again", now_ms(), {}).value().decisions_deleted, 0);
}

// Deleted at once means out of the file: SQLite keeps a deleted row's
// bytes in its file until the write-ahead log is written back (a DPO's
// finding, 2026-12-07: an objection's rows stayed readable there until the
// next purge).
TEST_P(StoreTest, AnObjectionsDeletionsLeaveNothingInTheFile) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "PostgreSQL frees deleted rows at its VACUUM (operations.md)";
  StoredDecision d = decision("H1", {"P1"});
  d.decision_json = R"({"marqueur":"Mme-Objectrice-7391"})";
  ASSERT_TRUE(store->store_plan({d}, {action("H1", "C1")}).ok());
  auto in_files = [&] {
    size_t found = 0;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream file(url.substr(7) + suffix, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      found += bytes.find("Mme-Objectrice-7391") != std::string::npos;
    }
    return found;
  };
  ASSERT_GT(in_files(), 0u);
  ASSERT_EQ(store->object("H1", "*", "courrier", now_ms(), {}).value().decisions_deleted, 1);
  EXPECT_EQ(in_files(), 0u);
}

// A request replaces the notice of another run telling the person to claim
// it themselves: cancelled while not sent, and sent after all if the
// request's run is withdrawn (a reviewer: the person was told nothing);
// an objection empties it as any other.
TEST_P(StoreTest, ARequestReplacesANoticeNotSentUnlessItsRunIsWithdrawn) {
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"})}, {action("H1", "N1"), action("H2", "N2")}).ok());
  CampaignRun later{"c2s-batch:2025-06", "c2s-batch", "2025-06", "2025-06-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(later).value());
  std::vector<PlannedAction> requests;
  for (const char* subject : {"H1", "H2"}) {
    PlannedAction grant = action(subject, std::string("G") + subject);
    grant.key.action = "grant";
    grant.channel = "transmission";
    grant.run_id = later.run_id;
    grant.replaces = {"notify", "notify_possible"};
    requests.push_back(grant);
  }
  ASSERT_TRUE(store->store_plan({}, requests).ok());
  ASSERT_TRUE(store->finish_planning(later.run_id).ok());
  auto states = [&] {
    std::vector<std::string> out;
    auto rows = store->db().run("SELECT subject || ' ' || action || ' ' || state FROM outbox ORDER BY subject, action");
    for (auto& row : rows->rows) out.push_back(*as_text(row[0]));
    return out;
  };
  EXPECT_EQ(states(), (std::vector<std::string>{"H1 grant pending", "H1 notify cancelled", "H2 grant pending",
                                                "H2 notify cancelled"}));
  EXPECT_EQ(store->object("H2", "*", "courrier", now_ms(), {}).value().actions_cancelled, 1);  // its request
  EXPECT_EQ(as_int(store->db().run("SELECT COUNT(*) FROM outbox WHERE subject = 'H2' AND message <> ''")->rows.at(0).at(0)), 0);
  // H1's as a store written before the request's subject was named says it.
  ASSERT_TRUE(store->db().run("UPDATE outbox SET last_error = 'replaced by a request of run c2s-batch:2025-06' WHERE "
                              "subject = 'H1' AND action = 'notify'").ok());
  auto w = store->withdraw_unsent(later.run_id, "agent");
  ASSERT_TRUE(w.ok()) << w.error().message;
  // H2's request, cancelled by its objection, is kept as the trace of it.
  EXPECT_EQ(states(), (std::vector<std::string>{"H1 notify pending", "H2 grant cancelled", "H2 notify cancelled"}));
}

// The CAF renumbered the case between the notice and the request: the
// request replaces the notice of the same foyer under its former number.
TEST_P(StoreTest, ARequestReplacesTheNoticeOfItsFoyerUnderAFormerNumber) {
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"})}, {action("H1", "N1"), action("H2", "N2")}).ok());
  CampaignRun later{"c2s-batch:2025-06", "c2s-batch", "2025-06", "2025-06-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(later).value());
  std::vector<PlannedAction> grants;
  for (auto [subject, former] : {std::pair{"H9", "H1"}, std::pair{"H8", "H2"}}) {
    PlannedAction grant = action(subject, std::string("G") + subject);
    grant.key.action = "grant";
    grant.channel = "transmission";
    grant.run_id = later.run_id;
    grant.replaces = {"notify", "notify_possible"};
    grant.replaces_under = {former};
    grants.push_back(grant);
  }
  ASSERT_TRUE(store->store_plan({decision("H9", {"P1"}), decision("H8", {"P2"})}, grants).ok());
  ASSERT_TRUE(store->finish_planning(later.run_id).ok());
  // H8's request went: withdrawing the rest of the run does not send H2 the
  // notice telling them to claim what was claimed for them.
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'delivered', attempts = 1 WHERE verification_code = 'GH8'").ok());
  auto states = [&] {
    std::vector<std::string> out;
    auto rows = store->db().run("SELECT subject || ' ' || action || ' ' || state FROM outbox ORDER BY subject, action");
    for (auto& row : rows->rows) out.push_back(*as_text(row[0]));
    return out;
  };
  EXPECT_EQ(states(), (std::vector<std::string>{"H1 notify cancelled", "H2 notify cancelled", "H8 grant delivered",
                                                "H9 grant pending"}));
  ASSERT_TRUE(store->withdraw_unsent(later.run_id, "agent").ok());
  EXPECT_EQ(states(), (std::vector<std::string>{"H1 notify pending", "H2 notify cancelled", "H8 grant delivered"}));
}

// What a message told of its sources is kept once it is sent, its address
// and text emptied; an objection empties it with the rest.
TEST_P(StoreTest, WhatAMessageToldOfItsSourcesStaysOnceSentUntilAnObjection) {
  PlannedAction told = action("H1", "T1");
  told.told = R"j({"data": [{"label": "Votre adresse postale", "source": "DGFiP (revenus, 15/06/2025)"}], "accepted_on": null})j";
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"})}, {told}).ok());
  const int64_t t = now_ms();
  auto claimed = store->claim_due(10, t).value();
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(store->mark_delivered(claimed[0].key, t, "").ok());
  auto kept = store->db().run("SELECT told, message, recipient FROM outbox WHERE subject = 'H1'");
  ASSERT_EQ(kept->rows.size(), 1u);
  EXPECT_EQ(*as_text(kept->rows[0][0]), told.told);
  EXPECT_EQ(*as_text(kept->rows[0][1]), "");
  EXPECT_EQ(*as_text(kept->rows[0][2]), "");
  EXPECT_EQ(store->actions_of(decision("H1", {"P1"})).value().at(0).told, told.told);
  EXPECT_EQ(store->object("H1", "*", "courrier", t, {}).value().delivered_traces_emptied, 1);
  auto emptied = store->db().run("SELECT told FROM outbox WHERE subject = 'H1'");
  EXPECT_EQ(*as_text(emptied->rows[0][0]), "");
}

// A letter's PDF rests in the letters folder: an objection names those of
// the letters that told the household of nothing else, to be deleted, and
// forgets them; a letter telling of another right too stays, until that
// one is objected to as well.
TEST_P(StoreTest, AnObjectionNamesTheLettersThatToldOfNothingElse) {
  PlannedAction alone = action("H1", "L1");
  alone.channel = "letter";
  auto [notice, fare] = notice_and_fare("H2", "L2", "F2");
  notice.key.action = "notify";
  for (PlannedAction* a : {&notice, &fare}) {
    a->channel = "letter";
    a->envelope = run.run_id + "|H2|letter";
  }
  StoredDecision fare_decision = decision("H2", {"P2"});
  fare_decision.program = fare.key.program;
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"}), fare_decision}, {alone, notice, fare}).ok());
  const int64_t t = now_ms();
  auto claimed = store->claim_due(10, t).value();
  ASSERT_EQ(claimed.size(), 3u);
  for (const auto& e : claimed) ASSERT_TRUE(store->mark_delivered(e.key, t, "/letters/" + e.reference + ".pdf").ok());
  const std::string h2_letter = "/letters/" + claimed[1].reference + ".pdf";

  EXPECT_EQ(store->object("H1", "c2s", "courrier", t, {}).value().letter_files,
            std::vector<std::string>{"/letters/L1.pdf"});
  // Named again while it is not deleted (a letter left by a process that may
  // not delete it), forgotten once it is.
  EXPECT_EQ(store->object("H1", "c2s", "again", t, {}).value().letter_files,
            std::vector<std::string>{"/letters/L1.pdf"});
  ASSERT_TRUE(store->forget_letters({"/letters/L1.pdf"}).ok());
  EXPECT_TRUE(store->object("H1", "c2s", "once more", t, {}).value().letter_files.empty());
  EXPECT_TRUE(store->object("H2", "c2s", "courrier", t, {}).value().letter_files.empty());  // it told of the fare too
  EXPECT_EQ(store->object("H2", "m-reso-solidaire", "courrier", t, {}).value().letter_files,
            std::vector<std::string>{h2_letter});
}

TEST_P(StoreTest, AnObjectionReachesOnlyItsPerson) {
  // '_' is a wildcard in LIKE: P_1 must not be taken for PX1.
  ASSERT_TRUE(store->store_plan({decision("H1", {"PX1"}), decision("H2", {"P_1"})}, {action("H1", "C1"), action("H2", "C2")}).ok());
  auto r = store->object("P_1", "*", "courrier", now_ms(), {}).value();
  EXPECT_EQ(r.decisions_deleted, 1);
  EXPECT_EQ(r.actions_cancelled, 1);
  EXPECT_EQ(store->decisions_about("PX1", "").value().size(), 1u);
  EXPECT_TRUE(store->decisions_about("P_1", "").value().empty());
}

TEST_P(StoreTest, AnObjectionToOneProgramLeavesTheOthers) {
  StoredDecision rsa = decision("H1", {"P1"});
  rsa.program = "rsa";
  PlannedAction rsa_action = action("H1", "C2");
  rsa_action.key.program = "rsa";
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), rsa}, {action("H1", "C1"), rsa_action}).ok());
  ASSERT_TRUE(store->object("H1", "c2s", "test", now_ms(), {}).ok());
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].key.program, "rsa");
}

// A request already transmitted is followed by the person's refusal, queued
// in the objection's transaction and once; objecting again neither queues
// another nor cancels it; a request not yet sent is cancelled, not refused.
TEST_P(StoreTest, AnObjectionAfterATransmittedRequestQueuesItsRefusalOnce) {
  PlannedAction grant{{"c2s", "H1", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{\"request\": \"G1\"}", "G1"};
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"})}, {grant}).ok());
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(store->mark_delivered(claimed[0].key, now_ms()).ok());
  PlannedAction unsent = grant;
  unsent.key.subject = "H2";
  unsent.verification_code = "G2";
  ASSERT_TRUE(store->store_plan({decision("H2", {"P2"})}, {unsent}).ok());
  std::vector<TransmittedGrant> asked;
  RefusalOf refusal_of = [&](const TransmittedGrant& g) {
    asked.push_back(g);
    return PlannedAction{{g.key.program, g.key.subject, g.key.period, "refusal"}, "transmission", g.run_id, "",
                         "{\"withdraws\": \"" + g.code + "\"}", "R-" + g.code};
  };

  auto r = store->object("P1", "c2s", "page d'opposition", now_ms(), refusal_of).value();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].key.subject, "H1");
  EXPECT_EQ(asked[0].key.period, "2025-06");
  EXPECT_EQ(asked[0].code, "G1");
  EXPECT_EQ(asked[0].run_id, run.run_id);
  EXPECT_EQ(asked[0].sender, "CPAM de l'Isère");
  ASSERT_EQ(r.transmitted.size(), 1u);
  EXPECT_EQ(r.transmitted[0].code, "G1");
  EXPECT_EQ(r.actions_cancelled, 0);

  // A later decision for the household, then an objection to everything: the
  // refusal is found queued, not made again, and stays due.
  StoredDecision later = decision("H1", {"P1"});
  later.period = "2025-07";
  ASSERT_TRUE(store->store_plan({later}, {}).ok());
  r = store->object("H1", "*", "courrier", now_ms(), refusal_of).value();
  EXPECT_EQ(asked.size(), 1u);
  EXPECT_EQ(r.transmitted.size(), 1u);
  auto due = store->db().run("SELECT action, state, message FROM outbox WHERE subject = 'H1' AND action = 'refusal'");
  ASSERT_EQ(due->rows.size(), 1u);
  EXPECT_EQ(*as_text(due->rows[0][1]), "pending");
  EXPECT_EQ(*as_text(due->rows[0][2]), "{\"withdraws\": \"G1\"}");

  // H2's request had not left: it is cancelled, and nothing is refused.
  r = store->object("P2", "c2s", "courrier", now_ms(), refusal_of).value();
  EXPECT_EQ(asked.size(), 1u);
  EXPECT_TRUE(r.transmitted.empty());
  EXPECT_EQ(r.actions_cancelled, 1);
  claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].verification_code, "R-G1");
}

// A request whose sending was interrupted may have reached the paying body:
// an objection cancels it and withdraws it there too, whether it is held for
// the operator, was put back to be sent again, or expired since, or whose
// sending timed out and waits to be tried again.
TEST_P(StoreTest, AnObjectionWithdrawsARequestThatMayHaveArrived) {
  PlannedAction held{{"c2s", "H1", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G1"};
  PlannedAction again = held, expired = held;
  again.key.subject = "H2";
  again.verification_code = "G2";
  expired.key.subject = "H3";
  expired.verification_code = "G3";
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"}), decision("H3", {"P3"})},
                                {held, again, expired})
                  .ok());
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 3u);
  for (const auto& c : claimed) ASSERT_TRUE(store->mark_unknown(c.key, "interrupted").ok());
  ASSERT_EQ(store->settle_held(run.run_id, false, now_ms(), {"G2", "G3"}).value(), 2);  // to be sent again
  // As the retention leaves a request unsent for long (purge).
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'expired' WHERE verification_code = 'G3'").ok());
  std::vector<std::string> withdrawn;
  RefusalOf refusal_of = [&](const TransmittedGrant& g) {
    withdrawn.push_back(g.code);
    return PlannedAction{{g.key.program, g.key.subject, g.key.period, "refusal"}, "transmission", g.run_id, "", "{}",
                         "R-" + g.code};
  };
  for (const char* household : {"H1", "H2", "H3"}) {
    auto r = store->object(household, "c2s", "courrier", now_ms(), refusal_of).value();
    EXPECT_EQ(r.actions_cancelled, household == std::string("H3") ? 0 : 1) << household;
    EXPECT_EQ(r.transmitted.size(), 1u) << household;
  }
  EXPECT_EQ(withdrawn, (std::vector<std::string>{"G1", "G2", "G3"}));

  // A request whose sending timed out after it went, waiting to be sent
  // again (an HTTP transmission carries its Idempotency-Key): it may have
  // arrived too; one refused by the receiver did not.
  PlannedAction timed_out = held, refused = held;
  timed_out.key.subject = "H4";
  timed_out.verification_code = "G4";
  refused.key.subject = "H5";
  refused.verification_code = "G5";
  ASSERT_TRUE(store->store_plan({decision("H4", {"P4"}), decision("H5", {"P5"})}, {timed_out, refused}).ok());
  claimed = store->claim_due(10, now_ms()).value();  // the refusals above too
  size_t requests = 0;
  for (const auto& c : claimed)
    if (c.key.action == "grant") {
      ++requests;
      ASSERT_TRUE(store->mark_failed(c.key, "timeout", now_ms() + 60000, false, c.verification_code == "G4").ok());
    }
  ASSERT_EQ(requests, 2u);
  for (const char* household : {"H4", "H5"}) {
    auto r = store->object(household, "c2s", "courrier", now_ms(), refusal_of).value();
    EXPECT_EQ(r.actions_cancelled, 1) << household;
    EXPECT_EQ(r.transmitted.size(), household == std::string("H4") ? 1u : 0u) << household;
  }
  EXPECT_EQ(withdrawn, (std::vector<std::string>{"G1", "G2", "G3", "G4"}));
}

// A request found by its household once its decisions are purged still gets
// its refusal; a refusal an objection cancelled before refusals were exempt
// is due again; and the refusal leaves with a later run of the campaign.
TEST_P(StoreTest, ARefusalFollowsARequestOfAnyRunOfItsCampaign) {
  PlannedAction grant{{"c2s", "H1", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G1"};
  PlannedAction other{{"c2s", "H2", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G2"};
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"})}, {grant, other}).ok());
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 2u);
  for (const auto& sent : claimed) ASSERT_TRUE(store->mark_delivered(sent.key, now_ms()).ok());
  // H1's decisions are gone (the purge); H2 has a refusal that an objection
  // of the earlier code cancelled.
  ASSERT_TRUE(store->db().run("DELETE FROM decisions WHERE subject = 'H1'").ok());
  PlannedAction old_refusal{{"c2s", "H2", "2025-06", "refusal"}, "transmission", run.run_id, "", "{}", "OLD"};
  ASSERT_TRUE(store->store_plan({}, {old_refusal}).ok());
  ASSERT_TRUE(store->db().run("UPDATE outbox SET state = 'cancelled', message = '' WHERE verification_code = 'OLD'").ok());
  RefusalOf refusal_of = [](const TransmittedGrant& g) {
    return PlannedAction{{g.key.program, g.key.subject, g.key.period, "refusal"}, "transmission", g.run_id, "",
                         "{\"withdraws\": \"" + g.code + "\"}", "R-" + g.code};
  };
  auto r = store->object("H1", "c2s", "courrier", now_ms(), refusal_of).value();
  ASSERT_EQ(r.transmitted.size(), 1u);
  EXPECT_EQ(r.transmitted[0].code, "G1");
  r = store->object("H2", "*", "courrier", now_ms(), refusal_of).value();
  ASSERT_EQ(r.transmitted.size(), 1u);

  // The campaign's next month delivers both refusals; another campaign's
  // run does not.
  CampaignRun july{"c2s-isere:2025-07", "c2s-isere", "2025-07", "2025-07-15", "h1", "CPAM de l'Isère"};
  ASSERT_FALSE(store->start_run(july).value());
  ASSERT_TRUE(store->finish_planning(july.run_id).ok());
  EXPECT_TRUE(store->claim_due(10, now_ms(), "other-campaign:2025-07").value().empty());
  claimed = store->claim_due(10, now_ms(), july.run_id).value();
  std::vector<std::string> codes;
  for (const auto& c : claimed) codes.push_back(c.verification_code + " " + c.message_json);
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"R-G1 {\"withdraws\": \"G1\"}", "R-G2 {\"withdraws\": \"G2\"}"}));
}

// An objection empties what was delivered to the household, the paying
// body's words on a request it rejected included (they may name the person).
TEST_P(StoreTest, AnObjectionEmptiesARejectionsWords) {
  PlannedAction grant{{"c2s", "H1", "2025-06", "grant"}, "transmission", run.run_id, "CPAM", "{}", "G1"};
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"})}, {grant}).ok());
  auto claimed = store->claim_due(10, now_ms()).value();
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(store->mark_delivered(claimed[0].key, now_ms()).ok());
  ASSERT_TRUE(store->record_receipt("G1", "rejected: NIR 285033818501259 inconnu pour MARTIN Lucie", now_ms()).value());
  ASSERT_TRUE(store->object("H1", "c2s", "courrier", now_ms(), {}).ok());
  auto receipt = store->db().run("SELECT receipt FROM outbox WHERE verification_code = 'G1'");
  ASSERT_TRUE(receipt.ok());
  EXPECT_EQ(std::get<std::string>(receipt->rows.at(0).at(0)), "rejected");
}

TEST_P(StoreTest, RetentionIsEnforcedByThePurge) {
  constexpr int64_t kDay = 86400000;
  ASSERT_TRUE(store->store_plan({decision("H1", {"P1"}), decision("H2", {"P2"}), decision("H3", {"P3"})},
                                {action("H1", "C1"), action("H2", "C2"), action("H3", "C3")}).ok());
  auto claimed = store->claim_due(1, now_ms()).value();
  ASSERT_TRUE(store->mark_delivered(claimed[0].key, now_ms()).ok());
  // A paying body's words on a rejected request may name the person.
  ASSERT_TRUE(store->db().run("UPDATE outbox SET channel = 'transmission' WHERE verification_code = 'C1'").ok());
  ASSERT_TRUE(store->record_receipt("C1", "rejected: NIR 285033818501259 inconnu pour MARTIN Lucie", now_ms()).value());
  ASSERT_TRUE(store->object("P9", "*", "courrier", now_ms(), {}).ok());
  // H3's notice is cancelled by its objection: emptied then, not "expired"
  // again by every purge.
  ASSERT_EQ(store->object("H3", "c2s", "courrier", now_ms(), {}).value().actions_cancelled, 1);
  auto count = [&](const char* sql) { return as_int(store->db().run(sql)->rows.at(0).at(0)); };

  // Within a year nothing goes.
  PurgeResult r = store->purge(now_ms() + 364 * kDay).value();
  EXPECT_EQ(r.decisions_deleted + r.actions_expired + r.traces_deleted + r.objections_deleted, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE receipt LIKE 'rejected: %'"), 1);
  // After a year: the data goes, the pending notice expires (never sent), the
  // delivered one keeps its trace; the objection stays.
  r = store->purge(now_ms() + 366 * kDay).value();
  EXPECT_EQ(r.decisions_deleted, 2);
  EXPECT_EQ(r.actions_expired, 1);
  EXPECT_EQ(store->purge(now_ms() + 367 * kDay).value().actions_expired, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'expired' AND recipient = '' AND message = ''"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE receipt = 'rejected'"), 1);  // the rejection, not its words
  EXPECT_TRUE(store->claim_due(10, now_ms() + 366 * kDay).value().empty());
  EXPECT_TRUE(store->has_objected("P9", "c2s").value());
  // After two years the objection's trace goes; after three, the exchange traces.
  r = store->purge(now_ms() + 731 * kDay).value();
  EXPECT_EQ(r.objections_deleted, 2);
  EXPECT_EQ(r.traces_deleted, 0);
  r = store->purge(now_ms() + 1096 * kDay).value();
  EXPECT_EQ(r.traces_deleted, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

// The persons kept for a household's later objections go with the
// decision that listed them, a year after it was taken, objected or not.
// An objection to one program reaches the persons of its foyer for that
// program, not those another program's deleted decision listed. A person
// known by them alone is known to an objection by their own identifier.
TEST_P(StoreTest, ThePersonsKeptForAHouseholdsObjectionsGoWithTheirDecision) {
  constexpr int64_t kDay = 86400000;
  StoredDecision rsa = decision("CAF:A1", {"CAF:P1"});
  rsa.program = "rsa";
  rsa.period = "2025-07";
  ASSERT_TRUE(store->store_plan({decision("CAF:A1", {"CAF:P1", "CAF:P2"}), decision("CAF:A2", {"CAF:P3", "CAF:P4"}), rsa},
                                {action("CAF:A1", "C1"), action("CAF:A2", "C2")})
                  .ok());
  ASSERT_TRUE(store->object("CAF:A1", "c2s", "courrier", now_ms(), {}).ok());
  ASSERT_TRUE(store->object("CAF:P3", "c2s", "courrier", now_ms(), {}).ok());
  auto kept = [&]() {
    std::vector<std::string> out;
    auto rows = store->db().run("SELECT foyer, program, person FROM objection_persons ORDER BY foyer, person");
    for (auto& r : rows->rows)
      out.push_back(std::get<std::string>(r[0]) + " " + std::get<std::string>(r[1]) + " " + std::get<std::string>(r[2]));
    return out;
  };
  EXPECT_EQ(kept(), (std::vector<std::string>{"CAF:A1 c2s CAF:P1", "CAF:A1 c2s CAF:P2", "CAF:A2 c2s CAF:P3",
                                              "CAF:A2 c2s CAF:P4"}));
  // An objection to the RSA alone reaches the RSA's foyer, not P2.
  ASSERT_TRUE(store->object("CAF:A1", "rsa", "courrier", now_ms(), {}).ok());
  EXPECT_FALSE(store->has_objected("CAF:P2", "rsa").value());
  EXPECT_TRUE(store->look_up_subject("CAF:P4").value().known);
  ASSERT_TRUE(store->purge(now_ms() + 364 * kDay).ok());
  EXPECT_EQ(kept().size(), 5u);
  ASSERT_TRUE(store->purge(now_ms() + 366 * kDay).ok());
  EXPECT_TRUE(kept().empty());
}

// An objection names a household or a person as the store does; what an
// agent types otherwise (the extract's number alone, another case) is
// matched to the stored identifiers it may stand for, not recorded.
TEST_P(StoreTest, ASubjectIsLookedUpAsTheStoreNamesIt) {
  ASSERT_TRUE(store->store_plan({decision("CAF:A00000048", {"CAF:P1", "CAF:P2"}), decision("CAF:A100", {"CAF:P100"})},
                                {action("CAF:A00000048", "C1")}).ok());
  for (const char* known : {"CAF:A00000048", "CAF:P2", "CAF:P100"})
    EXPECT_TRUE(store->look_up_subject(known).value().known) << known;
  // Case counts, on SQLite as on PostgreSQL; two persons are not one.
  for (const char* unknown : {"caf:p2", "Caf:A00000048", "CAF:P1,CAF:P2"})
    EXPECT_FALSE(store->look_up_subject(unknown).value().known) << unknown;
  EXPECT_EQ(store->look_up_subject("caf:p2").value().near, std::vector<std::string>{"CAF:P2"});
  EXPECT_TRUE(store->decisions_about("caf:p2", "").value().empty());
  auto raw = store->look_up_subject("a00000048").value();
  EXPECT_FALSE(raw.known);
  EXPECT_EQ(raw.near, std::vector<std::string>{"CAF:A00000048"});
  EXPECT_EQ(store->look_up_subject("p2").value().near, std::vector<std::string>{"CAF:P2"});
  // A part of an identifier is not it: "P1" is not "CAF:P100".
  EXPECT_EQ(store->look_up_subject("P1").value().near, std::vector<std::string>{"CAF:P1"});
  EXPECT_TRUE(store->look_up_subject("00048").value().near.empty());
  EXPECT_TRUE(store->look_up_subject("CAF:NOBODY").value().near.empty());
  EXPECT_TRUE(store->look_up_subject("%").value().near.empty());
  ASSERT_TRUE(store->object("CAF:LATER", "*", "courrier", now_ms(), {}).ok());
  EXPECT_TRUE(store->look_up_subject("CAF:LATER").value().known);
}

// A counter decision's reference stays the person's after its decision is
// deleted: the trace says when and why, for as long as a message's trace.
TEST_P(StoreTest, ACounterDecisionsReferenceOutlivesItsDecision) {
  constexpr int64_t kDay = 86400000;
  const CampaignRun counter{"instant:c2s:2025-06-15", "instant:c2s", "2025-06-15", "2025-06-15", "instant decisions", "CPAM"};
  for (const char* reference : {"K7M2Q9XD4HRA", "M3N4P5Q6R7S8"}) {
    StoredDecision d = decision(reference, {"p1"});
    d.run_id = counter.run_id;
    ASSERT_TRUE(store->record_instant_decision(counter, d, {}).ok());
  }
  auto kept = store->counter_reference("K7M2Q9XD4HRA").value();
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->program, "c2s");
  EXPECT_EQ(kept->deleted_at, 0);
  EXPECT_FALSE(store->counter_reference("AAAABBBBCCCC").value().has_value());

  const int64_t objected_at = now_ms();
  EXPECT_EQ(store->object("K7M2Q9XD4HRA", "c2s", "page d'opposition", objected_at, {}).value().decisions_deleted, 1);
  auto objected = store->counter_reference("K7M2Q9XD4HRA").value();
  ASSERT_TRUE(objected.has_value());
  EXPECT_EQ(objected->deleted_at, objected_at);
  EXPECT_EQ(objected->deletion, "objection");
  // A second objection does not move the day it was deleted.
  ASSERT_TRUE(store->object("K7M2Q9XD4HRA", "*", "page d'opposition", objected_at + kDay, {}).ok());
  EXPECT_EQ(store->counter_reference("K7M2Q9XD4HRA").value()->deleted_at, objected_at);

  // The other decision goes with the retention of data; its trace stays
  // until the traces' own term.
  const int64_t later = now_ms() + 366 * kDay;
  EXPECT_EQ(store->purge(later).value().decisions_deleted, 1);
  auto retained = store->counter_reference("M3N4P5Q6R7S8").value();
  ASSERT_TRUE(retained.has_value());
  EXPECT_EQ(retained->deletion, "retention");
  EXPECT_EQ(retained->deleted_at, later);
  EXPECT_EQ(store->counter_reference("K7M2Q9XD4HRA").value()->deletion, "objection");
  ASSERT_TRUE(store->purge(now_ms() + 1096 * kDay).ok());
  EXPECT_FALSE(store->counter_reference("M3N4P5Q6R7S8").value().has_value());
  EXPECT_FALSE(store->counter_reference("K7M2Q9XD4HRA").value().has_value());
}

// SQLite: one delivering process at a time. PostgreSQL: several, and one
// starting takes as interrupted only the rows of processes that are gone.
TEST_P(StoreTest, DeliveringProcessesAndTheRowsTheyLeave) {
  ASSERT_TRUE(store->lock_delivery("A").value());
  auto other = Store::open(url);
  ASSERT_TRUE(other.ok()) << other.error().message;
  if (GetParam() == "sqlite") {
    EXPECT_FALSE((*other)->lock_delivery("B").value());
    store.reset();  // the holder goes (or dies): the lock is free
    EXPECT_TRUE((*other)->lock_delivery("B").value());
    store = std::move(*other);
    return;
  }
  ASSERT_TRUE((*other)->lock_delivery("B").value());
  // A delivers over a second connection too (a worker's).
  auto worker = Store::open(url);
  ASSERT_TRUE(worker.ok()) << worker.error().message;
  ASSERT_TRUE((*worker)->join_delivery("A").ok());
  ASSERT_TRUE(store->store_plan({}, {action("H1", "C1"), action("H2", "C2"), action("H3", "C3")}).ok());
  const int64_t t = now_ms();
  ASSERT_EQ((*worker)->claim_due(2, t, "", {}, "A").value().size(), 2u);
  ASSERT_EQ((*other)->claim_due(10, t, "", {}, "B").value().size(), 1u);
  EXPECT_EQ((*other)->recover_interrupted("B").value(), 0);  // A lives: its rows are its own
  EXPECT_EQ(store->recover_interrupted("A").value(), 0);        // and B's are B's
  store.reset();  // A's first connection is lost; its worker still delivers
  EXPECT_EQ((*other)->recover_interrupted("B").value(), 0);
  worker->reset();  // A is gone: the database releases its lock, soon after
  int64_t recovered = 0;
  for (int i = 0; i < 50 && recovered == 0; ++i) {
    recovered = (*other)->recover_interrupted("B").value();
    if (!recovered) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(recovered, 2);
  EXPECT_EQ((*other)->claim_due(10, t, "", {}, "B").value().size(), 2u);
  store = std::move(*other);
}

INSTANTIATE_TEST_SUITE_P(Databases, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace proactif
