// An objection takes its rights out of the lists for the social services
// already written (campaign/retention.hpp): the line of that household and
// right only, whatever a name cell holds, the list keeping its age, and
// deleted once no line is left.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "campaign/retention.hpp"

namespace proactif {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string title(const std::string& program) {
  return program == "c2s" ? "Complémentaire santé solidaire (C2S)" : "Revenu de solidarité active (RSA)";
}

TEST(SocialServicesLists, AnObjectionTakesItsRightsOutOfTheListsWritten) {
  const fs::path folder = fs::temp_directory_path() / ("proactif-lists-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  const fs::path list = folder / "38185.csv";
  {
    std::ofstream out(list, std::ios::binary);
    out << "commune;foyer;nom;droit;motif\n"
        << "38185;CAF:H1;\"DUPONT; Marie\";Complémentaire santé solidaire (C2S);\"aucune adresse, aucun courriel\"\n"
        << "38185;CAF:H1;\"DUPONT; Marie\";Revenu de solidarité active (RSA);\"aucune adresse, aucun courriel\"\n"
        << "38185;CAF:P7;Paul DUPONT;Complémentaire santé solidaire (C2S);\"aucune adresse, aucun courriel\"\n"
        << "38185;CAF:H10;Complémentaire santé solidaire (C2S);Revenu de solidarité active (RSA);motif\n";
  }
  const auto month_ago = fs::file_time_type::clock::now() - std::chrono::hours(24 * 30);
  fs::last_write_time(list, month_ago);

  // H1's C2S: its RSA, P7's (a person of its own foyer, listed apart) and
  // H10's lines stay, H10's though its name is a right's title.
  Unlisted first = unlist_objected({{list.string(), "CAF:H1", "c2s"}, {list.string(), "CAF:H10", "c2s"}}, title);
  EXPECT_EQ(first.rights, 1);
  EXPECT_TRUE(first.left.empty());
  EXPECT_EQ(read(list),
            "commune;foyer;nom;droit;motif\n"
            "38185;CAF:H1;\"DUPONT; Marie\";Revenu de solidarité active (RSA);\"aucune adresse, aucun courriel\"\n"
            "38185;CAF:P7;Paul DUPONT;Complémentaire santé solidaire (C2S);\"aucune adresse, aucun courriel\"\n"
            "38185;CAF:H10;Complémentaire santé solidaire (C2S);Revenu de solidarité active (RSA);motif\n");
  EXPECT_LT(fs::last_write_time(list), fs::file_time_type::clock::now() - std::chrono::hours(24 * 29));

  // The rest: the list goes. A list gone already (its retention passed) is
  // neither taken out of nor left.
  Unlisted second = unlist_objected({{list.string(), "CAF:H1", "rsa"}, {list.string(), "CAF:P7", "c2s"},
                                     {list.string(), "CAF:H10", "rsa"}, {(folder / "38000.csv").string(), "CAF:H2", "c2s"}},
                                    title);
  EXPECT_EQ(second.rights, 3);
  EXPECT_TRUE(second.left.empty());
  EXPECT_FALSE(fs::exists(list));
  fs::remove_all(folder);
}

}  // namespace
}  // namespace proactif
