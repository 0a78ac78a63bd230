// The citizen and public pages, in French: verify a message's code, object
// with it, and read each algorithm's rules. No sign-in; a message's code is
// the only thing a person gives, and it never reaches the access log (it
// travels in the query string or the form's body, which the log omits).
#include <ctime>

#include "campaign/citizen_requests.hpp"
#include "core/date.hpp"
#include "service/accounts.hpp"
#include "service/algorithm_page.hpp"
#include "service/html.hpp"
#include "service/routes.hpp"

namespace proactif {

namespace {

constexpr const char* kCsrfCookie = "proactif_opposition";

void send_page(httplib::Response& res, const PageShell& page, int status = 200) {
  res.status = status;
  res.set_content(render_page(page), "text/html; charset=utf-8");
}

std::string alert(const char* kind, const std::string& title, const std::string& html) {
  return std::string("<div class=\"fr-alert fr-alert--") + kind + " fr-mb-4w\" role=\"" +
         (std::string(kind) == "error" ? "alert" : "status") + "\"><h2 class=\"fr-alert__title\">" + html_escape(title) +
         "</h2>" + html + "</div>\n";
}

bool page_within_limit(Service& service, const httplib::Request& req, httplib::Response& res) {
  int64_t retry_after = 0;
  if (within_citizen_limit(service, req, retry_after)) return true;
  res.set_header("Retry-After", std::to_string(retry_after));
  send_page(res,
            {"Trop de demandes", "",
             alert("warning", "Veuillez réessayer plus tard",
                   "<p>Trop de codes ont été saisis depuis cette connexion. Par sécurité, la vérification est suspendue "
                   "pour un moment.</p>")},
            429);
  return false;
}

std::string code_field(const std::string& id, const std::string& value) {
  return "<div class=\"fr-input-group\"><label class=\"fr-label\" for=\"" + id +
         "\">Code du message<span class=\"fr-hint-text\">12 caractères, imprimés sur le courrier ou écrits dans le "
         "message, par exemple K7M2-Q9XD-4HRA</span></label><input class=\"fr-input\" id=\"" + id +
         "\" name=\"code\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"40\" required value=\"" +
         html_escape(value) + "\"></div>\n";
}

void home(httplib::Response& res) {
  send_page(res, {"Vos droits, sans avoir à les demander",
                  "Des administrations repèrent les personnes qui pourraient avoir droit à une aide et les en informent, "
                  "ou transmettent leur demande à l'organisme qui verse le droit.",
                  "<ul>\n<li><a href=\"/verifier\">Vérifier un courrier ou un message</a> reçu de l'administration</li>\n"
                  "<li><a href=\"/m-opposer\">M'opposer</a> à ce traitement de mes données</li>\n"
                  "<li><a href=\"/suis-je-concerne\">Suis-je concerné ?</a> Savoir si je pourrais avoir droit à une aide</li>\n"
                  "<li><a href=\"/algorithmes\">Lire les règles des algorithmes</a> utilisés</li>\n</ul>\n"});
}

void verify_page(Service& service, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const std::string typed = req.has_param("code") ? req.get_param_value("code") : "";
  std::string body;
  if (!typed.empty()) {
    if (!page_within_limit(service, req, res)) return;
    auto store = service.store();
    auto writing = service.writing();
    Result<MessageCheck> check = store ? check_message(**store, typed.substr(0, 40), "proactif serve (page de vérification)",
                                                     [&service](const std::string& id) { return service.title_of(id); })
                                       : Result<MessageCheck>(store.error());
    if (!check) {
      service.drop_store();
      body = alert("error", "Service indisponible",
                   "<p>La vérification n'a pas pu être faite. Réessayez dans quelques minutes.</p>");
    } else if (check->authentic) {
      body = alert("success", check->counter_decision ? "Cette référence est authentique" : "Ce message est authentique",
                   html_paragraphs(message_check_text(*check)));
      // Not again where the person's objection cancelled the message.
      if (!check->deleted_at && !check->cancelled)
        body += "<p>Vous ne souhaitez plus être contacté à ce sujet ? <a href=\"/m-opposer?code=" + html_escape(check->code) +
                "\">Vous opposer à ce traitement</a>.</p>\n";
    } else if (!check->well_formed) {
      body = alert("warning", "Ce code n'a pas la forme attendue", html_paragraphs(message_check_text(*check)));
    } else {
      body = alert("error", "Ce code ne correspond à aucun message", html_paragraphs(message_check_text(*check)));
    }
  }
  body += "<form method=\"get\" action=\"/verifier\">\n" + code_field("code", typed.substr(0, 40)) +
          "<button class=\"fr-btn\" type=\"submit\">Vérifier</button>\n</form>\n";
  send_page(res, {"Vérifier un courrier ou un message",
                  "Saisissez le code du message pour savoir s'il a bien été envoyé par l'administration. La réponse ne "
                  "contient aucune donnée personnelle.",
                  body});
}

void objection_form(const httplib::Request& req, httplib::Response& res, const std::string& error = "") {
  res.set_header("Cache-Control", "no-store");
  // The form's token, also set as a cookie only this site sends: a form
  // posted from another site cannot carry both.
  const std::string token = random_token();
  res.set_header("Set-Cookie", std::string(kCsrfCookie) + "=" + token + cookie_flags(req, "/m-opposer"));
  const std::string code = req.has_param("code") ? req.get_param_value("code").substr(0, 40) : "";
  std::string body = error.empty() ? "" : alert("error", "L'opposition n'a pas été enregistrée", "<p>" + html_escape(error) + "</p>");
  body += "<form method=\"post\" action=\"/m-opposer\">\n<input type=\"hidden\" name=\"jeton\" value=\"" + token + "\">\n" +
          code_field("code", code) +
          "<fieldset class=\"fr-fieldset\" id=\"portee\" aria-labelledby=\"portee-legende\">\n"
          "<legend class=\"fr-fieldset__legend\" id=\"portee-legende\">Je m'oppose</legend>\n"
          "<div class=\"fr-fieldset__element\"><div class=\"fr-radio-group\"><input type=\"radio\" id=\"portee-droit\" "
          "name=\"portee\" value=\"droit\" checked><label class=\"fr-label\" for=\"portee-droit\">pour le droit de ce "
          "code<span class=\"fr-hint-text\">Un message qui parle de plusieurs droits donne un code pour chacun.</span>"
          "</label></div></div>\n"
          "<div class=\"fr-fieldset__element\"><div class=\"fr-radio-group\"><input type=\"radio\" id=\"portee-tous\" "
          "name=\"portee\" value=\"tous\"><label class=\"fr-label\" for=\"portee-tous\">pour tous les droits</label>"
          "</div></div>\n</fieldset>\n"
          "<button class=\"fr-btn\" type=\"submit\">Enregistrer mon opposition</button>\n</form>\n";
  send_page(res, {"M'opposer au traitement de mes données",
                  "Avec le code d'un message reçu, vous pouvez demander à ne plus être contacté et que les données "
                  "utilisées soient effacées (règlement général sur la protection des données, art. 21).",
                  body},
            error.empty() ? 200 : 400);
}

void record_objection_page(Service& service, const httplib::Request& req, httplib::Response& res) {
  const std::string token = req.has_param("jeton") ? req.get_param_value("jeton") : "";
  if (token.size() != 32 || token != cookie_value(req, kCsrfCookie) || !same_origin(req)) {
    objection_form(req, res, "Le formulaire a expiré ou ne vient pas de ce site. Saisissez de nouveau votre code.");
    return;
  }
  if (!page_within_limit(service, req, res)) return;
  const std::string code = req.has_param("code") ? req.get_param_value("code").substr(0, 40) : "";
  const std::string scope = req.has_param("portee") ? req.get_param_value("portee") : "droit";
  if (code.empty() || (scope != "droit" && scope != "tous")) {
    objection_form(req, res, "Saisissez le code du message et choisissez la portée de votre opposition.");
    return;
  }
  auto store = service.store();
  auto writing = service.writing();
  Result<ObjectionOutcome> outcome =
      store ? record_objection(**store, {code, "", "", scope == "tous", "page d'opposition en ligne"},
                               "proactif serve (page d'opposition)")
            : Result<ObjectionOutcome>(store.error());
  if (!outcome) {
    service.drop_store();
    objection_form(req, res, "Le service n'a pas pu enregistrer votre opposition. Réessayez dans quelques minutes.");
    return;
  }
  if (outcome->code_unknown) {
    // As the verification page says it: a typing error is asked again, and
    // an unknown code is unknown among what the store keeps (a genuine
    // message older than its trace is not found either).
    MessageCheck unknown;
    unknown.code = outcome->code;
    unknown.well_formed = !outcome->code_malformed;
    objection_form(req, res, message_check_text(unknown));
    return;
  }
  res.set_header("Cache-Control", "no-store");
  res.set_header("Set-Cookie", std::string(kCsrfCookie) + "=" + cookie_flags(req, "/m-opposer") + "; Max-Age=0");
  const ObjectionResult& r = outcome->result;
  if (outcome->counter_decision) {
    send_page(res, {"Opposition enregistrée", "",
                    alert("success", "Votre opposition est enregistrée",
                          (outcome->already_deleted_at
                               ? "<p>La décision prise au guichet sous cette référence était déjà effacée (le " +
                                     html_escape(french_day(outcome->already_deleted_at)) + ")"
                               : "<p>La décision prise au guichet sous cette référence est effacée (" +
                                     std::to_string(r.decisions_deleted) + ")") +
                              ", et votre opposition est conservée " + french_duration(RetentionPolicy{}.objection_days) +
                              ".</p><p>Elle ne vaut que pour cette décision : la référence ne dit pas qui vous êtes "
                              "ailleurs. Pour ne plus recevoir d'information sur un droit, utilisez le code d'un "
                              "message reçu, ou adressez-vous à l'organisme qui a pris la décision.</p>")});
    return;
  }
  // Named: a message telling of several rights gives a code for each, and
  // the person may have typed another than the one meant (a tester's
  // finding, 2026-12-07: the page never said which right).
  const Program* objected = service.program(outcome->program);
  const std::string which = scope == "tous" ? "pour tous les droits"
                                            : "pour ce droit : " + (objected ? objected->title : outcome->program) +
                                                  " (pour un autre droit, utilisez le code que le message donne pour lui)";
  std::string body = alert("success", "Votre opposition est enregistrée",
                           "<p>Elle vaut " + html_escape(which) + ", pour vous et pour les personnes de votre foyer "
                           "que ce message concernait, même si l'une d'elles change de dossier. Aucun nouveau message "
                           "ne vous sera envoyé à ce sujet.</p>");
  body += "<h2>Ce qui arrive à vos données</h2>\n<ul>\n<li>Les décisions calculées à votre sujet sont effacées (" +
          std::to_string(r.decisions_deleted) + ").</li>\n<li>Les messages qui n'étaient pas encore partis sont annulés (" +
          std::to_string(r.actions_cancelled) +
          ").</li>\n<li>Des messages déjà envoyés, seule la trace (date, code, droit concerné) est gardée, pour répondre à "
          "une vérification ou à un contrôle.</li>\n<li>Votre opposition est conservée " +
          french_duration(RetentionPolicy{}.objection_days) +
          ", pour que personne ne vous recontacte à ce sujet ; vous pourrez la renouveler.</li>\n</ul>\n";
  if (!r.transmitted.empty()) {
    // Made again, an objection queues no second refusal: the first one goes.
    const bool refused_before = std::all_of(r.transmitted.begin(), r.transmitted.end(),
                                            [](const ObjectionResult::Transmitted& t) { return t.refused_before; });
    // One refusal goes a month: where the month's is an earlier claim's,
    // this one cannot go, and the person is told to say it themselves.
    const bool blocked = std::any_of(r.transmitted.begin(), r.transmitted.end(),
                                     [](const ObjectionResult::Transmitted& t) { return t.withdrawal_blocked; });
    body += alert(blocked ? "warning" : "info", "Une demande a déjà été transmise",
                  "<p>Une demande avait déjà été transmise pour vous à l'organisme qui verse le droit, le " +
                      html_escape(french_day(r.transmitted.front().sent_at)) +
                      (blocked ? ". Votre refus n'a pas pu lui être transmis automatiquement : il a déjà reçu, pour le même "
                                 "mois, le refus d'une demande précédente. Signalez-lui vous-même que vous refusez "
                                 "cette demande.</p>"
                       : refused_before ? ". Votre refus, enregistré lors de votre précédente opposition, lui est transmis "
                                          "avec la référence de cette demande.</p>"
                                        : ". Votre refus lui sera transmis à son tour, avec la référence de cette demande.</p>"));
  }
  send_page(res, {"Opposition enregistrée", "", body});
}

void algorithms(Service& service, httplib::Response& res) {
  std::vector<const Program*> programs;
  for (const auto& id : service.program_ids()) programs.push_back(service.program(id));
  send_page(res, {"Algorithmes publics", "", algorithms_index_body(programs)});
}

void algorithm(Service& service, const httplib::Request& req, httplib::Response& res) {
  const Program* program = service.program(req.matches[1]);
  if (!program) {
    send_page(res, {"Page introuvable", "", "<p>Aucun algorithme de ce nom n'est utilisé. <a href=\"/algorithmes\">Voir "
                                            "la liste des algorithmes publics</a>.</p>\n"},
              404);
    return;
  }
  send_page(res, {program->title, "Décision : " + program->authority, algorithm_page_body(*program)});
}

}  // namespace

void add_page_routes(httplib::Server& server, Service& service) {
  server.Get("/", [](const httplib::Request&, httplib::Response& res) { home(res); });
  server.Get("/verifier", [&service](const httplib::Request& req, httplib::Response& res) { verify_page(service, req, res); });
  server.Get("/m-opposer", [](const httplib::Request& req, httplib::Response& res) { objection_form(req, res); });
  server.Post("/m-opposer",
              [&service](const httplib::Request& req, httplib::Response& res) { record_objection_page(service, req, res); });
  server.Get("/algorithmes", [&service](const httplib::Request&, httplib::Response& res) { algorithms(service, res); });
  server.Get(R"(/algorithmes/([a-z0-9][a-z0-9-]{0,63}))",
             [&service](const httplib::Request& req, httplib::Response& res) { algorithm(service, req, res); });
}

}  // namespace proactif
