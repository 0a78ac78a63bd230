#include "campaign/instant_decision.hpp"

#include <algorithm>
#include <optional>

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

// The age under which both foyers may count a person at another's charge
// (CSS R861-2, CASF R262-3).
constexpr int kAgeOfCharge = 25;

// A date answered (a JSON string), nothing when not answered; a malformed
// one is the situation reader's to refuse, with its reason.
struct AnsweredDate {
  bool given = false;
  std::optional<Days> date;
};
AnsweredDate answered_date(const std::map<std::string, std::string>& answers, const std::string& name) {
  auto a = answers.find(name);
  if (a == answers.end()) return {};
  if (a->second.size() < 2 || a->second.front() != '"') return {true, std::nullopt};
  return {true, parse_iso_date(a->second.substr(1, a->second.size() - 2))};
}

// What the person stated of who lives with them, for the audit trail.
std::string household_statement(const InstantRequest& request, bool for_a_foyer) {
  if (!for_a_foyer || !request.household_stated) return "";
  if (request.others.empty()) return ", the person stated they live alone";
  return ", the person stated the " + std::to_string(request.others.size()) + " other persons who live with them";
}

}  // namespace

std::optional<HouseholdRefusal> refused_household(const Program& program, const InstantRequest& request) {
  const bool has_role = std::any_of(program.inputs.begin(), program.inputs.end(), [](const InputDecl& i) {
    return i.name == "role" && i.entity == Entity::kPerson;
  });
  // A person asking whose birth date is not given may be under that age.
  const std::optional<Days> born = request.person.birth_date;
  const bool young = !born || age_in_years(*born, request.date) < kAgeOfCharge;
  size_t spouses = 0;
  for (size_t k = 0; k < request.others.size(); ++k) {
    const std::string who = "person " + std::to_string(k + 2);
    for (const auto& answer : request.others[k]) {
      const std::string& name = answer.first;
      auto in = std::find_if(program.inputs.begin(), program.inputs.end(), [&](const InputDecl& i) { return i.name == name; });
      if (in == program.inputs.end() || in->entity != Entity::kPerson)
        return HouseholdRefusal{k, "", who + ": '" + name.substr(0, 40) + "' is not an input of " + program.id +
                                           " about a person",
                                "Une réponse ne porte pas sur une question de ce programme."};
      if (in->api_particulier && in->stated.empty())
        return HouseholdRefusal{k, "", who + ": '" + name + "' is fetched from API Particulier about the person asking only; "
                                "for the others it is a document to bring", "Cette information ne se déclare pas ici."};
    }
    if (!has_role) continue;
    auto role = request.others[k].find("role");
    const std::string given = role == request.others[k].end() ? "" : role->second;
    if (given != "\"spouse\"" && given != "\"child\"" && given != "\"other\"")
      return HouseholdRefusal{k, "role", who + ": 'role' is spouse, child or other (the person asking is the applicant)",
                              "Indiquez sa place dans le foyer : conjoint, enfant ou autre personne."};
    if (given == "\"spouse\"" && ++spouses > 1)
      return HouseholdRefusal{k, "role", who + ": a second spouse; the person asking has one spouse or partner at most",
                              "Une seule personne peut être le conjoint ou partenaire de la personne qui demande."};
    const AnsweredDate their_birth = answered_date(request.others[k], "birth_date");
    if (their_birth.given && !their_birth.date) continue;  // refused by the reader, with its reason
    if (given == "\"child\"" && born && their_birth.date && *their_birth.date < *born)
      return HouseholdRefusal{k, "role", who + ": listed as a child of the person asking, but born before them",
                              "Cette personne est indiquée comme un enfant, mais elle est née avant la personne qui "
                              "demande."};
    // An adult the person lives with may have them at charge (a parent):
    // the person then belongs to that adult's foyer, which is not the one
    // asked about here.
    if (young && given == "\"other\"" &&
        (!their_birth.date || age_in_years(*their_birth.date, request.date) >= kAgeOfCharge))
      return HouseholdRefusal{
          k, "role",
          who + ": the person asking is under " + std::to_string(kAgeOfCharge) + " (or their birth date is not given) "
              "and lives with this adult, who may have them at charge (CSS R861-2, CASF R262-3): the claim is made for "
              "that adult's foyer, with the adult asking",
          "La personne qui demande a moins de " + std::to_string(kAgeOfCharge) + " ans (ou sa date de naissance n'est pas "
              "connue) et vit avec cet adulte : s'il l'a à sa charge (un parent), elle fait partie de son foyer, et la "
              "demande se fait pour ce foyer, par lui. S'il ne l'a pas à sa charge (un colocataire), ou si elle assume "
              "elle-même la charge d'un enfant, ce calcul ne peut pas répondre : l'organisme qui verse l'aide examine "
              "sa demande."};
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, Datum>> data_to_fetch(const Program& program) {
  std::vector<std::pair<std::string, Datum>> out;
  for (const InputDecl& in : program.inputs)
    if (in.api_particulier) out.push_back({in.label.empty() ? in.name : in.label, *in.api_particulier});
  return out;
}

bool decides_for_a_foyer(const Engine& engine) { return !engine.plans.empty() && reads_members(*engine.plans[0]); }

Result<InstantDecision> decide_instantly(const Engine& engine, const Program& program, ApiParticulierClient* client,
                                         const InstantRequest& request, std::vector<AuditEntry>* calls_made) {
  if (engine.plans.size() != 1 || engine.plans[0]->program->id != program.id)
    return Error{ErrorKind::kInternal, "an instant decision is taken with the program's own engine"};
  for (const auto& answer : request.answers) {
    const std::string& name = answer.first;
    auto in = std::find_if(program.inputs.begin(), program.inputs.end(), [&](const InputDecl& i) { return i.name == name; });
    if (in == program.inputs.end()) return Error{ErrorKind::kInput, "'" + name + "' is not an input of " + program.id};
    if (in->api_particulier && in->stated.empty())
      return Error{ErrorKind::kInput, "'" + name + "' is fetched from API Particulier, not answered"};
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
  if (auto refused = refused_household(program, request)) return Error{ErrorKind::kInput, refused->english};
  InstantDecision out;
  out.reference = new_verification_code();
  out.for_a_foyer = for_a_foyer;
  // The situation with the answers and, once fetched, the data: its persons
  // are the person asking (the applicant) then the others.
  std::string household = "{", person = "{\"id\":\"p1\",\"role\":\"applicant\"";
  if (request.person.birth_date) person += ",\"birth_date\":" + json_string(format_iso_date(*request.person.birth_date));
  std::vector<std::string> others(request.others.size());
  for (size_t k = 0; k < others.size(); ++k) others[k] = "{\"id\":\"p" + std::to_string(k + 2) + "\"";
  auto add = [](std::string& into, const std::string& name, const std::string& value) {
    into += std::string(into.size() > 1 ? "," : "") + json_string(name) + ":" + value;
  };
  // The person's statement of a datum fetched about them stands only where
  // the fetch does not give it; read with the other answers all the same.
  std::string household_stated = household, person_stated = person;
  for (const InputDecl& in : program.inputs) {
    if (auto a = request.answers.find(in.name); a != request.answers.end()) {
      if (!in.api_particulier) add(in.entity == Entity::kHousehold ? household : person, in.name, a->second);
      add(in.entity == Entity::kHousehold ? household_stated : person_stated, in.name, a->second);
    }
    if (in.entity == Entity::kPerson)
      for (size_t k = 0; k < others.size(); ++k)
        if (auto a = request.others[k].find(in.name); a != request.others[k].end()) add(others[k], in.name, a->second);
  }
  auto situation = [&](const std::string& household_data, const std::string& person_data) {
    std::string persons = person_data + "}";
    for (const std::string& other : others) persons += "," + other + "}";
    return "{\"id\":" + json_string(out.reference) + ",\"date\":" + json_string(format_iso_date(request.date)) +
           ",\"household\":" + household_data + "},\"persons\":[" + persons + "]}";
  };
  StreamOptions options;
  options.date = request.date;
  // The answers read before anything is fetched: a refused one costs the
  // person no call to an administration.
  {
    DecisionFormatter nothing = [](std::string&, const std::string&, const std::string*, const BoundPlan&, const Batch&,
                                   const Outcome&, size_t, const CodeTable&) {};
    auto read = evaluate_situation_text(engine, situation(household_stated, person_stated), options, nothing, kDeclaredAtRequest);
    if (!read) return read.error();
    if (!read->refused.empty()) return Error{ErrorKind::kInput, "an answer was refused: " + read->refused.front().reason};
  }
  std::map<std::string, std::string> sources;
  // The data the decision waits for, with what is known so far: only those
  // are asked of API Particulier, one after the other in the program's
  // order (GDPR art. 5 1 c; a person at the free C2S's ceiling has nothing
  // to prove of the RSA), and only those are documents to bring.
  auto missing_now = [&]() -> Result<std::vector<std::string>> {
    std::string line, status;
    DecisionFormatter capture = [&](std::string&, const std::string&, const std::string* who, const BoundPlan& bound,
                                    const Batch& batch, const Outcome& outcome, size_t row, const CodeTable& codes) {
      if (who && *who != "p1") return;
      append_decision(line, out.reference, who, bound, batch, outcome, row, codes, false);
      status = status_name(outcome.status[row]);
    };
    auto read = evaluate_situation_text(engine, situation(household, person), options, capture, kDeclaredAtRequest);
    if (!read) return read.error();
    if (!read->refused.empty()) return Error{ErrorKind::kInput, "an answer was refused: " + read->refused.front().reason};
    if (status.empty()) return Error{ErrorKind::kInternal, "the program gave no decision"};
    return representative_line(line, status, {}).missing;
  };
  // Per datum fetched about the person asking only, the same for each other
  // person: a document to bring where their decision waits for it.
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> others_documents;  // missing key, (label, document)
  // Per datum of the person asking (or their household) not obtained, the
  // document that stands in for it: listed where the decision waits for it.
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> own_documents;
  for (const InputDecl& in : program.inputs) {
    if (!in.api_particulier) continue;
    const std::string label = in.label.empty() ? in.name : in.label;
    const std::string key = in.entity == Entity::kHousehold ? "household." + in.name : "persons.p1." + in.name;
    // What stands in for the datum not obtained: a document, or where the
    // program takes it, the person's statement first: a person who is not a
    // student has no certificate that says so.
    std::string document = route_of(*in.api_particulier).document;
    if (!in.stated.empty()) document = "sa déclaration (" + in.stated + ") ; ou " + document;
    const auto statement = in.stated.empty() ? request.answers.end() : request.answers.find(in.name);
    const bool stated = statement != request.answers.end();
    const std::string stated_source = std::string(kDeclaredAtRequest) + " (" + in.stated + ")";
    std::string value;
    auto missing = missing_now();
    if (!missing) {
      if (calls_made) *calls_made = out.calls;
      return missing.error();
    }
    // A parameter without a value on the date (a fare's ceiling no longer
    // in force) leaves the decision undetermined whatever the datum: the
    // person's data are not fetched for a decision they cannot settle.
    const bool without_parameter = std::any_of(missing->begin(), missing->end(), [](const std::string& m) {
      return m.starts_with("parameters.");
    });
    if (without_parameter || std::find(missing->begin(), missing->end(), key) == missing->end()) {
      // A statement costs nobody a call: kept, as the person gave it.
      const std::string unneeded = without_parameter ? "non demandée à API Particulier : le programme n'a pas, à cette "
                                                       "date, toutes les valeurs que fixent ses textes"
                                                     : "non demandée à API Particulier : la décision n'en dépend pas";
      if (stated) {
        value = statement->second;
        ++out.statements;
        sources[in.name] = stated_source + " ; " + unneeded;
      } else {
        sources[in.name] = unneeded;
      }
    } else if (!client) {
      const std::string not_asked = "non demandée (ce service n'est pas relié à API Particulier)";
      if (stated) {
        value = statement->second;
        ++out.statements;
        sources[in.name] = stated_source + " ; " + not_asked;
      } else {
        own_documents.push_back({key, {label, document}});
        sources[in.name] = not_asked + " : justificatif à apporter";
      }
    } else {
      FetchedDatum d = client->fetch(*in.api_particulier, request.person, request.date);
      if (d.attempts > 0)
        out.calls.push_back({0, request.actor, "API Particulier asked", fetch_audit_detail(d, request.purpose)});
      if (d.outcome == FetchOutcome::kConfiguration) {
        if (calls_made) *calls_made = out.calls;
        return Error{ErrorKind::kRefused, "API Particulier refused the token or its scopes (" + d.detail + "): nothing was decided"};
      }
      const std::string not_obtained = "demandée par API Particulier (" + d.route + ", fournisseur : " + d.provider +
                                       ") le " + format_french_date(*parse_iso_date(d.fetched_on)) + ", non obtenue (" +
                                       outcome_in_french(d.outcome) + ")";
      if (d.outcome == FetchOutcome::kFound && stated && statement->second != d.value) {
        // The ministry misses some students, and a person may state what
        // goes against their own claim: neither is taken for the other. The
        // document that proves the datum settles a statement that it holds;
        // one that it does not (no longer enrolled) needs another proof.
        own_documents.push_back({key, {label, d.value == "true" ? "un justificatif de sa déclaration (" + label +
                                                                " : non), contraire à la réponse obtenue par API "
                                                                "Particulier (fournisseur : " + d.provider + ")"
                                                          : route_of(d.datum).document}});
        sources[in.name] = "déclaration de la personne et réponse obtenue par API Particulier (" + d.route +
                           ", fournisseur : " + d.provider + ", le " + format_french_date(*parse_iso_date(d.fetched_on)) +
                           ") contraires : justificatif à apporter";
      } else if (d.outcome == FetchOutcome::kFound) {
        value = d.value;
        sources[in.name] = fetched_source(d);
      } else if (stated) {
        value = statement->second;
        ++out.statements;
        sources[in.name] = stated_source + " ; " + not_obtained;
      } else {
        own_documents.push_back({key, {label, document}});
        sources[in.name] = not_obtained + " : justificatif à apporter";
      }
      out.fetched.push_back(std::move(d));
    }
    if (in.entity == Entity::kPerson && !others.empty()) {
      for (size_t k = 0; k < others.size(); ++k)
        others_documents.push_back({"persons.p" + std::to_string(k + 2) + "." + in.name,
                                    {label + " (personne " + std::to_string(k + 2) + ")", document}});
      const std::string not_fetched = client ? "API Particulier n'est pas interrogée sur cette personne (son identité "
                                               "ne l'est pas)"
                                             : "ce service n'est pas relié à API Particulier";
      if (in.stated.empty()) {
        sources[kOtherPersons + in.name] = client ? "non demandée pour cette personne (son identité ne l'est pas) : "
                                                    "justificatif à apporter"
                                                  : sources[in.name];
      } else {
        sources[kOtherPersons + in.name] = "non déclaré par la personne pour cette personne ; " + not_fetched;
        sources[kOtherPersonsStated + in.name] = std::string(kDeclaredAtRequest) + " pour cette personne (" + in.stated +
                                                 ") ; " + not_fetched;
        for (const auto& other : request.others) out.statements += other.count(in.name);
      }
    }
    if (!value.empty()) add(in.entity == Entity::kHousehold ? household : person, in.name, value);
  }
  options.explain = true;
  DecisionFormatter format = [&](std::string&, const std::string&, const std::string* who, const BoundPlan& bound,
                                 const Batch& batch, const Outcome& outcome, size_t row, const CodeTable& codes) {
    if (who && *who != "p1") return;
    append_decision(out.decision_json, out.reference, who, bound, batch, outcome, row, codes, false);
    while (!out.decision_json.empty() && out.decision_json.back() == '\n') out.decision_json.pop_back();
    out.status = status_name(outcome.status[row]);
    if (outcome.explanations[row]) append_kept_explanation_json(out.explanation_json, *outcome.explanations[row]);
  };
  // From here an error leaves calls made: they are audited all the same.
  if (calls_made) *calls_made = out.calls;
  auto evaluated =
      evaluate_situation_text(engine, situation(household, person), options, format, kDeclaredAtRequest, sources);
  if (!evaluated) return evaluated.error();
  if (!evaluated->refused.empty()) return Error{ErrorKind::kInput, "an answer was refused: " + evaluated->refused.front().reason};
  if (out.status.empty()) return Error{ErrorKind::kInternal, "the program gave no decision"};
  const std::vector<std::string> missing = representative_line(out.decision_json, out.status, {}).missing;
  for (const auto* documents : {&own_documents, &others_documents})
    for (const auto& [key, document] : *documents)
      if (std::find(missing.begin(), missing.end(), key) != missing.end()) out.documents.push_back(document);

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
  // The person is found by the reference alone: "p1", the situation's own
  // name for them, names someone in every counter decision, and a search
  // for it would list them all.
  StoredDecision d{program.id, decision.reference, day, run.run_id, {}, decision.status, decision.decision_json,
                   decision.explanation_json, *hash, day};
  std::vector<AuditEntry> audits = decision.calls;
  audits.push_back({0, request.actor, "instant decision",
                    decision.reference + " (" + program.id + "): " + decision.status + ", " +
                        std::to_string(std::count_if(decision.fetched.begin(), decision.fetched.end(),
                                                     [](const FetchedDatum& d) { return d.attempts > 0; })) +
                        " data asked of API Particulier" +
                        (decision.statements ? ", " + std::to_string(decision.statements) + " taken on the person's "
                                                   "statement" : "") +
                        household_statement(request, decision.for_a_foyer)});
  return store.record_instant_decision(run, d, audits);
}

Result<void> record_calls_without_decision(Store& store, const std::vector<AuditEntry>& calls) {
  for (const AuditEntry& call : calls)
    if (auto err = store.audit(call.actor, call.operation, call.detail + " (no decision taken)"); !err.ok()) return err;
  return {};
}

}  // namespace proactif
