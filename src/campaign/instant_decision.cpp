#include "campaign/instant_decision.hpp"

#include <algorithm>

#include "actions/verification_code.hpp"
#include "campaign/planner.hpp"
#include "core/json_text.hpp"
#include "eval/decision_json.hpp"
#include "eval/outcome.hpp"
#include "ingest/situation_stream.hpp"

namespace proactif {

namespace {

std::string fetched_source(const FetchedDatum& d) {
  std::string source = fetched_from(d.provider, d.route, d.fetched_on);
  if (!d.as_of.empty()) source += " ; donnée de " + d.as_of;
  return source;
}

// Why the answers about the other persons are refused, or nothing: each
// answers person inputs the person may state (not one fetched), and says
// their place in the household (not the applicant's).
std::string refused_other_answers(const Program& program, const InstantRequest& request) {
  const bool has_role = std::any_of(program.inputs.begin(), program.inputs.end(), [](const InputDecl& i) {
    return i.name == "role" && i.entity == Entity::kPerson;
  });
  for (size_t k = 0; k < request.others.size(); ++k) {
    const std::string who = "person " + std::to_string(k + 2);
    for (const auto& [name, value] : request.others[k]) {
      auto in = std::find_if(program.inputs.begin(), program.inputs.end(), [&](const InputDecl& i) { return i.name == name; });
      if (in == program.inputs.end() || in->entity != Entity::kPerson)
        return who + ": '" + name + "' is not an input of " + program.id + " about a person";
      if (in->api_particulier)
        return who + ": '" + name + "' is fetched from API Particulier about the person asking only; for the others it "
               "is a document to bring";
    }
    if (!has_role) continue;
    auto role = request.others[k].find("role");
    if (role == request.others[k].end() ||
        (role->second != "\"spouse\"" && role->second != "\"child\"" && role->second != "\"other\""))
      return who + ": 'role' is spouse, child or other (the person asking is the applicant)";
  }
  return {};
}

// What the person stated of who lives with them, for the audit trail.
std::string household_statement(const InstantRequest& request) {
  if (!request.household_stated) return "";
  if (request.others.empty()) return ", the person stated they live alone";
  return ", the person stated the " + std::to_string(request.others.size()) + " other persons who live with them";
}

}  // namespace

std::vector<std::pair<std::string, Datum>> data_to_fetch(const Program& program) {
  std::vector<std::pair<std::string, Datum>> out;
  for (const InputDecl& in : program.inputs)
    if (in.api_particulier) out.push_back({in.label.empty() ? in.name : in.label, *in.api_particulier});
  return out;
}

bool decides_for_a_foyer(const Engine& engine) { return !engine.plans.empty() && reads_members(*engine.plans[0]); }

Result<InstantDecision> decide_instantly(const Engine& engine, const Program& program, ApiParticulierClient* client,
                                         const InstantRequest& request) {
  if (engine.plans.size() != 1 || engine.plans[0]->program->id != program.id)
    return Error{ErrorKind::kInternal, "an instant decision is taken with the program's own engine"};
  for (const auto& answer : request.answers) {
    const std::string& name = answer.first;
    auto in = std::find_if(program.inputs.begin(), program.inputs.end(), [&](const InputDecl& i) { return i.name == name; });
    if (in == program.inputs.end()) return Error{ErrorKind::kInput, "'" + name + "' is not an input of " + program.id};
    if (in->api_particulier) return Error{ErrorKind::kInput, "'" + name + "' is fetched from API Particulier, not answered"};
    if (in->entity == Entity::kPerson && (name == "role" || name == "birth_date"))
      return Error{ErrorKind::kInput, "'" + name + "' of the person asking is not answered: they are the applicant, born on "
                   "the date of their identity"};
  }
  // A decision on one person of a household would be taken on part of its
  // foyer (CSS R861-2, CASF R262-3): its other members' resources unread.
  const bool for_a_foyer = decides_for_a_foyer(engine);
  if (for_a_foyer && !request.household_stated)
    return Error{ErrorKind::kInput, program.id + " is decided for the foyer: the person states who lives with them (or that "
                 "they live alone), each with their situation; a decision on part of a household is not taken"};
  if (!for_a_foyer && !request.others.empty())
    return Error{ErrorKind::kInput, program.id + " is decided on the person's own data: nobody else's situation is asked"};
  if (request.others.size() > kMostOthers)
    return Error{ErrorKind::kInput, "at most " + std::to_string(kMostOthers) + " other persons are taken here; a larger "
                 "household's claim goes to " + program.authority};
  if (auto refused = refused_other_answers(program, request); !refused.empty()) return Error{ErrorKind::kInput, refused};
  InstantDecision out;
  out.reference = new_verification_code();
  std::string household = "{", person = "{\"id\":\"p1\",\"role\":\"applicant\"";
  if (request.person.birth_date) person += ",\"birth_date\":" + json_string(format_iso_date(*request.person.birth_date));
  std::vector<std::string> others(request.others.size());
  for (size_t k = 0; k < others.size(); ++k) others[k] = "{\"id\":\"p" + std::to_string(k + 2) + "\"";
  std::map<std::string, std::string> sources;
  for (const InputDecl& in : program.inputs) {
    const std::string label = in.label.empty() ? in.name : in.label;
    std::string value;
    if (in.api_particulier && !client) {
      out.documents.push_back({label, route_of(*in.api_particulier).document});
      sources[in.name] = "non demandée (ce service n'est pas relié à API Particulier) : justificatif à apporter";
    } else if (in.api_particulier) {
      FetchedDatum d = client->fetch(*in.api_particulier, request.person, request.date);
      if (d.attempts > 0)
        out.calls.push_back({0, request.actor, "API Particulier asked", fetch_audit_detail(d, request.purpose)});
      if (d.outcome == FetchOutcome::kConfiguration)
        return Error{ErrorKind::kRefused, "API Particulier refused the token or its scopes (" + d.detail + "): nothing was decided"};
      if (d.outcome == FetchOutcome::kFound) {
        value = d.value;
        sources[in.name] = fetched_source(d);
      } else {
        out.documents.push_back({label, route_of(d.datum).document});
        sources[in.name] = "demandée à " + d.provider + " par API Particulier (" + d.route + ") le " +
                           format_french_date(*parse_iso_date(d.fetched_on)) + ", non obtenue (" +
                           outcome_in_french(d.outcome) + ") : justificatif à apporter";
      }
      out.fetched.push_back(std::move(d));
    } else if (auto a = request.answers.find(in.name); a != request.answers.end()) {
      value = a->second;
    }
    // Fetched about the person asking only: for the others, no identity is
    // asked, so the same datum is a document to bring.
    if (in.api_particulier && in.entity == Entity::kPerson && !others.empty()) {
      for (size_t k = 0; k < others.size(); ++k)
        out.documents.push_back({label + " (personne " + std::to_string(k + 2) + ")", route_of(*in.api_particulier).document});
      sources[in.name] += " ; pour les autres personnes du foyer, non demandée : justificatif à apporter";
    }
    if (in.entity == Entity::kPerson && !in.api_particulier)
      for (size_t k = 0; k < others.size(); ++k)
        if (auto a = request.others[k].find(in.name); a != request.others[k].end())
          others[k] += "," + json_string(in.name) + ":" + a->second;
    if (value.empty()) continue;
    std::string& into = in.entity == Entity::kHousehold ? household : person;
    into += std::string(into.size() > 1 ? "," : "") + json_string(in.name) + ":" + value;
  }
  std::string persons = person + "}";
  for (const std::string& other : others) persons += "," + other + "}";
  const std::string situation = "{\"id\":" + json_string(out.reference) + ",\"date\":" +
                                json_string(format_iso_date(request.date)) + ",\"household\":" + household +
                                "},\"persons\":[" + persons + "]}";
  StreamOptions options;
  options.explain = true;
  options.date = request.date;
  DecisionFormatter format = [&](std::string&, const std::string&, const std::string* who, const BoundPlan& bound,
                                 const Batch& batch, const Outcome& outcome, size_t row, const CodeTable& codes) {
    if (who && *who != "p1") return;
    append_decision(out.decision_json, out.reference, who, bound, batch, outcome, row, codes, false);
    while (!out.decision_json.empty() && out.decision_json.back() == '\n') out.decision_json.pop_back();
    out.status = status_name(outcome.status[row]);
    if (outcome.explanations[row]) append_explanation_json(out.explanation_json, *outcome.explanations[row]);
  };
  auto evaluated = evaluate_situation_text(engine, situation, options, format, kDeclaredAtRequest, sources);
  if (!evaluated) return evaluated.error();
  if (!evaluated->refused.empty()) return Error{ErrorKind::kInput, "an answer was refused: " + evaluated->refused.front().reason};
  if (out.status.empty()) return Error{ErrorKind::kInternal, "the program gave no decision"};

  return out;
}

Result<void> record_instant_decision(Store& store, const Program& program, const InstantRequest& request,
                                             const InstantDecision& decision) {
  // Kept like a campaign's decision, under a run of the day's instant
  // decisions for this program, so that the person and agents find it and
  // an objection reaches it.
  auto hash = program_hash(program);
  if (!hash) return hash.error();
  const std::string day = format_iso_date(request.date);
  CampaignRun run{"instant:" + program.id + ":" + day, "instant:" + program.id, day, day, "instant decisions",
                  program.authority};
  StoredDecision d{program.id, decision.reference, day, run.run_id, {"p1"}, decision.status, decision.decision_json,
                   decision.explanation_json, *hash, day};
  std::vector<AuditEntry> audits = decision.calls;
  audits.push_back({0, request.actor, "instant decision",
                    decision.reference + " (" + program.id + "): " + decision.status + ", " +
                        std::to_string(decision.fetched.size()) + " data asked of API Particulier" +
                        household_statement(request)});
  return store.record_instant_decision(run, d, audits);
}

}  // namespace proactif
