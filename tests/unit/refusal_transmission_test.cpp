// A refusal after a request went (CASF R262-106 II): it names the request it
// withdraws by the code the paying body received, for the same household,
// program and run, with the choice and its date.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "campaign/campaign_run.hpp"
#include "campaign/refusal_transmission.hpp"
#include "store/store.hpp"

namespace proactif {

TEST(RefusalTransmission, NamesTheRequestItWithdrawsAndTheChoice) {
  const TransmittedGrant grant{{"c2s", "CAF:H\"1", "2025-06", "grant"}, "c2s-rsa:2025-06:abc", "K7M2-Q9XD-4HRA",
                               "CAF de l'Isère"};
  PlannedAction refusal = refusal_transmission(grant, "2025-07-03", "objection");
  EXPECT_EQ(refusal.key.program, "c2s");
  EXPECT_EQ(refusal.key.subject, "CAF:H\"1");
  EXPECT_EQ(refusal.key.period, "2025-06");
  EXPECT_EQ(refusal.key.action, "refusal");
  EXPECT_EQ(refusal.channel, "transmission");
  EXPECT_EQ(refusal.run_id, grant.run_id);
  EXPECT_NE(refusal.verification_code, grant.code);
  EXPECT_TRUE(refusal.envelope.empty());

  simdjson::dom::parser parser;
  simdjson::dom::element r = parser.parse(refusal.message_json);
  EXPECT_EQ(std::string_view(r["request"]), refusal.verification_code);
  EXPECT_EQ(std::string_view(r["withdraws"]), "K7M2-Q9XD-4HRA");
  EXPECT_EQ(std::string_view(r["program"]), "c2s");
  EXPECT_EQ(std::string_view(r["from"]), "CAF de l'Isère");
  EXPECT_EQ(std::string_view(r["household"]), "CAF:H\"1");
  EXPECT_TRUE(bool(r["choice"]["refused"]));
  EXPECT_EQ(std::string_view(r["choice"]["date"]), "2025-07-03");
  EXPECT_EQ(std::string_view(r["event"]), "objection");
  EXPECT_EQ(std::string_view(r["event_date"]), "2025-07-03");
}

// A run planned more than 31 days ago is not delivered without the
// operator's word, since its messages would tell what held then; a refusal
// left to transmit tells what the person said, and the notice of a request
// that went what was done, which hold whenever they go.
TEST(RefusalTransmission, IsNotHeldBackByItsRunsAge) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("proactif-refusal-age-" + std::to_string(::getpid()) + "-" + std::to_string(now_ms()) + ".db");
  {
    auto store = Store::open("sqlite:" + path.string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    const CampaignRun run{"c2s-rsa:2025-06", "c2s-rsa", "2025-06", "2025-06-15", "h", "CAF de l'Isère"};
    ASSERT_FALSE((*store)->start_run(run).value());
    PlannedAction refusal{{"c2s", "CAF:H1", "2025-06", "refusal"}, "transmission", run.run_id, "https://cpam.example/api",
                          "{}", "K7M2-Q9XD-4HRA"};
    ASSERT_TRUE((*store)->store_plan({}, {refusal}).ok());
    ASSERT_TRUE((*store)->finish_planning(run.run_id).ok());
    ASSERT_TRUE((*store)->db().run("UPDATE campaign_runs SET planned_at = planned_at - 40 * 86400000").ok());
    const Operator by{"agent", "", {}, {}};
    EXPECT_TRUE(check_left_to_send(**store, by, "c2s-rsa.yaml", run.run_id, false).ok());
    // Nor is the notice of a request that went: the person is to be told of it.
    PlannedAction grant{{"c2s", "CAF:H3", "2025-06", "grant"}, "transmission", run.run_id, "https://cpam.example/api",
                        "{}", "B7M2-Q9XD-4HRC"};
    PlannedAction grant_notice{{"c2s", "CAF:H3", "2025-06", "grant_notice"}, "letter", run.run_id, "postal", "{}",
                               "C7M2-Q9XD-4HRD"};
    ASSERT_TRUE((*store)->store_plan({}, {grant, grant_notice}).ok());
    ASSERT_TRUE((*store)->db().run("UPDATE outbox SET state = 'delivered', attempts = 1 WHERE action = 'grant'").ok());
    EXPECT_TRUE(check_left_to_send(**store, by, "c2s-rsa.yaml", run.run_id, false).ok());
    PlannedAction notice{{"c2s", "CAF:H2", "2025-06", "notify"}, "email", run.run_id, "h2@example.fr", "{}", "A7M2-Q9XD-4HRB"};
    ASSERT_TRUE((*store)->store_plan({}, {notice}).ok());
    auto held = check_left_to_send(**store, by, "c2s-rsa.yaml", run.run_id, false);
    ASSERT_FALSE(held.ok());
    EXPECT_NE(held.error().message.find("more than 31 days before today"), std::string::npos);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace proactif
