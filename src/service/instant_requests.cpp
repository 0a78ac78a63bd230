// Instant decisions at the counter: an agent signed in (or a tool with an
// agent's API token) gives the person's identity and answers, with the
// person's consent to the data listed being fetched; the program's
// API Particulier data are fetched, the decision taken, stored under a
// reference and explained, naming each datum's provider, route and date;
// for each datum that could not be fetched, the document to bring instead.
//
// Only agents ask: a person's identity traits are not a secret, and an
// answer shows their quotient familial's band; a person asking online would
// need to prove who they are (FranceConnect), which is not built here.
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "campaign/instant_decision.hpp"
#include "core/date.hpp"
#include "core/json_text.hpp"
#include "eval/explanation_json.hpp"
#include "eval/explanation_text.hpp"
#include "service/agent_access.hpp"
#include "service/html.hpp"
#include "service/input_fields.hpp"
#include "service/routes.hpp"

namespace proactif {

namespace {

bool may_ask(const AgentAccount& a, const std::string& program) {
  return a.role == "admin" || (a.role == "agent" && a.covers(program));
}

// Its inputs the person answers: not those fetched unless the program takes
// their statement where the fetch gives nothing, nor their birth date (from
// the identity), nor their place in the household (the applicant).
bool answered(const InputDecl& in) {
  return (!in.api_particulier || !in.stated.empty()) &&
         !(in.entity == Entity::kPerson && (in.name == "birth_date" || asked_of_others_only(in)));
}

// Under a datum the person states where it is not obtained: when their
// statement is read.
std::string statement_hint(const InputDecl& in, bool of_the_person_asking, bool fetching) {
  if (in.stated.empty()) return "";
  const std::string statement = "Déclaration de la personne (" + in.stated + ")";
  if (!of_the_person_asking) return statement;
  if (!fetching) return statement + " : ce service n'est pas relié à API Particulier";
  return statement + " : retenue si l'information n'est pas obtenue par API Particulier (" +
         route_of(*in.api_particulier).provider + "), ou n'y est pas demandée, la décision n'en dépendant pas";
}

std::string text_input(const std::string& name, const std::string& label, const std::string& hint,
                       const FormAnswers& answers, const std::string& type = "text", const std::string& extra = "") {
  return "<div class=\"fr-input-group\"><label class=\"fr-label\" for=\"" + name + "\">" + label +
         (hint.empty() ? "" : "<span class=\"fr-hint-text\">" + hint + "</span>") + "</label><input class=\"fr-input\" type=\"" +
         type + "\" id=\"" + name + "\" name=\"" + name + "\" value=\"" + html_escape(answers.value(name)) + "\"" + extra +
         "></div>\n";
}

// What the form says of a household larger than it takes.
std::string too_many_persons() {
  return "Ce formulaire prend un foyer de " + std::to_string(kMostOthers + 1) +
         " personnes au plus : la décision d'un foyer plus grand ne se prend pas ici.";
}

// The persons of the household the form lists, the person asking included:
// one until the agent adds the others (the form always sends a number:
// anything else is taken for one); 0 for more than the form offers, which
// is refused rather than decided for fewer persons.
size_t persons_listed(const FormAnswers& answers) {
  const std::string text = answers.value("personnes");
  size_t n = 1;
  if (!text.empty() && text.size() <= 2 && text.find_first_not_of("0123456789") == std::string::npos) {
    n = std::max<size_t>(std::stoul(text), 1);
    if (n > kMostOthers + 1) return 0;
  }
  const std::string action = answers.value("action");
  if (action == "ajouter") n = std::min(n + 1, kMostOthers + 1);
  if (action == "retirer") n = std::max<size_t>(n - 1, 1);
  return n;
}

// What is asked about another person living with the person asking: every
// input about a person that is not fetched (no identity of theirs is asked),
// or that the program takes the person's statement of.
bool asked_of_others(const InputDecl& in) {
  return in.entity == Entity::kPerson && (!in.api_particulier || !in.stated.empty());
}

// The foyer's part of the form: the persons who live with the person asking,
// each with their answers, and the statement that they are all, which the
// agent ticks again whenever the list changes.
std::string foyer_fields(const Program& program, const FormAnswers& answers, size_t persons,
                         const std::map<std::string, std::string>& errors, bool fetching) {
  std::string out = "<h2 id=\"foyer\">Son foyer</h2>\n<p>Ce droit se décide pour le foyer (conjoint, enfants et personnes à "
                    "charge) : la situation de chacun compte. Ajoutez chaque personne qui vit avec elle, avec sa situation. "
                    "Rien n'est demandé aux administrations sur ces personnes : ce que le programme en demanderait se "
                    "déclare ci-dessous quand il le permet, sinon c'est un justificatif à apporter.</p>\n";
  for (size_t p = 1; p < persons; ++p) {
    out += "<fieldset class=\"fr-fieldset\" id=\"personne" + std::to_string(p + 1) + "\"><legend class=\"fr-fieldset__legend\">"
           "Personne " + std::to_string(p + 1) + " vivant avec elle</legend>\n";
    for (const InputDecl& in : program.inputs)
      if (asked_of_others(in))
        out += "<div class=\"fr-fieldset__element\">" +
               field(in, static_cast<int>(p), answers, error_at(errors, field_name(in, static_cast<int>(p))),
                     statement_hint(in, false, fetching)) + "</div>";
    out += "</fieldset>\n";
  }
  const std::string stated = persons == 1
      ? "La personne vit seule : ni conjoint ou partenaire, ni enfant, ni autre personne sous son toit"
      : "Les personnes indiquées sont toutes celles qui vivent avec la personne";
  const bool ticked = answers.value("action") == "decider" && !answers.value("foyer_complet").empty();
  return out + "<div class=\"fr-checkbox-group fr-mb-4w\"><input type=\"checkbox\" id=\"foyer_complet\" "
               "name=\"foyer_complet\" value=\"oui\" required" + (ticked ? " checked" : "") +
               "><label class=\"fr-label\" for=\"foyer_complet\">" + stated + "</label></div>\n";
}

// A refusal of the situation's reader ("persons.p2.birth_date: ...", or
// "household.commune: ...") shown at the field it names; what the page says
// above the form.
std::string mark_refused_answer(const Program& program, const std::string& reason,
                                std::map<std::string, std::string>& errors) {
  auto refused = refused_answer(program, reason, static_cast<int>(kMostOthers) + 1);
  if (!refused) return "Aucune décision : une réponse n'est pas valable.";
  const InputDecl& in = *refused->input;
  // The person's own birth date comes from their identity.
  if (refused->person == 0 && !answered(in))
    return "Aucune décision : « " + (in.label.empty() ? in.name : in.label) + " » de la personne n'est pas valable "
           "(une date à venir ?).";
  errors[field_name(in, refused->person)] = "Cette réponse n'est pas valable ici (vérifiez-la).";
  return "Aucune décision : une réponse n'est pas valable, elle est signalée ci-dessous.";
}

std::string request_form(const Program& program, const AgentSession& session, const FormAnswers& answers,
                         const std::map<std::string, std::string>& errors, bool fetching, bool for_a_foyer,
                         size_t persons) {
  std::string out = "<form method=\"post\" action=\"/agent/demande\">\n<input type=\"hidden\" name=\"jeton\" value=\"" +
                    session.csrf + "\"><input type=\"hidden\" name=\"programme\" value=\"" + html_escape(program.id) +
                    "\"><input type=\"hidden\" name=\"personnes\" value=\"" + std::to_string(persons) + "\">\n";
  out += "<h2>La personne</h2>\n<p>Vérifiez son identité sur une pièce d'identité.</p>\n";
  out += text_input("nom_naissance", "Nom de naissance", "", answers, "text", " required autocomplete=\"off\"");
  out += text_input("nom_usage", "Nom d'usage (facultatif)", "", answers, "text", " autocomplete=\"off\"");
  out += text_input("prenoms", "Prénoms", "dans l'ordre de l'état civil, séparés par une espace", answers, "text",
                    " required autocomplete=\"off\"");
  out += text_input("date_naissance", "Date de naissance", "", answers, "date", " required");
  out += "<fieldset class=\"fr-fieldset\" id=\"sexe\"><legend class=\"fr-fieldset__legend fr-text--regular\">Sexe à l'état "
         "civil</legend>";
  for (auto [value, words] : {std::pair{"F", "Féminin"}, {"M", "Masculin"}})
    out += std::string("<div class=\"fr-fieldset__element fr-fieldset__element--inline\"><div class=\"fr-radio-group\">"
                       "<input type=\"radio\" id=\"sexe-") + value + "\" name=\"sexe\" value=\"" + value + "\"" +
           (answers.value("sexe") == value ? " checked" : "") + " required><label class=\"fr-label\" for=\"sexe-" + value +
           "\">" + words + "</label></div></div>";
  out += "</fieldset>\n";
  out += text_input("commune_naissance", "Commune de naissance (code INSEE)", "5 caractères ; vide pour une personne née "
                    "hors de France", answers);
  out += text_input("pays_naissance", "Pays de naissance (code INSEE)", "99100 pour la France", answers);
  out += text_input("ine", "Numéro INE (étudiants, facultatif)", "11 caractères, sur la carte d'étudiant", answers);
  std::string asked;
  for (const InputDecl& in : program.inputs) {
    if (!answered(in)) continue;
    const int person = in.entity == Entity::kHousehold ? -1 : 0;
    asked += field(in, person, answers, error_at(errors, field_name(in, person)), statement_hint(in, true, fetching));
  }
  if (!asked.empty()) out += "<h2>Ses réponses</h2>\n" + asked;
  if (for_a_foyer) out += foyer_fields(program, answers, persons, errors, fetching);
  const auto data = data_to_fetch(program);
  if (!data.empty()) {
    out += "<h2>Les informations demandées aux administrations</h2>\n";
    if (fetching) {
      out += "<p>Avec l'accord de la personne, celles de ces informations dont la décision a besoin, après ses réponses, "
             "sont demandées directement à l'administration qui les détient, par API Particulier (Code des relations "
             "entre le public et l'administration, art. L114-8) ; elle n'a pas à en apporter la preuve :</p>\n<ul>\n";
      for (const auto& [label, datum] : data)
        out += "<li>" + html_escape(label) + " : " + html_escape(route_of(datum).provider) + "</li>\n";
      out += "</ul>\n<div class=\"fr-checkbox-group fr-mb-4w\"><input type=\"checkbox\" id=\"accord\" name=\"accord\" "
             "value=\"oui\" required><label class=\"fr-label\" for=\"accord\">La personne accepte que ces informations "
             "soient demandées pour cette décision</label></div>\n";
    } else {
      out += "<p>Ce service n'est pas relié à API Particulier : la personne apporte les justificatifs, que la réponse "
             "énumère.</p>\n<input type=\"hidden\" name=\"accord\" value=\"sans objet\">\n";
    }
  }
  // Décider first: the button that pressing Enter in a field presses.
  out += "<ul class=\"fr-btns-group fr-btns-group--inline-md\">\n<li><button class=\"fr-btn\" type=\"submit\" "
         "name=\"action\" value=\"decider\">Décider</button></li>\n";
  // Back at the foyer's part after adding or removing a person.
  if (for_a_foyer && persons <= kMostOthers)
    out += "<li><button class=\"fr-btn fr-btn--secondary\" type=\"submit\" name=\"action\" value=\"ajouter\" "
           "formaction=\"/agent/demande#personne" + std::to_string(persons + 1) + "\" formnovalidate>Ajouter une personne "
           "vivant avec elle</button></li>\n";
  else if (for_a_foyer)
    out += "<li><p>" + too_many_persons() + "</p></li>\n";
  if (for_a_foyer && persons > 1)
    out += "<li><button class=\"fr-btn fr-btn--tertiary\" type=\"submit\" name=\"action\" value=\"retirer\" "
           "formaction=\"/agent/demande#foyer\" formnovalidate>Retirer la dernière personne (personne " +
           std::to_string(persons) + ")</button></li>\n";
  return out + "</ul>\n</form>\n";
}

// The identity the form gives, or the reason it does not.
Result<CivilIdentity> identity_from(const FormAnswers& answers) {
  std::string json = "{";
  auto add = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    json += std::string(json.size() > 1 ? "," : "") + "\"" + key + "\":" + json_string(value);
  };
  add("birth_name", answers.value("nom_naissance"));
  add("usage_name", answers.value("nom_usage"));
  add("birth_date", answers.value("date_naissance"));
  add("sex", answers.value("sexe"));
  add("birth_commune", answers.value("commune_naissance"));
  add("birth_country", answers.value("pays_naissance"));
  add("ine", answers.value("ine"));
  std::string names;
  std::string given = answers.value("prenoms");
  for (size_t at = 0; at < given.size();) {
    size_t space = given.find(' ', at);
    if (space == std::string::npos) space = given.size();
    if (space > at) names += (names.empty() ? "" : ",") + json_string(given.substr(at, space - at));
    at = space + 1;
  }
  json += std::string(json.size() > 1 ? "," : "") + "\"first_names\":[" + names + "]}";
  auto who = read_civil_identity(json);
  if (!who)
    return Error{ErrorKind::kInput, "L'identité n'est pas valable : vérifiez la date de naissance, la commune de naissance "
                 "(code INSEE de 5 caractères), le pays de naissance (code INSEE, 99100 pour la France) et le numéro INE "
                 "(11 caractères)."};
  if (who->birth_name.empty() || who->first_names.empty() || !who->birth_date || !who->sex)
    return Error{ErrorKind::kInput, "le nom de naissance, les prénoms, la date de naissance et le sexe sont nécessaires"};
  return who;
}

std::string result_html(const Program& program, const InstantDecision& d) {
  const char* kind = d.status == "eligible" ? "success" : d.status == "ineligible" ? "info" : "warning";
  const std::string title = d.status == "eligible"     ? "La personne remplit les conditions examinées"
                            : d.status == "ineligible" ? "La personne ne remplit pas les conditions examinées"
                                                       : "Des informations manquent pour décider";
  std::string out = "<div class=\"fr-alert fr-alert--" + std::string(kind) + " fr-mb-4w\" role=\"status\"><h2 "
                    "class=\"fr-alert__title\">" + title + "</h2><p>Référence de la décision : <strong>" +
                    html_escape(d.reference) + "</strong>. Elle est enregistrée ; la personne peut s'y opposer.</p></div>\n";
  if (!d.fetched.empty()) {
    std::string rows;
    for (const FetchedDatum& f : d.fetched)
      rows += "<tr><td>" + html_escape(datum_name(f.datum)) + "</td><td>" + html_escape(f.provider) + "</td><td>" +
              html_escape(f.route) + "</td><td>" + outcome_in_french(f.outcome) + "</td></tr>\n";
    out += html_table("Informations demandées par API Particulier", {"Donnée", "Administration", "Service", "Résultat"}, rows);
  }
  if (!d.documents.empty()) {
    out += "<h2>Justificatifs à apporter</h2>\n<p>Ces informations n'ont pas pu être obtenues : pour que la demande soit "
           "examinée, la personne apporte ou dépose auprès de " + html_escape(program.authority) + " :</p>\n<ul>\n";
    for (const auto& [label, document] : d.documents)
      out += "<li>" + html_escape(label) + " : " + html_escape(document) + "</li>\n";
    out += "</ul>\n";
  }
  auto explanation = explanation_from_json(d.explanation_json);
  if (explanation) out += "<h2>Explication de la décision</h2>\n" +
                          html_paragraphs(stored_decision_text(*explanation, "demande " + d.reference, d.status,
                                                               d.decision_json, {}));
  return out;
}

// The decision kept with its trail, under this process's writer lock; the
// connection dropped on a failure, so that the next request reconnects.
Result<void> record(Service& service, const Program& program, const InstantRequest& request,
                            const InstantDecision& decided) {
  auto store = service.store();
  if (!store) return store.error();
  auto writing = service.writing();
  auto err = record_instant_decision(**store, program, request, decided);
  if (!err.ok()) service.drop_store();
  return err;
}

// The calls made for a decision that was not taken (a token refused, or an
// error after the person's identity was sent), in the audit trail all the same.
void record_calls(Service& service, const std::vector<AuditEntry>& calls) {
  if (calls.empty()) return;
  auto store = service.store();
  auto failed = [&] {
    std::fprintf(stderr, "instant decision not taken: %zu call(s) to API Particulier could not be recorded in the audit trail\n",
                 calls.size());
  };
  if (!store) return failed();
  auto writing = service.writing();
  if (record_calls_without_decision(**store, calls).ok()) return;
  service.drop_store();
  failed();
}

void request_page(Service& service, const httplib::Request& req, httplib::Response& res, bool sent) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  const std::string id = req.has_param("programme") ? req.get_param_value("programme").substr(0, 64) : "";
  const Program* program = service.program(id);
  if (!program) {
    std::string list;
    for (const auto& p : service.program_ids())
      if (may_ask(session->agent, p) && !data_to_fetch(*service.program(p)).empty())
        list += "<li><a href=\"/agent/demande?programme=" + html_escape(p) + "\">" + html_escape(service.program(p)->title) +
                "</a></li>\n";
    agent_page(res, "Demande d'une personne au guichet",
               signed_in_bar(*session) + (list.empty() ? "<p>Aucun de vos programmes ne se décide ainsi.</p>"
                                                       : "<p>Le programme demandé :</p>\n<ul>\n" + list + "</ul>\n"),
               id.empty() ? 200 : 404);
    return;
  }
  if (!may_ask(session->agent, program->id)) {
    audit_refused(service, "agent " + session->agent.login, "a counter request for " + program->id + ", not one of their programs");
    agent_page(res, "Demande refusée", signed_in_bar(*session) + "<p>Ce programme n'est pas des vôtres.</p>", 403);
    return;
  }
  std::map<std::string, std::string> errors;
  std::string body = signed_in_bar(*session);
  const std::string title = "Demander : " + program->title;
  auto engine = service.engine_for({program->id});
  if (!engine) {
    agent_page(res, title, body + "<p>Le service est indisponible : rien n'a été demandé.</p>", 503);
    return;
  }
  const FormAnswers answers{sent ? &req : nullptr, (*engine)->territory.get()};
  const bool for_a_foyer = decides_for_a_foyer(**engine);
  size_t persons = for_a_foyer ? persons_listed(answers) : 1;
  if (persons == 0) {
    errors[""] = too_many_persons();
    persons = kMostOthers + 1;
  }
  if (sent && (answers.value("jeton") != session->csrf || !same_origin(req))) {
    agent_page(res, "Demande refusée", "<p>Le formulaire ne vient pas de ce site.</p>", 400);
    return;
  }
  // Adding or removing a person only shows the form again, answers kept.
  if (sent && answers.value("action") == "decider") {
    auto who = identity_from(answers);
    if (!who) errors[""] = who.error().message;  // in French
    if (answers.value("accord").empty()) errors[""] = "Sans l'accord de la personne, rien n'est demandé.";
    if (const size_t beyond = person_beyond_the_form(answers, persons))
      errors[""] = "Des réponses sont données pour la personne " + std::to_string(beyond) +
                   ", que le formulaire ne liste pas : ajoutez-la au foyer, ou effacez ces réponses.";
    if (for_a_foyer && answers.value("foyer_complet").empty())
      errors[""] = persons == 1 ? "Cette décision se prend pour le foyer : indiquez que la personne vit seule, ou ajoutez "
                                  "les personnes qui vivent avec elle."
                                : "Cette décision se prend pour tout le foyer : indiquez que les personnes listées sont "
                                  "toutes celles qui vivent avec la personne.";
    InstantRequest request;
    request.program = program->id;
    for (const InputDecl& in : program->inputs) {
      if (!answered(in)) continue;
      const std::string value = answer_json(in, in.entity == Entity::kHousehold ? -1 : 0, answers, errors);
      if (value != "null") request.answers[in.name] = value;
    }
    for (size_t p = 1; p < persons; ++p) {
      std::map<std::string, std::string> other;
      for (const InputDecl& in : program->inputs) {
        if (!asked_of_others(in)) continue;
        const std::string value = answer_json(in, static_cast<int>(p), answers, errors);
        if (value != "null") other[in.name] = value;
      }
      request.others.push_back(std::move(other));
    }
    request.date = today();
    // The household as stated, once the person asking is known (their age
    // matters).
    if (who) {
      request.person = *who;
      if (auto refused = refused_household(*program, request)) {
        auto in = std::find_if(program->inputs.begin(), program->inputs.end(),
                               [&](const InputDecl& i) { return i.name == refused->input && i.entity == Entity::kPerson; });
        if (in != program->inputs.end()) errors[field_name(*in, static_cast<int>(refused->other) + 1)] = refused->french;
        else errors[""] = refused->french;
      }
    }
    if (errors.empty()) {
      request.actor = "agent " + session->agent.login;
      request.purpose = "demande de " + program->title + " au guichet, avec le consentement de la personne";
      request.household_stated = for_a_foyer && !answers.value("foyer_complet").empty();
      std::vector<AuditEntry> calls;
      auto decided = decide_instantly(**engine, *program, service.api_particulier(), request, &calls);
      if (!decided) record_calls(service, calls);
      if (!decided && decided.error().kind != ErrorKind::kInput) {
        const std::string why = decided.error().kind == ErrorKind::kRefused
                                    ? "API Particulier a refusé le jeton de ce service ou ses droits : rien n'a été "
                                      "obtenu ni décidé. Prévenez l'administrateur du service."
                                    : "le service est indisponible, rien n'a été décidé. Réessayez plus tard.";
        agent_page(res, title, body + "<div class=\"fr-alert fr-alert--error\" role=\"alert\"><p>Aucune décision : " +
                                   why + "</p></div>", 503);
        return;
      }
      // An answer the program refuses: the form again, to correct it.
      if (!decided) errors[""] = mark_refused_answer(*program, decided.error().message, errors);
      if (decided) {
        if (auto err = record(service, *program, request, *decided); !err.ok()) {
          agent_page(res, title, body + "<p>Le service est indisponible : la décision n'a pas pu être enregistrée, elle "
                                        "n'est pas donnée.</p>", 503);
          return;
        }
        agent_page(res, title, body + result_html(*program, *decided) + "<p><a href=\"/agent/demande?programme=" +
                                   html_escape(program->id) + "\">Une autre demande</a></p>");
        return;
      }
    }
  }
  if (!errors.empty())
    body += "<div class=\"fr-alert fr-alert--error fr-mb-4w\" role=\"alert\"><p>" +
            html_escape(errors.count("") ? errors.at("") : "Certaines réponses sont à corriger.") + "</p></div>\n";
  body += "<p>Organisme qui décide : " + html_escape(program->authority) + ".</p>\n";
  body += request_form(*program, *session, answers, errors, service.api_particulier() != nullptr, for_a_foyer, persons);
  agent_page(res, title, body, errors.empty() ? 200 : 400);
}

