// proactif decision SUBJECT: what the store keeps about a household (or one
// of its persons), for the person, an agent or an auditor: each decision with
// its explanation (CRPA R311-3-1-2) as it was when taken, and whether the
// program and parameter files in force here are still those it applied.
#include <simdjson.h>

#include <iostream>

#include "campaign/planner.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "eval/explanation_json.hpp"
#include "eval/explanation_text.hpp"
#include "eval/program_catalog.hpp"

namespace proactif {

namespace {

// The result and the missing inputs of the (first) decision line.
void read_decision(const std::string& line, std::string& result, std::string& missing) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(line.substr(0, line.find('\n')));
  try {
    auto doc = parser.iterate(json);
    simdjson::ondemand::object o = doc.get_object();
    simdjson::ondemand::object r = o["result"].get_object();
    result = std::string(std::string_view(r.raw_json()));
    for (auto m : o["missing"].get_array()) missing += (missing.empty() ? "" : ", ") + std::string(std::string_view(m.get_string()));
  } catch (const simdjson::simdjson_error&) {
    result = "{}";
  }
}

}  // namespace

int decision_command(const Args& args) {
  std::string subject, program, store_url = default_store_url();
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--program" && i + 1 < args.size()) program = args[++i];
    else if (args[i] == "--store" && i + 1 < args.size()) store_url = args[++i];
    else if (subject.empty() && args[i].rfind("--", 0) != 0) subject = args[i];
    else {
      subject.clear();
      break;
    }
  }
  if (subject.empty()) {
    std::cerr << "usage: proactif decision SUBJECT [--program ID] [--store URL]\n"
                 "  SUBJECT: a household (CAF:A00000004) or one of its persons\n";
    return 2;
  }
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  // Reading what is kept about someone is itself recorded.
  if (auto err = (*store)->audit(audit_actor(), "decisions consulted", subject + (program.empty() ? "" : ", " + program))) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  auto decisions = (*store)->decisions_about(subject, program);
  if (!decisions) {
    std::cerr << "proactif: " << decisions.error().message << "\n";
    return 2;
  }
  if (decisions->empty()) {
    std::cout << "Aucune décision n'est conservée sur " << subject
              << " (ou elles ont été supprimées : personne non éligible, opposition, ou durée de conservation "
                 "dépassée).\n";
    return 1;
  }
  for (const StoredDecision& d : *decisions) {
    std::cout << "Décision du " << french_day(d.decided_at) << " (" << d.run_id << "), programme " << d.program
              << ", période " << d.period << "\n";
    auto engine = load_engine({d.program});
    if (engine) {
      auto hash = program_hash(*(*engine)->plans.front()->program);
      if (hash && *hash == d.program_hash)
        std::cout << "Les fichiers du programme et de ses paramètres sont ceux qui ont été appliqués (SHA-256 "
                  << d.program_hash << ").\n";
      else
        std::cout << "Les fichiers du programme ou de ses paramètres ont changé depuis : la décision a été prise "
                     "avec la version SHA-256 "
                  << d.program_hash << "; l'explication ci-dessous est celle de ce jour-là.\n";
    }
    auto e = explanation_from_json(d.explanation_json);
    if (!e) {
      std::cerr << "proactif: " << e.error().message << "\n";
      return 2;
    }
    std::string result, missing;
    read_decision(d.decision_json, result, missing);
    std::cout << "\n" << explanation_text(*e, "foyer " + d.subject, d.status, result, missing)
              << "\n────────────────────────────────────────────────────────────\n\n";
  }
  return 0;
}

}  // namespace proactif
