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

// Its inputs the person answers: not those fetched, nor their birth date
// (from the identity), nor their place in the household (the applicant).
bool answered(const InputDecl& in) {
  return !in.api_particulier && !(in.entity == Entity::kPerson && (in.name == "birth_date" || asked_of_others_only(in)));
}

std::string text_input(const std::string& name, const std::string& label, const std::string& hint,
                       const FormAnswers& answers, const std::string& type = "text", const std::string& extra = "") {
  return "<div class=\"fr-input-group\"><label class=\"fr-label\" for=\"" + name + "\">" + label +
         (hint.empty() ? "" : "<span class=\"fr-hint-text\">" + hint + "</span>") + "</label><input class=\"fr-input\" type=\"" +
         type + "\" id=\"" + name + "\" name=\"" + name + "\" value=\"" + html_escape(answers.value(name)) + "\"" + extra +
         "></div>\n";
}

std::string request_form(const Program& program, const AgentSession& session, const FormAnswers& answers,
                         const std::map<std::string, std::string>& errors, bool fetching, bool for_a_foyer) {
  std::string out = "<form method=\"post\" action=\"/agent/demande\">\n<input type=\"hidden\" name=\"jeton\" value=\"" +
                    session.csrf + "\"><input type=\"hidden\" name=\"programme\" value=\"" + html_escape(program.id) + "\">\n";
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
    auto error = errors.find(field_name(in, in.entity == Entity::kHousehold ? -1 : 0));
    asked += field(in, in.entity == Entity::kHousehold ? -1 : 0, answers, error == errors.end() ? "" : error->second);
  }
  if (!asked.empty()) out += "<h2>Ses réponses</h2>\n" + asked;
  if (for_a_foyer)
    out += "<h2>Son foyer</h2>\n<p>Ce droit se décide pour le foyer (conjoint, enfants et personnes à charge), dont la "
           "situation de chacun compte. Au guichet, il ne se décide que pour une personne qui vit seule ; pour un foyer, la "
           "demande se fait auprès de " + html_escape(program.authority) + ".</p>\n<div class=\"fr-checkbox-group "
           "fr-mb-4w\"><input type=\"checkbox\" id=\"seule\" name=\"seule\" value=\"oui\" required" +
           (answers.value("seule").empty() ? "" : " checked") + "><label class=\"fr-label\" for=\"seule\">La personne vit "
           "seule : ni conjoint ou partenaire, ni enfant, ni autre personne sous son toit</label></div>\n";
  const auto data = data_to_fetch(program);
  if (!data.empty()) {
    out += "<h2>Les informations demandées aux administrations</h2>\n";
    if (fetching) {
      out += "<p>Avec l'accord de la personne, ces informations sont demandées directement à l'administration qui les "
             "détient, par API Particulier (Code des relations entre le public et l'administration, art. L114-8) ; elle "
             "n'a pas à en apporter la preuve :</p>\n<ul>\n";
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
  return out + "<button class=\"fr-btn\" type=\"submit\">Décider</button>\n</form>\n";
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
  if (!who) return who.error();
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
                          html_paragraphs(explanation_text(*explanation, "demande " + d.reference, d.status, "", ""));
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
    agent_page(res, "Demande refusée", signed_in_bar(*session) + "<p>Ce programme n'est pas des vôtres.</p>", 403);
    return;
  }
  const FormAnswers answers{sent ? &req : nullptr};
  std::map<std::string, std::string> errors;
  std::string body = signed_in_bar(*session);
  const std::string title = "Demander : " + program->title;
  auto engine = service.engine_for({program->id});
  if (!engine) {
    agent_page(res, title, body + "<p>Le service est indisponible : rien n'a été demandé.</p>", 503);
    return;
  }
  const bool for_a_foyer = decides_for_a_foyer(**engine);
  if (sent) {
    if (answers.value("jeton") != session->csrf || !same_origin(req)) {
      agent_page(res, "Demande refusée", "<p>Le formulaire ne vient pas de ce site.</p>", 400);
      return;
    }
    auto who = identity_from(answers);
    if (!who) errors[""] = who.error().message;
    if (answers.value("accord").empty()) errors[""] = "Sans l'accord de la personne, rien n'est demandé.";
    if (for_a_foyer && answers.value("seule").empty())
      errors[""] = "Cette décision ne se prend au guichet que pour une personne qui vit seule.";
    InstantRequest request;
    request.program = program->id;
    for (const InputDecl& in : program->inputs) {
      if (!answered(in)) continue;
      const std::string value = answer_json(in, in.entity == Entity::kHousehold ? -1 : 0, answers, errors);
      if (value != "null") request.answers[in.name] = value;
    }
    if (errors.empty()) {
      request.person = *who;
      request.date = today();
      request.actor = "agent " + session->agent.login;
      request.purpose = "demande de " + program->title + " au guichet";
      request.lives_alone = !answers.value("seule").empty();
      auto decided = decide_instantly(**engine, *program, service.api_particulier(), request);
      if (!decided) {
        agent_page(res, title, body + "<div class=\"fr-alert fr-alert--error\" role=\"alert\"><p>Aucune décision : " +
                                   html_escape(decided.error().message) + "</p></div>", 503);
        return;
      }
      if (auto err = record(service, *program, request, *decided); !err.ok()) {
        agent_page(res, title, body + "<p>Le service est indisponible : la décision n'a pas pu être enregistrée, elle "
                                      "n'est pas donnée.</p>", 503);
        return;
      }
      agent_page(res, title, body + result_html(*program, *decided) +
                                 "<p><a href=\"/agent/demande?programme=" + html_escape(program->id) + "\">Une autre demande</a></p>");
      return;
    }
  }
  if (!errors.empty())
    body += "<div class=\"fr-alert fr-alert--error fr-mb-4w\" role=\"alert\"><p>" +
            html_escape(errors.count("") ? errors.at("") : "Certaines réponses sont à corriger.") + "</p></div>\n";
  body += "<p>Organisme qui décide : " + html_escape(program->authority) + ".</p>\n";
  body += request_form(*program, *session, answers, errors, service.api_particulier() != nullptr, for_a_foyer);
  agent_page(res, title, body, errors.empty() ? 200 : 400);
}

