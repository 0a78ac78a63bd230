// proactif object: records a person's objection (GDPR art. 21) to one program
// or to all. What the store holds on them for it is deleted at once, what was
// not yet sent is cancelled, and the objection is kept so that no later
// campaign or event contacts them again. A request already transmitted to a
// paying body is named: the objection does not recall it there.
#include <filesystem>
#include <iostream>

#include "core/data_paths.hpp"
#include "cli/commands.hpp"
#include "core/date.hpp"
#include "cli/store_url.hpp"
#include "eval/engine.hpp"
#include "actions/verification_code.hpp"
#include "store/store.hpp"

namespace proactif {

int object_command(const ObjectArguments& args) {
  std::string subject = args.subject, program = args.all ? "*" : args.program;
  const std::string code = normalise_verification_code(args.code), &origin = args.origin, &store_url = args.store_url;
  // An objection to a program that does not exist would protect nobody
  // while saying it was recorded.
  if (code.empty() && program != "*") {
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
  if (!code.empty()) {
    // The code says who and for which right; the person need not know their identifiers.
    auto action = (*store)->action_of_code(code);
    if (!action) {
      std::cerr << "proactif: " << action.error().message << "\n";
      return 2;
    }
    if (!*action) {
      std::cerr << "proactif: no message was sent with the code " << code << " (check it with proactif verify)\n";
      return 1;
    }
    subject = (*action)->subject;
    if (program.empty()) program = (*action)->program;
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
