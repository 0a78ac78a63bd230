// The proactif subcommands. Each takes its arguments (after the subcommand
// name) and returns the process exit status.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace proactif {

using Args = std::vector<std::string>;

// A number given on the command line, whole and within [low, high]; nullopt
// otherwise ("abc", "1e400", "12s"), for the command to print its usage.
std::optional<double> number_argument(const std::string& text, double low, double high);
// The largest synthetic population a command builds: beyond it, memory.
constexpr double kMaxSyntheticHouseholds = 10'000'000;

int evaluate_command(const Args& args);
int explain_command(const Args& args);
int test_command(const Args& args);
int check_command(const Args& args);
int ingest_command(const Args& args);
int synth_command(const Args& args);
int campaign_command(const Args& args);
int verify_command(const Args& args);
int object_command(const Args& args);
int event_command(const Args& args);
int purge_command(const Args& args);
int decision_command(const Args& args);
int audit_command(const Args& args);

// The retention policy applied to the store; says what it deleted, if anything.
std::optional<Error> purge_store(Store& store, std::ostream& out);
// Files a campaign wrote (letters, lists for the social services, rejects)
// older than the data retention (12 months): the store is not the only
// place personal data rest. Only files of the given extension, in the
// folders the campaign writes them to. Returns how many were deleted.
struct CampaignFiles {
  std::string folder, extension;
};
int64_t purge_old_files(const std::vector<CampaignFiles>& places, std::ostream& out);

// What `proactif synth` writes, as a function; returns the summary to print.
Result<std::string> synthesise(const std::string& territory_code, size_t households, uint64_t seed, Days date,
                               const std::string& out);

}  // namespace proactif