// POST /api/v1/instant-decisions: {"program", "identity", "answers", "consent": true}, and for a
// program decided for a foyer "others" (their answers) with "household_complete": true, or
// "lives_alone": true.
void request_api(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent || !json_body(req, res)) return;
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (req.body.size() > 16384 || parser.parse(req.body).get(body) != simdjson::SUCCESS) {
    send_problem(res, 400, "invalid-body", "Invalid body", "the body is not a JSON object");
    return;
  }
  std::string_view program_id;
  // A dom::object not read from the document points at nothing: whether
  // each was given is kept beside it.
  simdjson::dom::object identity, answers;
  simdjson::dom::array others;
  bool has_identity = false, has_answers = false, has_others = false, consent = false, lives_alone = false,
       household_complete = false;
  std::string invalid;
  // A member given twice is refused, as in the other APIs: which one the
  // agent meant (the consent, the program, an answer) is not known.
  std::set<std::string_view> given;
  for (auto [key, value] : body) {
    if (!given.insert(key).second) {
      invalid = "member '" + std::string(key.substr(0, 40)) + "' is given twice";
      break;
    }
    if (key == "program" && value.get(program_id) == simdjson::SUCCESS) continue;
    if (key == "identity" && !has_identity && value.get(identity) == simdjson::SUCCESS) {
      has_identity = true;
      continue;
    }
    if (key == "answers" && !has_answers && value.get(answers) == simdjson::SUCCESS) {
      has_answers = true;
      continue;
    }
    if (key == "consent" && value.get(consent) == simdjson::SUCCESS) continue;
    if (key == "others" && !has_others && value.get(others) == simdjson::SUCCESS) {
      has_others = true;
      continue;
    }
    if (key == "lives_alone" && value.get(lives_alone) == simdjson::SUCCESS) continue;
    if (key == "household_complete" && value.get(household_complete) == simdjson::SUCCESS) continue;
    invalid = "member '" + std::string(key.substr(0, 40)) + "' is unknown, repeated or of the wrong type";
  }
  if (invalid.empty() && (program_id.empty() || !has_identity))
    invalid = "give {\"program\", \"identity\", \"answers\", \"consent\": true}";
  // Each other person: an object of answers, as a situation's person.
  std::vector<std::map<std::string, std::string>> other_answers;
  if (invalid.empty() && has_others) {
    for (auto other : others) {
      simdjson::dom::object person;
      if (other.get(person) != simdjson::SUCCESS) {
        invalid = "others: each is an object of answers about a person ({\"role\": \"child\", ...})";
        break;
      }
      std::map<std::string, std::string>& into = other_answers.emplace_back();
      std::set<std::string_view> answered;
      for (auto [key, value] : person) {
        if (!answered.insert(key).second)
          invalid = "others: '" + std::string(key.substr(0, 40)) + "' is given twice for one person";
        else if (!value.is_null())
          into.emplace(std::string(key), simdjson::to_string(value));
      }
    }
  }
  if (invalid.empty() && lives_alone && !other_answers.empty())
    invalid = "lives_alone: true, with others given: state household_complete instead";
  const Program* program = service.program(std::string(program_id));
  if (invalid.empty() && !program) {
    send_problem(res, 404, "unknown-program", "Unknown program", "no program in use has this id");
    return;
  }
  if (invalid.empty() && !may_ask(*agent, program->id)) {
    audit_refused(service, "agent " + agent->login + " (API)", "an instant decision for " + program->id + ", not one of their programs");
    send_problem(res, 403, "forbidden", "Forbidden", "this program is not one of the agent's");
    return;
  }
  if (invalid.empty() && !consent && !data_to_fetch(*program).empty())
    invalid = "consent: the person's consent to the data being fetched is required (true)";
  auto who = invalid.empty() ? read_civil_identity(simdjson::to_string(identity)) : Result<CivilIdentity>(Error{ErrorKind::kInput, invalid});
  // A decision is one identified person's, as on the page: stored under a
  // reference about nobody, it could be neither explained nor objected to.
  if (who && (who->birth_name.empty() || who->first_names.empty() || !who->birth_date || !who->sex))
    who = Error{ErrorKind::kInput, "identity: birth_name, first_names, birth_date and sex are required"};
  if (!who) {
    send_problem(res, 400, "invalid-body", "Invalid body", who.error().message);
    return;
  }
  InstantRequest request;
  request.program = program->id;
  request.person = *who;
  request.date = today();
  request.actor = "agent " + agent->login + " (API)";
  request.purpose = "demande de " + program->title + " (API), avec le consentement de la personne";
  request.others = std::move(other_answers);
  request.household_stated = lives_alone || household_complete;
  if (has_answers) {
    std::set<std::string_view> answered;
    for (auto [key, value] : answers) {
      if (!answered.insert(key).second) {
        send_problem(res, 400, "invalid-body", "Invalid body", "answers: '" + std::string(key.substr(0, 40)) + "' is given twice");
        return;
      }
      if (!value.is_null()) request.answers[std::string(key)] = simdjson::to_string(value);
    }
  }
  auto engine = service.engine_for({program->id});
  if (!engine) {
    send_problem(res, 503, "decision-unavailable", "Decision unavailable", "nothing was asked; try again later");
    return;
  }
  std::vector<AuditEntry> calls;
  auto decided = decide_instantly(**engine, *program, service.api_particulier(), request, &calls);
  if (!decided) {
    record_calls(service, calls);
    // An answer at fault is the caller's; a refused token the service's.
    const bool callers = decided.error().kind == ErrorKind::kInput;
    send_problem(res, callers ? 422 : 503, callers ? "invalid-answers" : "decision-unavailable",
                 callers ? "Invalid answers" : "Decision unavailable", decided.error().message);
    return;
  }
  if (auto err = record(service, *program, request, *decided); !err.ok()) {
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the decision could not be recorded; it is not given");
    return;
  }
  std::string out = "{\"reference\":" + json_string(decided->reference) + ",\"status\":" + json_string(decided->status) +
                    ",\"decision\":" + decided->decision_json + ",\"fetched\":[";
  for (size_t i = 0; i < decided->fetched.size(); ++i) out += (i ? "," : "") + fetched_datum_json(decided->fetched[i]);
  out += "],\"documents\":[";
  for (size_t i = 0; i < decided->documents.size(); ++i)
    out += std::string(i ? "," : "") + "{\"input\":" + json_string(decided->documents[i].first) + ",\"document\":" +
           json_string(decided->documents[i].second) + "}";
  out += "],\"explanation\":" + (decided->explanation_json.empty() ? std::string("null") : decided->explanation_json) + "}";
  res.status = 201;
  res.set_content(out, "application/json");
}

}  // namespace

void add_instant_request_routes(httplib::Server& server, Service& service) {
  server.Get("/agent/demande", [&service](const httplib::Request& req, httplib::Response& res) { request_page(service, req, res, false); });
  server.Post("/agent/demande", [&service](const httplib::Request& req, httplib::Response& res) { request_page(service, req, res, true); });
  server.Post("/api/v1/instant-decisions", [&service](const httplib::Request& req, httplib::Response& res) { request_api(service, req, res); });
}

}  // namespace proactif
