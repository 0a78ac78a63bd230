#include <gtest/gtest.h>

#include "ingest/situation_ids.hpp"
#include "sources/situation_reader.hpp"
#include "test_support.hpp"

namespace proactif {

namespace {

struct Reader {
  std::unique_ptr<testing::Compiled> c = testing::compile_text(testing::read_program("c2s"));
  SituationReader reader{c->schema, c->codes};
  Batch batch;
  Reader() { reader.reset(batch); }
  std::optional<std::string> read(const std::string& line) {
    std::string padded = line + std::string(simdjson::SIMDJSON_PADDING, ' ');
    Days date = 0;
    return reader.append(std::string_view(padded.data(), line.size()), padded.size(), batch, std::nullopt, date);
  }
};

const std::string kGood =
    R"({"id": "S1", "date": "2025-06-15", "household": {"commune": "2A004", "rsa": null, "nir_du_voisin": "1"},
        "persons": [{"id": "p1", "role": "applicant", "resources_12m": 100, "nir": "180017512345678"}]})";

}  // namespace

TEST(SituationReader, ReadsOnlyDeclaredInputsAndNullIsUnknown) {
  Reader r;
  ASSERT_EQ(r.read(kGood), std::nullopt);
  EXPECT_EQ(r.batch.households(), 1u);
  EXPECT_EQ(r.batch.inputs.size(), r.c->schema.slots.size());
  for (const auto& slot : r.c->schema.slots) EXPECT_NE(slot.name, "nir");  // never asked, never stored
  for (size_t s = 0; s < r.c->schema.slots.size(); ++s) {
    const auto& slot = r.c->schema.slots[s];
    if (slot.name == "rsa") {
      EXPECT_FALSE(is_known(r.batch.inputs[s].value[0]));  // null: unknown
    }
    if (slot.name == "commune") {
      EXPECT_TRUE(is_known(r.batch.inputs[s].value[0]));  // Ajaccio, Corsica's 2A
    }
  }
}

TEST(SituationReader, BadFieldsAreNamedAndLeaveTheBatchAsItWas) {
  Reader r;
  ASSERT_EQ(r.read(kGood), std::nullopt);
  struct Case {
    std::string line;
    std::string error;
  };
  std::vector<Case> cases = {
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "resources_12m": "abc"}]})",
       "persons.p1.resources_12m: expected a number or null"},
      {R"({"id": "S2", "date": "2025-02-30", "household": {}, "persons": [{"id": "p1"}]})",
       "date: \"2025-02-30\" is not a valid date"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {"housing": "castle"}, "persons": [{"id": "p1"}]})",
       "household.housing: \"castle\" is not one of tenant, owner, free, homeless"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {"commune": "38999"}, "persons": [{"id": "p1"}]})",
       "household.commune: \"38999\" is not a commune code of the INSEE COG"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {"rsa": "yes"}, "persons": [{"id": "p1"}]})",
       "household.rsa: expected true, false or null"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": []})", "persons: missing or empty"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"role": "child"}]})",
       "persons[0].id: expected a string"},
      {R"({"date": "2025-06-15", "household": {}, "persons": [{"id": "p1"}]})", "id: missing"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1"}, {"id": "p1"}]})",
       "persons: two persons have the id \"p1\""},
      {R"({"id": "S2", "household": {}, "persons": [{"id": "p1"}]})", "date: missing"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "birth_date": "1990-02-29"}]})",
       "persons.p1.birth_date: \"1990-02-29\" is not a valid date"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1"}])", "not valid JSON"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "minimum_benefits": ["rsa"]}]})",
       "persons.p1.minimum_benefits: \"rsa\" is not one of aspa, asi, aah, ass, cej"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "minimum_benefits": "aspa"}]})",
       "persons.p1.minimum_benefits: expected a list of codes"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "minimum_benefits": [1]}]})",
       "persons.p1.minimum_benefits: expected codes in quotes"},
      // A household the law cannot have: two applicants, two spouses, none
      // (every role known); an empty person id.
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "role": "applicant"}, {"id": "p2", "role": "applicant"}]})",
       "persons.p2.role: a second person with the role applicant (a household has one)"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "role": "applicant"}, {"id": "p2", "role": "spouse"}, {"id": "p3", "role": "spouse"}]})",
       "persons.p3.role: a second person with the role spouse"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "role": "spouse"}]})",
       "persons: no person has the role applicant"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "role": "child"}, {"id": "p2", "role": "other"}]})",
       "persons: no person has the role applicant"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "", "role": "applicant"}]})",
       "persons[0].id: empty"},
      {R"({"id": "", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1"}]})", "id: empty"},
      {R"({"id": "S2", "date": null, "household": {}, "persons": [{"id": "p1"}]})", "date: missing (or give --date)"},
      // Money to the cent, whatever its size: 13 957,004 € is not 13 957 €,
      // which a ceiling of 13 957 € would decide otherwise.
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "resources_12m": 13957.004}]})",
       "persons.p1.resources_12m: an amount of money has at most two decimals (cents)"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "resources_12m": 20000.009}]})",
       "persons.p1.resources_12m: an amount of money has at most two decimals (cents)"},
      {R"({"id": "S2", "date": "2025-06-15", "household": {"housing_benefit_monthly": 12345.678}, "persons": [{"id": "p1"}]})",
       "household.housing_benefit_monthly: an amount of money has at most two decimals (cents)"},
  };
  for (const auto& c : cases) {
    auto error = r.read(c.line);
    ASSERT_TRUE(error) << c.line;
    EXPECT_NE(error->find(c.error), std::string::npos) << *error;
    EXPECT_EQ(r.batch.households(), 1u);
    EXPECT_EQ(r.batch.persons(), 1u);
    for (size_t s = 0; s < r.batch.inputs.size(); ++s)
      EXPECT_EQ(r.batch.inputs[s].value.size(), 1u) << r.c->schema.slots[s].name;
  }
  ASSERT_EQ(r.read(kGood), std::nullopt);  // and reading goes on
  EXPECT_EQ(r.batch.households(), 2u);
  // Amounts to the cent, small and large, read as written.
  for (const char* amount : {"0.07", "9999.99", "13957", "20000.1", "123456789.12", "999999999.99"})
    EXPECT_EQ(r.read(std::string(R"({"id": "S9", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "resources_12m": )") +
                     amount + "}]}"),
              std::nullopt)
        << amount;
  // A role unknown may be the applicant's: not refused.
  EXPECT_EQ(r.read(R"({"id": "S3", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", "role": null}, {"id": "p2", "role": "spouse"}]})"),
            std::nullopt);
}

