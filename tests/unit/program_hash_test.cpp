// The hash recorded with every decision covers every file the program was
// read from (the files it includes too) and its parameters, by content: a
// byte-identical copy elsewhere hashes the same, a change anywhere does not.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "campaign/planner.hpp"
#include "rules/program_loader.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

std::string hash_of(const std::string& programs, const std::string& id) {
  auto params = ParameterSet::load(programs + "/parameters");
  EXPECT_TRUE(params) << params.error().message;
  auto program = load_program(programs + "/" + id + "/program.yaml", *params);
  EXPECT_TRUE(program) << program.error().message;
  auto hash = program_hash(**program);
  EXPECT_TRUE(hash) << hash.error().message;
  return *hash;
}

}  // namespace

TEST(ProgramHash, ACopyElsewhereHashesTheSameAndAnIncludedFileCounts) {
  const std::string source = std::string(PROACTIF_SOURCE_DIR) + "/programs";
  const std::string copy = testing::temp_dir() + "/elsewhere/programs";
  fs::create_directories(copy);
  fs::copy(source, copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const std::string original = hash_of(source, "c2s");
  EXPECT_EQ(hash_of(copy, "c2s"), original);
  // The C2S's foyer is in a file the program includes.
  std::ofstream(copy + "/common/foyer_c2s.yaml", std::ios::app) << "\n# changed\n";
  EXPECT_NE(hash_of(copy, "c2s"), original);
}

}  // namespace proactif
