// A refusal after a request went (CASF R262-106 II): it names the request it
// withdraws by the code the paying body received, for the same household,
// program and run, with the choice, its date and who declined.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "campaign/refusal_transmission.hpp"

namespace proactif {

TEST(RefusalTransmission, NamesTheRequestItWithdrawsAndTheChoice) {
  const TransmittedGrant grant{{"c2s", "CAF:H\"1", "2025-06", "grant"}, "c2s-rsa:2025-06:abc", "K7M2-Q9XD-4HRA",
                               "CAF de l'Isère", {"CAF:P2"}};
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
  // Who declined: one member, not the household's others.
  simdjson::dom::array by = r["choice"]["by"];
  ASSERT_EQ(by.size(), 1u);
  EXPECT_EQ(std::string_view(by.at(0)), "CAF:P2");
  EXPECT_EQ(std::string_view(r["event"]), "objection");
  EXPECT_EQ(std::string_view(r["event_date"]), "2025-07-03");
}

}  // namespace proactif