// A list of codes (CONTRACT.md v2, persons[].minimum_benefits): the set of
// codes it holds, in any order and repeated or not; an empty list is known
// (receives none of them), null is unknown.
TEST(SituationReader, AListOfCodesIsTheSetItHolds) {
  Reader r;
  const std::vector<std::string> lists = {R"(["aspa", "aah"])", R"(["aah", "aspa", "aah"])", R"(["aspa"])",
                                          R"(["aah"])", "[]", "null"};
  for (const auto& list : lists)
    ASSERT_EQ(r.read(R"({"id": "S", "date": "2025-06-15", "household": {}, "persons": [{"id": "p1", )"
                     R"("minimum_benefits": )" + list + "}]}"),
              std::nullopt)
        << list;
  size_t slot = 0;
  while (r.c->schema.slots[slot].name != "minimum_benefits") ++slot;
  const auto& v = r.batch.inputs[slot].value;
  EXPECT_EQ(v[0], v[1]);
  EXPECT_EQ(static_cast<uint64_t>(v[0]), static_cast<uint64_t>(v[2]) | static_cast<uint64_t>(v[3]));
  EXPECT_NE(v[2], v[3]);
  EXPECT_NE(v[2], 0);
  EXPECT_EQ(v[4], 0);
  EXPECT_FALSE(is_known(v[5]));
}

// Ids claimed across the table's growth (from 1 024 slots) stay found,
// each with the line that first gave it; ids that differ in one byte, or
// are prefixes of one another, are others.
TEST(SituationIds, EachIdClaimedOnceWithItsFirstLine) {
  SituationIds ids;
  for (size_t k = 0; k < 5000; ++k) EXPECT_EQ(ids.claim("S" + std::to_string(k), k + 1), std::nullopt) << k;
  for (size_t k = 0; k < 5000; k += 7) EXPECT_EQ(ids.claim("S" + std::to_string(k), 9000 + k), k + 1) << k;
  EXPECT_EQ(ids.claim("S", 10), std::nullopt);
  EXPECT_EQ(ids.claim("S10000", 11), std::nullopt);
  EXPECT_EQ(ids.claim("s1", 12), std::nullopt);
  EXPECT_EQ(ids.claim("S1", 13), 2u);
  EXPECT_EQ(ids.claim("S", 14), 10u);
  EXPECT_EQ(ids.claim(std::string("S1\0", 3), 15), std::nullopt);
}

}  // namespace proactif
