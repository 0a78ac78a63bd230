// proactif: find the people entitled to a benefit who do not get it.
#include <sys/stat.h>

#include <exception>
#include <iostream>
#include <new>
#include <string>

#include "cli/commands.hpp"
#include "core/output_file.hpp"

namespace {

constexpr const char* kUsage =
    "usage: proactif <command> [options]\n"
    "  evaluate  evaluate programs over situations (JSONL in, decisions JSONL out)\n"
    "  explain   explain each decision in French (CRPA R311-3-1-2)\n"
    "  test      run the programs' test cases (programs/<id>/tests.yaml)\n"
    "  check     load and check program files\n"
    "  ingest    read administrations' extracts through their mappings, set bad rows aside\n"
    "  synth     write a synthetic population's extracts for a real territory\n"
    "  campaign  run a campaign: evaluate, target, store decisions and actions, deliver, report\n"
    "  event     act on facts (RSA granted): evaluate the household again, notify or transmit a grant\n"
    "  verify    say whether a message's verification code is authentic\n"
    "  decision  show what the store keeps about a household, each decision explained as when it was taken\n"
    "  audit     the store's audit trail: who did what, when\n"
    "  purge     apply the retention policy to the store (also done by every campaign and event)\n"
    "  object    record a person's objection; their data for the program is deleted\n";

int run(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = argv[1];
  proactif::Args args(argv + 2, argv + argc);
  if (command == "evaluate") return proactif::evaluate_command(args);
  if (command == "explain") return proactif::explain_command(args);
  if (command == "test") return proactif::test_command(args);
  if (command == "check") return proactif::check_command(args);
  if (command == "ingest") return proactif::ingest_command(args);
  if (command == "synth") return proactif::synth_command(args);
  if (command == "campaign") return proactif::campaign_command(args);
  if (command == "event") return proactif::event_command(args);
  if (command == "decision") return proactif::decision_command(args);
  if (command == "audit") return proactif::audit_command(args);
  if (command == "purge") return proactif::purge_command(args);
  if (command == "verify") return proactif::verify_command(args);
  if (command == "object") return proactif::object_command(args);
  if (command == "--help" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "proactif: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace

// Every file Proactif creates may hold personal data: readable by the service
// only, whatever the umask it was started with. A command's status also says
// whether its output reached its destination, and no exception ends the
// process without a message.
int main(int argc, char** argv) {
  ::umask(077);
  int status;
  try {
    status = run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "proactif: out of memory\n";
    return 70;
  } catch (const std::exception& e) {
    std::cerr << "proactif: internal error: " << e.what() << "\n";
    return 70;
  }
  if (std::string e = proactif::flush_standard_output(); !e.empty()) {
    std::cerr << "proactif: " << e << "\n";
    return 74;
  }
  return status;
}
