// proactif decision SUBJECT: what the store keeps about a household (or one
// of its persons), for the person, an agent or an auditor: each decision with
// its explanation (CRPA R311-3-1-2) as it was when taken, and whether the
// program and parameter files in force here are still those it applied.

#include <algorithm>
#include <iostream>

#include "actions/verification_code.hpp"
#include "campaign/message_sources.hpp"
#include "campaign/planner.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/json_text.hpp"
#include "eval/citizen_text.hpp"
#include "eval/decision_json.hpp"
#include "eval/explanation_json.hpp"
#include "eval/explanation_text.hpp"
#include "eval/engine.hpp"

namespace proactif {

namespace {

// "juin 2025" for a campaign period "2025-06"; another period as written.
std::string french_period(const std::string& period) {
  const std::string day = french_long_date(period + "-01");
  return day.rfind("1er ", 0) == 0 ? day.substr(4) : period;
}

// One JSON object per decision, as stored: the decision line and its
// explanation embedded as they were written, with whether the program and
// parameter files in force here are still those it applied.
int print_decisions_json(const std::vector<StoredDecision>& decisions) {
  for (const StoredDecision& d : decisions) {
    auto engine = load_engine({d.program});
    auto hash = engine ? program_hash(*(*engine)->plans.front()->program) : Result<std::string>(engine.error());
    std::string line = "{";
    for (const auto& [name, value] : {std::pair{"program", &d.program}, {"subject", &d.subject}, {"period", &d.period},
                                      {"run", &d.run_id}, {"status", &d.status}, {"program_hash", &d.program_hash},
                                      {"evaluation_date", &d.evaluation_date}}) {
      line += std::string(line.size() > 1 ? "," : "") + "\"" + name + "\":";
      append_json_string(line, *value);
    }
    line += ",\"decided_at\":";
    append_json_string(line, iso_timestamp(d.decided_at));
    line += std::string(",\"program_unchanged\":") + (hash && *hash == d.program_hash ? "true" : "false");
    const std::string decision = representative_line(d.decision_json, d.status, d.persons).text;
    line += ",\"decision\":" + decision + ",\"explanation\":" + d.explanation_json + "}\n";
    std::cout << line;
  }
  return decisions.empty() ? 1 : 0;
}

}  // namespace

int decision_command(const DecisionArguments& args) {
  std::string subject = args.subject;
  std::string program = args.program;
  const bool for_person = args.for_person;
  const std::string& store_url = args.store_url;
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  // A message's code, which its letter asks the person to give for the
  // explanation: its household, and the right it told of (an auditor's
  // finding, 2026-12-07: "nothing is kept" was answered).
  if (const std::string code = normalise_verification_code(subject);
      subject.find(':') == std::string::npos && is_verification_code(code)) {
    auto action = (*store)->action_of_code(code);
    if (!action) {
      std::cerr << "proactif: " << action.error().message << "\n";
      return 2;
    }
    if (*action) {
      if (!for_person && !args.json)
        std::cout << "Code " << code << " : message au sujet de " << (*action)->subject << ", programme "
                  << (*action)->program << ".\n";
      subject = (*action)->subject;
      if (program.empty()) program = (*action)->program;
    }
  }
  auto decisions = (*store)->decisions_about(subject, program);
  if (!decisions) {
    std::cerr << "proactif: " << decisions.error().message << "\n";
    return 2;
  }
  // Reading what is kept about someone is itself recorded, before it is shown.
  if (auto err = (*store)->audit(audit_actor(), "decisions consulted",
                                 subject_read(subject, !decisions->empty()) + (program.empty() ? "" : ", " + program));
      !err.ok()) {
    std::cerr << "proactif: " << err.error().message << "\n";
    return 2;
  }
  // Found neither as its subject nor among its persons: among those a
  // decision lists outside its foyer (decisions_about).
  auto outside_its_foyer = [&](const StoredDecision& d) {
    return subject != d.subject && std::find(d.persons.begin(), d.persons.end(), subject) == d.persons.end();
  };
  if (args.json) {
    // Asked for a person, not the decisions of a foyer that leaves them out.
    if (for_person) std::erase_if(*decisions, outside_its_foyer);
    return print_decisions_json(*decisions);
  }
  if (decisions->empty()) {
    // The person is not shown an identifier they do not know.
    std::cout << "Aucune décision n'est conservée " << (for_person ? std::string("à votre sujet") : "sur " + subject)
              << " : aucune n'est gardée pour une personne non éligible, ni prise pour un foyer dont les données "
                 "étaient incomplètes ou l'identité à vérifier ; celles qui l'ont été ont pu être supprimées "
                 "(opposition, durée de conservation dépassée).\n";
    return 1;
  }
  for (const StoredDecision& d : *decisions) {
    if (for_person)
      std::cout << "Décision du " << french_day(d.decided_at) << ", période de " << french_period(d.period) << "\n";
    else
      std::cout << "Décision du " << french_day(d.decided_at) << " (" << d.run_id << "), programme " << d.program
                << ", période " << d.period << "\n";
    auto engine = load_engine({d.program});
    const bool same = engine && [&] {
      auto hash = program_hash(*(*engine)->plans.front()->program);
      return hash && *hash == d.program_hash;
    }();
    if (engine && for_person)
      std::cout << (same ? "Les règles et les montants appliqués sont toujours ceux en vigueur.\n"
                         : "Les règles ou les montants ont changé depuis : l'explication ci-dessous est celle du jour "
                           "de la décision.\n");
    else if (same)
      std::cout << "Les fichiers du programme et de ses paramètres sont ceux qui ont été appliqués (SHA-256 "
                << d.program_hash << ").\n";
    else if (engine)
      std::cout << "Les fichiers du programme ou de ses paramètres ont changé depuis : la décision a été prise "
                   "avec la version SHA-256 "
                << d.program_hash << "; l'explication ci-dessous est celle de ce jour-là.\n";
    if (for_person && outside_its_foyer(d)) {
      // Listed with a household whose foyer, for this program, leaves them
      // out: its decision is not theirs, and the others' data are not
      // theirs to read.
      const Program* p = engine ? (*engine)->plans.front()->program.get() : nullptr;
      const std::string rule = p && p->foyer >= 0 ? p->variables[static_cast<size_t>(p->foyer)].reference : "";
      // What it keeps of them, by their labels: since 2026-12-07, only the
      // data that left them out (append_kept_explanation_json); a decision
      // stored before keeps more, and all of it is listed.
      std::vector<std::string> kept;
      if (auto e = explanation_from_json(d.explanation_json)) {
        const std::string theirs = "persons." + subject + ".";
        for (const ExplainedDatum& datum : e->data)
          if (datum.name.rfind(theirs, 0) == 0 && !datum.label.empty() &&
              std::find(kept.begin(), kept.end(), datum.label) == kept.end())
            kept.push_back(datum.label);
      }
      std::string listed;
      for (const std::string& label : kept) listed += (listed.empty() ? "" : " ; ") + label;
      std::cout << "\nVous êtes déclaré(e) avec un foyer dont le droit à « " << (p ? p->title : d.program)
                << " » a été examiné, mais vous ne faites pas partie de ce foyer pour ce droit"
                << (rule.empty() ? std::string("") : " (" + rule + ")") << " : cette décision ne porte pas sur vous. "
                << (kept.empty() ? std::string("Elle ne garde, à votre sujet, que le fait que vous n'en faites pas partie.")
                                 : "Elle garde, à votre sujet : " + listed + ".")
                << " Votre propre situation, si elle a été examinée, fait l'objet d'une décision distincte, présentée "
                   "ici.\n"
                << "────────────────────────────────────────────────────────────\n\n";
      continue;
    }
    auto e = explanation_from_json(d.explanation_json);
    if (!e) {
      std::cerr << "proactif: " << e.error().message << "\n";
      return 2;
    }
    std::string text;
    if (for_person) {
      // Addressed to the person asked about when they are one of the
      // household's, with their own line where the program decides per
      // person; the labels and units are those of the program in force.
      const bool one_of_them =
          subject != d.subject && std::find(d.persons.begin(), d.persons.end(), subject) != d.persons.end();
      auto own = one_of_them ? line_of_person(d.decision_json, subject) : std::nullopt;
      DecisionLine line = own ? *own : representative_line(d.decision_json, d.status, d.persons);
      if (line.person.empty() && one_of_them) line.person = subject;
      CitizenReader reader{line.person, nullptr, nullptr, line.missing, line.result};
      if (engine) {
        reader.program = (*engine)->plans.front()->program.get();
        reader.territory = (*engine)->territory.get();
      }
      text = citizen_text(*e, own ? own->status : d.status, reader);
    } else {
      text = stored_decision_text(*e, "foyer " + d.subject, d.status, d.decision_json, d.persons);
      // A program decided per person: the household's decision is told of
      // one of them (the explanation's); asked about another, their own
      // line is said first (a tester's finding of 2026-12-06: a person
      // undetermined read "éligible", their household's).
      const bool one_of_them =
          subject != d.subject && std::find(d.persons.begin(), d.persons.end(), subject) != d.persons.end();
      const std::string explained = representative_line(d.decision_json, d.status, d.persons).person;
      if (auto own = one_of_them ? line_of_person(d.decision_json, subject) : std::nullopt;
          own && own->person != explained) {
        std::string missing;
        for (const std::string& m : own->missing) missing += (missing.empty() ? "" : ", ") + m;
        text = "Pour la personne " + subject + " : " + french_status(own->status) +
               (missing.empty() ? "" : " ; données manquantes : " + missing) +
               ". L'explication ci-dessous est celle de la décision du foyer, établie pour " +
               explained + ".\n\n" + text;
      }
    }
    if (!for_person) {
      // What was done on it (an auditor's finding, 2026-12-07: a request
      // transmitted showed nowhere here).
      auto actions = (*store)->actions_of(d);
      if (!actions) {
        std::cerr << "proactif: " << actions.error().message << "\n";
        return 2;
      }
      if (!actions->empty()) text += "\nActions :\n";
      for (const Store::ActionTrace& a : *actions) {
        text += "  - " + a.action + " par " + a.channel + ", code " + a.code + ", préparée le " + french_day(a.created_at) +
                ", " + (a.delivered_at ? "délivrée le " + french_day(a.delivered_at) : "état : " + a.state) + "\n";
        if (const std::string told = told_in_french(a.told); !told.empty())
          text += "    Données et sources que le message indique :\n" + told;
      }
    }
    std::cout << "\n" << text << "\n────────────────────────────────────────────────────────────\n\n";
  }
  return 0;
}

}  // namespace proactif
