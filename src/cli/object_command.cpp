// proactif object: records a person's objection (GDPR art. 21) to one program
// or to all. What the store holds on them for it is deleted at once, what was
// not yet sent is cancelled, and the objection is kept so that no later
// campaign or event contacts them again. A request already transmitted to a
// paying body is named: the objection does not recall it there.
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "core/date.hpp"
#include "cli/store_url.hpp"
#include "eval/program_catalog.hpp"
#include "store/store.hpp"

namespace proactif {

int object_command(const Args& args) {
  static constexpr const char* kUsage =
      "usage: proactif object --subject ID (--program ID | --all) --origin TEXT [--store URL]\n"
      "  ID: the household (allocataire) or person identifier; --origin: how the objection came\n"
      "  (\"courrier du 2025-07-01\", \"appel au 3230\"), kept with it\n";
  std::string subject, program, origin, store_url = default_store_url();
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--subject" && i + 1 < args.size()) subject = args[++i];
    else if (args[i] == "--program" && i + 1 < args.size()) program = args[++i];
    else if (args[i] == "--all") program = "*";
    else if (args[i] == "--origin" && i + 1 < args.size()) origin = args[++i];
    else if (args[i] == "--store" && i + 1 < args.size()) store_url = args[++i];
    else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (subject.empty() || program.empty() || origin.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  // An objection to a program that does not exist would protect nobody
  // while saying it was recorded.
  if (program != "*") {
    std::error_code ec;
    if (program.find_first_of("/.") != std::string::npos ||
        !std::filesystem::is_regular_file(std::filesystem::path(programs_dir()) / program / "program.yaml", ec)) {
      std::cerr << "proactif: '" << program << "' is not a program (see " << programs_dir() << ")\n";
      return 2;
    }
  }
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto r = (*store)->object(subject, program, origin, now_ms());
  if (!r) {
    std::cerr << "proactif: " << r.error().message << "\n";
    return 2;
  }
  std::string transmitted;
  for (const auto& t : r->transmitted)
    transmitted += "\n  " + t.program + " request " + t.code + " for " + t.subject + ", sent on " +
                   format_iso_date(static_cast<Days>(t.sent_at / 86'400'000));
  if (auto err = (*store)->audit(audit_actor(), "objection recorded",
                                 subject + ", " + (program == "*" ? std::string("all programs") : program) + ", " +
                                     origin + ": " + std::to_string(r->decisions_deleted) + " decisions deleted, " +
                                     std::to_string(r->actions_cancelled) + " actions cancelled, " +
                                     std::to_string(r->transmitted.size()) + " requests already transmitted")) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  std::cout << "objection recorded (" << (program == "*" ? std::string("all programs") : "program " + program)
            << "): " << r->decisions_deleted << " decisions deleted, " << r->actions_cancelled
            << " messages not yet sent cancelled, " << r->delivered_traces_emptied
            << " sent messages reduced to their trace\n";
  if (!transmitted.empty())
    std::cout << "requests already transmitted to the paying body, which this objection does not recall: tell it "
                 "that the person withdraws (the request code says which)"
              << transmitted << "\n";
  return 0;
}

}  // namespace proactif