// POST /api/v1/instant-decisions: {"program", "identity", "answers", "consent": true}.
void request_api(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent) return;
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
  bool has_identity = false, has_answers = false, consent = false, lives_alone = false;
  std::string invalid;
  for (auto [key, value] : body) {
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
    if (key == "lives_alone" && value.get(lives_alone) == simdjson::SUCCESS) continue;
    invalid = "member '" + std::string(key.substr(0, 40)) + "' is unknown, repeated or of the wrong type";
  }
  if (invalid.empty() && (program_id.empty() || !has_identity))
    invalid = "give {\"program\", \"identity\", \"answers\", \"consent\": true}";
  const Program* program = service.program(std::string(program_id));
  if (invalid.empty() && !program) {
    send_problem(res, 404, "unknown-program", "Unknown program", "no program in use has this id");
    return;
  }
  if (invalid.empty() && !may_ask(*agent, program->id)) {
    send_problem(res, 403, "forbidden", "Forbidden", "this program is not one of the agent's");
    return;
  }
  if (invalid.empty() && !consent && !data_to_fetch(*program).empty())
    invalid = "consent: the person's consent to the data being fetched is required (true)";
  auto who = invalid.empty() ? read_civil_identity(simdjson::to_string(identity)) : Result<CivilIdentity>(Error{ErrorKind::kInput, invalid});
  if (!who) {
    send_problem(res, 400, "invalid-body", "Invalid body", who.error().message);
    return;
  }
  InstantRequest request;
  request.program = program->id;
  request.person = *who;
  request.date = today();
  request.actor = "agent " + agent->login + " (API)";
  request.purpose = "demande de " + program->title + " (API)";
  request.lives_alone = lives_alone;
  if (has_answers)
    for (auto [key, value] : answers)
      if (!value.is_null()) request.answers[std::string(key)] = simdjson::to_string(value);
  auto engine = service.engine_for({program->id});
  if (!engine) {
    send_problem(res, 503, "decision-unavailable", "Decision unavailable", "nothing was asked; try again later");
    return;
  }
  auto decided = decide_instantly(**engine, *program, service.api_particulier(), request);
  if (!decided) {
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
