// A person's keyed NIR: HMAC-SHA-256 of the NIR's 13 characters under the
// store's secret, the expected values computed apart (Python's hmac module).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "campaign/person_key.hpp"
#include "core/date.hpp"
#include "store/store.hpp"

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

// The key kept apart from the store (PROACTIF_PERSON_KEY_FILE): used as
// given, checked against the store's record of it, refused where it is not
// the key the store's keys were made with.
class PersonKeySecret : public ::testing::Test {
 protected:
  void SetUp() override {
    folder = std::filesystem::temp_directory_path() /
             ("proactif-person-key-" + std::to_string(::getpid()) + "-" + std::to_string(now_ms()));
    std::filesystem::create_directories(folder);
  }
  void TearDown() override {
    ::unsetenv("PROACTIF_PERSON_KEY_FILE");
    std::filesystem::remove_all(folder);
  }
  std::unique_ptr<Store> open(const std::string& name) {
    auto s = Store::open("sqlite:" + (folder / name).string());
    EXPECT_TRUE(s.ok());
    return std::move(*s);
  }
  void use_key(const std::string& line) {
    const auto path = folder / "key";
    std::ofstream(path) << line << "\n";
    ::setenv("PROACTIF_PERSON_KEY_FILE", path.c_str(), 1);
  }
  std::filesystem::path folder;
};

TEST_F(PersonKeySecret, DrawnInTheStoreWithoutAFile) {
  auto store = open("a.db");
  EXPECT_EQ(person_key_secret(*store).value(), store->secret("person_key").value());
}

TEST_F(PersonKeySecret, AKeyFileIsUsedAndCheckedAgainstTheStore) {
  auto store = open("a.db");
  use_key("k3y-of-at-least-32-characters-0123456789");
  EXPECT_EQ(person_key_secret(*store).value(), "k3y-of-at-least-32-characters-0123456789");
  EXPECT_FALSE(store->has_secret("person_key").value());  // nothing to try the NIRs with in the store
  EXPECT_TRUE(person_key_secret(*store).ok());
  use_key("another-key-of-at-least-32-characters-000");
  auto other = person_key_secret(*store);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("not the key this store's persons' keys were made with"), std::string::npos);
  use_key("too short");
  EXPECT_FALSE(person_key_secret(*store).ok());
  // Run without the file, or with it empty, the store keyed with it draws
  // no secret of its own: its objections would go unrecognised.
  ::unsetenv("PROACTIF_PERSON_KEY_FILE");
  auto without = person_key_secret(*store);
  ASSERT_FALSE(without.ok());
  EXPECT_NE(without.error().message.find("set it to that file"), std::string::npos);
  EXPECT_FALSE(store->has_secret("person_key").value());
  ::setenv("PROACTIF_PERSON_KEY_FILE", "", 1);
  EXPECT_FALSE(person_key_secret(*store).ok());
  use_key("k3y-of-at-least-32-characters-0123456789");
  EXPECT_TRUE(person_key_secret(*store).ok());
}

TEST_F(PersonKeySecret, AStoreKeyedWithItsOwnSecretRefusesAFile) {
  auto store = open("b.db");
  ASSERT_TRUE(person_key_secret(*store).ok());  // drawn in the store
  use_key("k3y-of-at-least-32-characters-0123456789");
  EXPECT_FALSE(person_key_secret(*store).ok());
}

}  // namespace
}  // namespace proactif
