#include "service/agent_runs.hpp"

#include <utility>

namespace proactif {

bool covers_any(const PlanReport& plan, const AgentAccount& agent) {
  for (const ProgramPlan& p : plan.programs)
    if (agent.covers(p.program)) return true;
  return false;
}

bool covers_all(const PlanReport& plan, const AgentAccount& agent) {
  for (const ProgramPlan& p : plan.programs)
    if (!agent.covers(p.program)) return false;
  return true;
}

Result<std::optional<SeenRun>> run_seen_by(Store& store, const AgentAccount& agent, const std::string& run_id) {
  auto report = store.run_report(run_id);
  if (!report) return report.error();
  if (!*report || (*report)->plan_json.empty()) return std::optional<SeenRun>();
  // A plan that cannot be read back shows nothing rather than a wrong funnel.
  auto plan = plan_report_from_json((*report)->plan_json);
  if (!plan || !covers_any(*plan, agent)) return std::optional<SeenRun>();
  SeenRun seen;
  seen.summary.run_id = run_id;
  seen.plan = std::move(*plan);
  seen.delivery_json = std::move((*report)->delivery_json);
  return std::optional<SeenRun>(std::move(seen));
}

Result<std::vector<SeenRun>> runs_seen_by(Store& store, const AgentAccount& agent) {
  auto runs = store.runs();
  if (!runs) return runs.error();
  std::vector<SeenRun> out;
  for (RunSummary& run : *runs) {
    auto seen = run_seen_by(store, agent, run.run_id);
    if (!seen) return seen.error();
    if (!*seen) continue;
    (*seen)->summary = std::move(run);
    out.push_back(std::move(**seen));
  }
  return out;
}

namespace {

std::string channel_in_french(const std::string& channel) {
  if (channel == "email") return "courriel";
  if (channel == "letter") return "courrier";
  if (channel == "sms") return "SMS";
  return channel;
}

// The contact details the planner names, as in "no usable contact details
// (not valid, set aside: email, mobile)".
std::string contacts_in_french(const std::string& why) {
  const std::string set_aside = "no usable contact details (not valid, set aside: ";
  if (why == "no contact details") return "aucune coordonnée";
  if (why.rfind(set_aside, 0) == 0 && why.back() == ')')
    return "coordonnées inutilisables (non valides, écartées : " +
           why.substr(set_aside.size(), why.size() - set_aside.size() - 1) + ")";
  return why;
}

}  // namespace

std::string reason_in_french(const std::string& reason) {
  static const std::pair<const char*, const char*> kExact[] = {
      {"objected or refused", "opposition ou refus de la personne"},
      {"already receiving", "perçoit déjà la prestation"},
      {"already acted on for this period", "déjà traité pour cette période"},
      {"identity link under review", "rapprochement d'identité en cours de revue"},
      {"household data incomplete", "données du foyer incomplètes"},
      {"no action for this outcome", "aucune action prévue pour ce résultat"},
      {"no automatic route in law", "pas de voie d'attribution automatique dans les textes"},
      // As the reports of runs planned before 2026-12-01 name them.
      {"no automatic route in law: not granted", "pas de voie d'attribution automatique dans les textes : non attribué"},
      {"not known whether already receiving: not granted", "on ne sait pas si la personne perçoit déjà la prestation : non attribué"},
      {"not known who is in the foyer: not granted", "on ne sait pas qui fait partie du foyer : non attribué"},
      {"not known whether already receiving", "on ne sait pas si la personne perçoit déjà la prestation"},
      {"not known who is in the foyer", "on ne sait pas qui fait partie du foyer"},
      {"a request transmitted within 12 months of this period stands",
       "une demande transmise à moins de 12 mois de cette période est en cours"},
      {"told within 12 months of this period", "déjà informé à moins de 12 mois de cette période"},
      // As the reports of runs planned before 2026-12-02 name them: the months before only.
      {"a request transmitted in the last 12 months stands", "une demande transmise dans les 12 derniers mois est en cours"},
      {"told in the last 12 months", "déjà informé dans les 12 derniers mois"},
      {"grant by transmission", "attribution : demande transmise à l'organisme"},
  };
  for (const auto& [english, french] : kExact)
    if (reason == english) return french;
  const std::string not_told = "grant not transmitted: the person cannot be told (";
  if (reason.rfind(not_told, 0) == 0 && reason.back() == ')')
    return "attribution non transmise : la personne ne peut pas être prévenue (" +
           contacts_in_french(reason.substr(not_told.size(), reason.size() - not_told.size() - 1)) + ")";
  const std::string for_channels = " for the channels";
  if (reason.size() > for_channels.size() &&
      reason.compare(reason.size() - for_channels.size(), for_channels.size(), for_channels) == 0)
    return contacts_in_french(reason.substr(0, reason.size() - for_channels.size())) +
           " pour les canaux de la campagne";
  // What was planned: "notify by email", "grant_notice by letter".
  if (size_t by = reason.find(" by "); by != std::string::npos) {
    const std::string what = reason.substr(0, by), channel = channel_in_french(reason.substr(by + 4));
    if (what == "notify") return "information d'un droit, par " + channel;
    if (what == "notify_possible") return "information d'un droit possible, par " + channel;
    if (what == "grant_notice") return "avis d'attribution, par " + channel;
  }
  return reason;
}

}  // namespace proactif
