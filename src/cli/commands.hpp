// The proactif subcommands. The command line (cli/command_line.cpp) parses
// and checks the arguments into these structures; each command runs with
// them and returns the process exit status (0 done, 1 done with rows or
// actions that need an agent, 2 could not run).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ingest/situation_stream.hpp"
#include "ingest/ingestion.hpp"
#include "service/server.hpp"
#include "sources/api_particulier.hpp"

namespace proactif {

// The largest synthetic population a command builds: beyond it, memory.
constexpr double kMaxSyntheticHouseholds = 10'000'000;

// evaluate and explain: programs over situations (JSONL) or a snapshot.
struct StreamArguments {
  std::vector<std::string> programs;
  std::string situations, population;
  StreamOptions options;
  std::vector<std::string> only;  // explain: these situations only
  bool for_person = false;        // explain: the person's text
};

struct IngestArguments {
  std::vector<std::string> mappings;
  IngestOptions options;
  std::string snapshot_path;
};

struct SynthArguments {
  std::string territory, out;
  size_t households = 0;
  uint64_t seed = 1;
  Days date = 0;
};

struct CampaignArguments {
  std::string verb;  // run, deliver, report, requeue, settle, withdraw, truth
  std::string file, store_url;
  bool plan_only = false;
  bool past_date = false;  // run, deliver: a date, or a planning, more than a month before today (acting_day.hpp)
  double wait = 120;
  size_t households = 0;  // truth: another size than the file's
  bool arrived = false;   // settle: --arrived, else --send-again
  bool list = false;      // settle: --list, the held sends
  std::vector<std::string> codes;  // settle: --code, the messages to settle (default: all held)
  bool json = false;      // report: the stored report as JSON
  bool by_letter = false; // requeue: emails and SMS refused for good, by letter
};

struct EventArguments {
  std::string path, rules_file, store_url;
  bool plan_only = false;
  bool past_date = false;  // events more than two months old (acting_day.hpp)
  double wait = 120;
};

struct DecisionArguments {
  std::string subject, program, store_url;
  bool for_person = false;
  bool json = false;
};

struct AuditArguments {
  std::string store_url;
  int64_t since_ms = 0;
  bool json = false;
};

struct ObjectArguments {
  std::string subject, program, code, origin, store_url;
  bool all = false;
  bool not_yet_known = false;
};

struct AgentArguments {
  std::string verb;  // add, token, list, password, revoke, remove
  std::string login, role, organisation, store_url;
  std::vector<std::string> programs;
  std::string label;  // token, revoke
  int days = 90;      // token
};

// proofs: data fetched from API Particulier about one person.
struct ProofsArguments {
  std::string identity_file, token_file, purpose, store_url;
  std::vector<std::string> data;  // datum names
  std::string date;               // YYYY-MM-DD; today when empty
  ApiParticulierConfig api;
};

// decide: an instant decision for one person, the program's data fetched.
struct DecideArguments {
  std::string program, identity_file, token_file, store_url, date;
  std::vector<std::string> answers;  // NAME=VALUE
  std::vector<std::string> members;  // NAME=VALUE,NAME=VALUE: another person living with them
  bool lives_alone = false, household_complete = false, consent = false;
  ApiParticulierConfig api;
};

// catalogue: the national youth simulator's benefits as programs.
struct CatalogueArguments {
  bool json = false;
  std::string show;  // a benefit whose program text is printed
};

int evaluate_command(const StreamArguments& args);
int explain_command(const StreamArguments& args);
int test_command(const std::vector<std::string>& folders);
int check_command(const std::vector<std::string>& programs);
int ingest_command(const IngestArguments& args);
int synth_command(const SynthArguments& args);
int campaign_command(const CampaignArguments& args);
int event_command(const EventArguments& args);
int verify_command(const std::string& code, const std::string& store_url);
int decision_command(const DecisionArguments& args);
int audit_command(const AuditArguments& args);
int purge_command(const std::string& store_url);
int object_command(const ObjectArguments& args);
int agent_command(const AgentArguments& args);
int proofs_command(const ProofsArguments& args);
int decide_command(const DecideArguments& args);
int catalogue_command(const CatalogueArguments& args);

}  // namespace proactif
