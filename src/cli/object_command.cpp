// proactif object: records a person's objection (GDPR art. 21) to one program
// or to all. What the store holds on them for it is deleted at once, what was
// not yet sent is cancelled, and the objection is kept so that no later
// campaign or event contacts them again.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
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
  if (auto err = (*store)->audit(audit_actor(), "objection recorded",
                                 subject + ", " + (program == "*" ? std::string("all programs") : program) + ", " +
                                     origin + ": " + std::to_string(r->decisions_deleted) + " decisions deleted, " +
                                     std::to_string(r->actions_cancelled) + " actions cancelled")) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  std::cout << "objection recorded (" << (program == "*" ? std::string("all programs") : "program " + program)
            << "): " << r->decisions_deleted << " decisions deleted, " << r->actions_cancelled
            << " messages not yet sent cancelled, " << r->delivered_traces_emptied
            << " sent messages reduced to their trace\n";
  return 0;
}

}  // namespace proactif
