// proactif object: records a person's objection (GDPR art. 21) to one program
// or to all. What the store holds on them for it is deleted at once, what was
// not yet sent is cancelled, and the objection is kept so that no later
// campaign or event contacts them again. A request already transmitted to a
// paying body is followed by the person's refusal (CASF R262-106 II), queued
// for the next delivery of the campaign or event rules that sent it.
#include <iostream>

#include "campaign/citizen_requests.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/date.hpp"

namespace proactif {

int object_command(const ObjectArguments& args) {
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  ObjectionRequest request{args.code, args.subject, args.program, args.all, args.origin, args.not_yet_known};
  auto outcome = record_objection(**store, request, audit_actor());
  if (!outcome) {
    std::cerr << "proactif: " << outcome.error().message << "\n";
    return 2;
  }
  if (outcome->code_unknown) {
    std::cerr << "proactif: no message was sent with the code " << args.code << " (check it with proactif verify)\n";
    return 1;
  }
  if (outcome->subject_unknown) {
    // Recorded under an identifier no campaign uses, it would protect nobody.
    std::cerr << "proactif: no decision, message or objection in the store names '" << outcome->subject
              << "': nothing recorded.";
    if (!outcome->near.empty()) {
      std::cerr << " Stored identifiers it may stand for:";
      for (const auto& id : outcome->near) std::cerr << "\n  " << id;
      std::cerr << "\nGive the one meant with --subject.";
    } else {
      std::cerr << " Campaigns name households and persons SOURCE:ID (CAF:A00000048, as `proactif decision` shows "
                   "them); for a person no campaign has reached yet, give that form with --not-yet-known.";
    }
    std::cerr << "\n";
    return 1;
  }
  if (outcome->subject_malformed) {
    std::cerr << "proactif: '" << outcome->subject
              << "' is not an identifier a campaign or event would name: campaigns name households and persons "
                 "SOURCE:ID (CAF:A00000048), one at a time, without spaces; nothing recorded\n";
    return 1;
  }
  if (args.not_yet_known && !args.subject.empty())
    std::cout << "recorded for '" << outcome->subject
              << "' exactly: it protects only the household or person a campaign or event names '" << outcome->subject
              << "'\n";
  const ObjectionResult& r = outcome->result;
  std::cout << "objection recorded ("
            << (outcome->program == "*" ? std::string("all programs") : "program " + outcome->program)
            << "): " << r.decisions_deleted << " decisions deleted, " << r.actions_cancelled
            << " messages not yet sent cancelled, " << r.delivered_traces_emptied
            << " sent messages reduced to their trace, " << outcome->letters.deleted << " letters deleted"
            << (outcome->unlisted.rights
                    ? ", " + std::to_string(outcome->unlisted.rights) + " rights taken out of the lists for the social services"
                    : "")
            << "\n";
  if (!outcome->unlisted.left.empty()) {
    std::cerr << "proactif: lists for the social services this objection could not write again (permissions?): take "
                 "the household out by hand; `proactif audit` names them too";
    for (const std::string& file : outcome->unlisted.left) std::cerr << "\n  " << file;
    std::cerr << "\n";
  }
  if (!outcome->letters.left.empty()) {
    std::cerr << "proactif: " << outcome->letters.left.size()
              << " letters of the objection could not be deleted (permissions?): delete them by hand; `proactif audit` "
                 "names them too";
    for (const std::string& file : outcome->letters.left) std::cerr << "\n  " << file;
    std::cerr << "\n";
  }
  for (const auto& t : r.transmitted)
    if (t.withdrawal_blocked)
      std::cerr << "proactif: " << t.program << " for " << t.subject << ": " << blocked_withdrawal_text(t) << "\n";
  for (const bool before : {false, true}) {
    bool heading = false;
    for (const auto& t : r.transmitted) {
      if (t.refused_before != before || t.withdrawal_blocked) continue;
      if (!heading)
        std::cout << (before ? "requests already transmitted to the paying body, whose refusal an earlier objection "
                               "queued already (not queued again)"
                             : "requests already transmitted to the paying body: the person's refusal of each is "
                               "queued, and leaves with the next delivery of the campaign or event rules that sent it");
      heading = true;
      std::cout << "\n  " << t.program << " request " << t.code << " for " << t.subject << ", sent on "
                << format_iso_date(day_in_france(t.sent_at));
    }
    if (heading) std::cout << "\n";
  }
  // Recorded, but a letter the person objected to is still on disk: a
  // script running this must not take it for done.
  const bool blocked = std::any_of(r.transmitted.begin(), r.transmitted.end(),
                                   [](const ObjectionResult::Transmitted& t) { return t.withdrawal_blocked; });
  return outcome->letters.left.empty() && outcome->unlisted.left.empty() && !blocked ? 0 : 1;
}

}  // namespace proactif
