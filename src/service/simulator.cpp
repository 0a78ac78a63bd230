// "Suis-je concerné ?": for each program, a form generated from the inputs
// its file declares (their labels, units and code labels), the answer
// computed by the same engine as campaigns, explained in plain French.
// Nothing is stored and nothing is logged: the answers travel in the body
// of a POST, which the access log omits.
#include <algorithm>
#include <cctype>

#include "campaign/instant_decision.hpp"
#include "core/date.hpp"
#include "core/json_text.hpp"
#include "eval/citizen_text.hpp"
#include "eval/decision_json.hpp"
#include "ingest/situation_stream.hpp"
#include "service/html.hpp"
#include "service/input_fields.hpp"
#include "service/routes.hpp"

namespace proactif {

namespace {

// A larger household's answer would be another household's: the form says
// so, and a number beyond it is refused rather than answered for fewer.
constexpr int kMostPersons = 12;

// The persons the form lists; 0 for more than it offers. The form always
// sends a number: anything else is taken for one person, as a first visit.
int persons_asked(const FormAnswers& answers) {
  const std::string text = answers.value("personnes");
  if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string::npos) return 1;
  const int n = std::stoi(text);
  return n > kMostPersons ? 0 : std::max(n, 1);
}

const std::string kTooMany = "Ce simulateur répond pour un foyer de " + std::to_string(kMostPersons) +
                             " personnes au plus : pour un foyer plus grand, sa réponse ne vaudrait pas ; adressez-vous "
                             "à l'organisme qui verse l'aide.";

// A right decided for the foyer (the C2S's, the RSA's) is answered for the
// household the person says is all of it, as at the counter: without that
// statement, a person who lives with a working spouse and leaves them out
// would be told of a single person's right.
const char kHouseholdStated[] = "foyer_complet";

std::string household_statement(const FormAnswers& answers, int persons, const std::map<std::string, std::string>& errors) {
  const std::string error = error_at(errors, kHouseholdStated);
  const std::string stated = persons == 1 ? "Je vis seul(e) : ni conjoint ou partenaire, ni enfant, ni autre personne sous "
                                            "mon toit"
                                          : "Les personnes indiquées ci-dessus sont toutes celles qui vivent avec moi";
  return std::string("<div class=\"fr-checkbox-group fr-mb-4w") + (error.empty() ? "" : " fr-checkbox-group--error") +
         "\"><input type=\"checkbox\" id=\"foyer_complet\" name=\"foyer_complet\" value=\"oui\" required" +
         // Ticked again only over the list it was ticked for: after a person is
         // added or removed, the person states it anew.
         (answers.value(kHouseholdStated).empty() || answers.value("action") != "calculer" ? "" : " checked") +
         (error.empty() ? "" : " aria-describedby=\"foyer_complet-erreur\"") +
         "><label class=\"fr-label\" for=\"foyer_complet\">" + stated +
         "<span class=\"fr-hint-text\">La réponse se calcule pour tout le foyer : ajoutez d'abord chaque personne qui "
         "vit avec vous.</span></label>" +
         (error.empty() ? "" : "<p class=\"fr-error-text\" id=\"foyer_complet-erreur\">" + html_escape(error) + "</p>") +
         "</div>\n";
}

// Why the persons listed cannot be answered for as one foyer (a second
// spouse, a child born before the person, a person under 25 living with an
// adult who may have them at charge), the same rules as the counter's,
// said at the field at fault.
void refused_persons(const Program& program, const FormAnswers& answers, int persons,
                     std::map<std::string, std::string>& errors) {
  const InputDecl* role = nullptr;
  const InputDecl* birth = nullptr;
  for (const InputDecl& in : program.inputs)
    if (in.entity == Entity::kPerson && (in.name == "role" || in.name == "birth_date"))
      (in.name == "role" ? role : birth) = &in;
  if (!role) return;
  InstantRequest request;
  request.date = today();
  std::map<std::string, std::string> ignored;  // malformed answers have their errors already
  if (birth) {
    const std::string first = answer_json(*birth, 0, answers, ignored);
    if (first.size() > 2) request.person.birth_date = parse_iso_date(first.substr(1, first.size() - 2));
  }
  for (int p = 1; p < persons; ++p) {
    std::map<std::string, std::string>& other = request.others.emplace_back();
    for (const InputDecl* in : {role, birth}) {
      if (!in) continue;
      const std::string value = answer_json(*in, p, answers, ignored);
      if (value != "null") other[in->name] = value;
    }
  }
  if (auto refused = refused_household(program, request)) {
    const int p = static_cast<int>(refused->other) + 1;
    errors[refused->input == "role" ? field_name(*role, p) : ""] = refused->french;
  }
}

std::string form(const Program& program, const FormAnswers& answers, int persons, bool for_a_foyer,
                 const std::map<std::string, std::string>& errors) {
  std::string out = "<form method=\"post\" action=\"/suis-je-concerne/" + html_escape(program.id) + "\">\n" +
                    "<input type=\"hidden\" name=\"personnes\" value=\"" + std::to_string(persons) + "\">\n" +
                    "<p>Répondez à ce que vous savez : une question laissée sans réponse est une information inconnue, "
                    "et la réponse dira ce qui manque.</p>\n";
  bool household = false, about_persons = false;
  for (const InputDecl& in : program.inputs) {
    household |= in.entity == Entity::kHousehold;
    about_persons |= in.entity == Entity::kPerson;
  }
  if (!about_persons) persons = 0;  // the program asks nothing of persons: one, without a question
  if (household) out += "<h2>Votre foyer</h2>\n";
  for (const InputDecl& in : program.inputs)
    if (in.entity == Entity::kHousehold) out += field(in, -1, answers, error_at(errors, field_name(in, -1)));
  for (int p = 0; p < persons; ++p) {
    out += p == 0 ? "<h2>Vous</h2>\n" : "<h2>Personne " + std::to_string(p + 1) + " vivant avec vous</h2>\n";
    for (const InputDecl& in : program.inputs) {
      if (in.entity != Entity::kPerson || (p == 0 && asked_of_others_only(in))) continue;
      out += field(in, p, answers, error_at(errors, field_name(in, p)));
    }
  }
  if (for_a_foyer) out += household_statement(answers, persons, errors);
  out += "<ul class=\"fr-btns-group fr-btns-group--inline-md\">\n"
         "<li><button class=\"fr-btn\" type=\"submit\" name=\"action\" value=\"calculer\">Voir la réponse</button></li>\n";
  if (about_persons && persons < kMostPersons)
    out += "<li><button class=\"fr-btn fr-btn--secondary\" type=\"submit\" name=\"action\" value=\"ajouter\" "
           "formnovalidate>Ajouter une personne vivant avec vous</button></li>\n";
  if (persons > 1)
    out += "<li><button class=\"fr-btn fr-btn--tertiary\" type=\"submit\" name=\"action\" value=\"retirer\" "
           "formnovalidate>Retirer la dernière personne</button></li>\n";
  out += "</ul>\n";
  if (about_persons && persons == kMostPersons) out += "<p>" + html_escape(kTooMany) + "</p>\n";
  return out + "</form>\n";
}

// The situation the answers describe (CONTRACT.md), or the fields at fault.
std::string situation_json(const Program& program, const FormAnswers& answers, int persons,
                           std::map<std::string, std::string>& errors) {
  std::string household = "{";
  for (const InputDecl& in : program.inputs)
    if (in.entity == Entity::kHousehold) append_answer(household, in, -1, answers, errors);
  std::string out = "{\"id\":\"simulation\",\"date\":\"" + format_iso_date(today()) +
                    "\",\"household\":" + household + "},\"persons\":[";
  for (int p = 0; p < persons; ++p) {
    std::string person = "{\"id\":\"p" + std::to_string(p + 1) + "\"";
    for (const InputDecl& in : program.inputs)
      if (in.entity == Entity::kPerson) append_answer(person, in, p, answers, errors);
    out += (p ? "," : "") + person + "}";
  }
  return out + "]}";
}

// The reader's refusal said at the field it names.
void refused_field(const Program& program, const std::string& reason, int persons,
                   std::map<std::string, std::string>& errors) {
  if (auto refused = refused_answer(program, reason, persons))
    errors[field_name(*refused->input, refused->person)] = "Cette réponse n'est pas valable ici (vérifiez-la).";
  else
    errors[""] = "Une réponse n'est pas valable.";
}

void simulator_index(Service& service, httplib::Response& res) {
  std::string body = "<p>Répondez à quelques questions pour savoir si vous pourriez avoir droit à une aide. Rien n'est "
                     "enregistré ; la réponse n'est pas une décision : l'organisme qui verse l'aide décide.</p>\n<ul>\n";
  for (const auto& id : service.program_ids())
    body += "<li><a href=\"/suis-je-concerne/" + html_escape(id) + "\">" + html_escape(service.program(id)->title) + "</a></li>\n";
  res.set_content(render_page({"Suis-je concerné ?", "", body + "</ul>\n"}), "text/html; charset=utf-8");
}

void simulator(Service& service, const httplib::Request& req, httplib::Response& res, bool answered) {
  res.set_header("Cache-Control", "no-store");
  const Program* program = service.program(req.matches[1]);
  if (!program) {
    res.status = 404;
    res.set_content(render_page({"Page introuvable", "", "<p><a href=\"/suis-je-concerne\">Voir les aides</a>.</p>\n"}),
                    "text/html; charset=utf-8");
    return;
  }
  auto engine = service.engine_for({program->id});
  const FormAnswers answers{answered ? &req : nullptr, engine ? (*engine)->territory.get() : nullptr};
  int persons = persons_asked(answers);
  const std::string action = answers.value("action");
  std::map<std::string, std::string> errors;
  if (persons == 0) {
    errors[""] = kTooMany;
    persons = kMostPersons;
  } else if (action == "ajouter") {
    persons = std::min(persons + 1, kMostPersons);
  } else if (action == "retirer") {
    persons = std::max(persons - 1, 1);
  }
  const bool for_a_foyer = engine && decides_for_a_foyer(**engine);
  std::string result;
  if (action == "calculer" && errors.empty()) {
    const std::string situation = situation_json(*program, answers, persons, errors);
    if (const size_t beyond = person_beyond_the_form(answers, static_cast<size_t>(persons)))
      errors[""] = "Des réponses sont données pour la personne " + std::to_string(beyond) +
                   ", que le formulaire ne liste pas : ajoutez-la, ou effacez ces réponses.";
    if (for_a_foyer) {
      refused_persons(*program, answers, persons, errors);
      if (answers.value(kHouseholdStated).empty())
        errors[kHouseholdStated] = persons == 1 ? "Indiquez que vous vivez seul(e), ou ajoutez les personnes qui vivent "
                                                  "avec vous : la réponse se calcule pour tout le foyer."
                                                : "Indiquez que les personnes indiquées sont toutes celles qui vivent avec "
                                                  "vous : la réponse se calcule pour tout le foyer.";
    }
    if (errors.empty() && engine) {
      StreamOptions options;
      options.explain = true;
      const Engine& e = **engine;
      DecisionFormatter format = [&](std::string& out, const std::string&, const std::string* person, const BoundPlan& bound,
                                     const Batch& batch, const Outcome& outcome, size_t row, const CodeTable& codes) {
        // A person program answers for each person listed (a parent asking
        // for the family: a child's scholarship gives the child the fare),
        // "you" first; each explanation is written to the person it is of.
        const bool yours = !person || *person == "p1";
        std::string result_json;
        append_result(result_json, bound, outcome, row, codes);
        const CitizenReader reader{yours ? "p1" : *person, program, e.territory.get(),
                                   missing_names(*program, batch, outcome.missing_of(row)), result_json};
        const std::string status = status_name(outcome.status[row]);
        const char* kind = status == "eligible" ? "success" : status == "ineligible" ? "info" : "warning";
        // Only the conditions the program examines were checked (its
        // explanation lists the others): the answer claims no more.
        const std::string title =
            yours ? (status == "eligible"     ? "Vous pourriez avoir droit à cette aide"
                     : status == "ineligible" ? "D'après vos réponses, vous ne remplissez pas les conditions examinées"
                                              : "Il manque des informations pour répondre")
                  : (status == "eligible"     ? "Cette personne pourrait avoir droit à cette aide"
                     : status == "ineligible" ? "D'après vos réponses, cette personne ne remplit pas les conditions examinées"
                                              : "Il manque des informations pour répondre pour cette personne");
        if (person && persons > 1)
          out += yours ? "<h2>Vous</h2>\n" : "<h2>Personne " + html_escape(person->substr(1)) + " vivant avec vous</h2>\n";
        out += "<div class=\"fr-alert fr-alert--" + std::string(kind) + " fr-mb-4w\" role=\"status\"><h2 class=\"fr-alert__title\">" +
               title + "</h2><p>Ce résultat n'est pas une décision et n'est pas enregistré. Organisme qui examine la "
               "demande et décide : " + html_escape(program->authority) + ".</p></div>\n<h2>Comment la réponse est "
               "calculée</h2>\n" +
               (yours ? "" : "<p>Cette explication s'adresse à la personne " + html_escape(person->substr(1)) +
                                 " : « vous » y désigne cette personne.</p>\n") +
               html_paragraphs(citizen_text(*outcome.explanations[row], status, reader));
      };
      auto evaluated = evaluate_situation_text(e, situation, options, format, kOwnAnswers);
      if (!evaluated) errors[""] = "Le calcul n'a pas pu être fait. Réessayez plus tard.";
      else if (!evaluated->refused.empty()) refused_field(*program, evaluated->refused.front().reason, persons, errors);
      else result = std::move(evaluated->decisions);
    } else if (!engine) {
      errors[""] = "Le calcul n'a pas pu être fait. Réessayez plus tard.";
    }
  }
  std::string body;
  if (!errors.empty())
    body += "<div class=\"fr-alert fr-alert--error fr-mb-4w\" role=\"alert\"><h2 class=\"fr-alert__title\">Certaines "
            "réponses sont à corriger</h2><p>" + html_escape(errors.count("") ? errors.at("") : "Les champs à corriger sont signalés ci-dessous.") +
            "</p></div>\n";
  body += result + form(*program, answers, persons, for_a_foyer, errors);
  res.status = errors.empty() ? 200 : 400;
  res.set_content(render_page({"Suis-je concerné ? " + program->title,
                               "Décision : " + program->authority + ". Rien n'est enregistré.", body}),
                  "text/html; charset=utf-8");
}

}  // namespace

void add_simulator_routes(httplib::Server& server, Service& service) {
  server.Get("/suis-je-concerne", [&service](const httplib::Request&, httplib::Response& res) { simulator_index(service, res); });
  const std::string page = R"(/suis-je-concerne/([a-z0-9][a-z0-9-]{0,63}))";
  server.Get(page, [&service](const httplib::Request& req, httplib::Response& res) { simulator(service, req, res, false); });
  server.Post(page, [&service](const httplib::Request& req, httplib::Response& res) { simulator(service, req, res, true); });
}

}  // namespace proactif
