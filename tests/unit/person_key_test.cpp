// A person's keyed NIR: HMAC-SHA-256 of the NIR's 13 characters under the
// store's secret, the expected values computed apart (Python's hmac module).
#include <gtest/gtest.h>

#include "campaign/person_key.hpp"

namespace proactif {
namespace {

const std::string kSecret = "0123456789abcdef";

TEST(PersonKey, IsTheKeyedHashOfTheNirsThirteenCharacters) {
  EXPECT_EQ(person_key(kSecret, "285033805612335"), "NIR:b63869690876da5bd64d8bebce52db63");
  // Written with spaces, or Corsica's 2A in lower case, the same NIR.
  EXPECT_EQ(person_key(kSecret, "2 85 03 38 056 123 35"), "NIR:b63869690876da5bd64d8bebce52db63");
  EXPECT_EQ(person_key(kSecret, "199022a00400225"), person_key(kSecret, "199022A00400225"));
  EXPECT_EQ(person_key(kSecret, "199022A00400225"), "NIR:b49411348f179701901b585561db7d85");
}

TEST(PersonKey, DependsOnTheSecretAndSaysNothingOfAText) {
  EXPECT_NE(person_key("another secret", "285033805612335"), person_key(kSecret, "285033805612335"));
  EXPECT_EQ(person_key(kSecret, "285033805612336"), "");  // its key does not match: not a NIR
  EXPECT_EQ(person_key(kSecret, ""), "");
  EXPECT_EQ(person_key("", "285033805612335"), "");
}

TEST(PersonKey, EntriesForThePersonsWhoseKeyIsKnown) {
  const std::unordered_map<std::string, std::string> key_of = {{"CAF:P1", "NIR:aa"}, {"CAF:P3", "NIR:cc"}};
  EXPECT_EQ(keyed_entries({"CAF:P1", "CAF:P2", "CAF:P3"}, key_of),
            (std::vector<std::string>{"CAF:P1=NIR:aa", "CAF:P3=NIR:cc"}));
}

}  // namespace
}  // namespace proactif
