// The agents' pages: sign-in, the campaigns with their funnel (evaluated →
// entitled → planned → delivered, failed by cause, cancelled after an
// objection), skips by reason, and a household's decisions with their
// explanation, each view an audited read of personal data. An agent sees
// the programs of their organisation only; an auditor sees everything and
// changes nothing; an admin does everything.
#include <simdjson.h>

#include <ctime>

#include "core/date.hpp"
#include "eval/explanation_json.hpp"
#include "eval/explanation_text.hpp"
#include "service/accounts.hpp"
#include "service/agent_access.hpp"
#include "service/agent_runs.hpp"
#include "service/html.hpp"
#include "service/routes.hpp"

namespace proactif {

namespace {

constexpr const char* kSessionCookie = "proactif_session";
constexpr const char* kSignInCookie = "proactif_connexion";
constexpr int64_t kSessionIdleMs = 30LL * 60 * 1000;       // 30 minutes without a request
constexpr int64_t kSessionLongestMs = 8LL * 3600 * 1000;   // a working day at most

void page(httplib::Response& res, const std::string& title, const std::string& body, int status = 200) {
  agent_page(res, title, body, status);
}

const char* role_words(const std::string& role) {
  return role == "admin" ? "administrateur" : role == "auditor" ? "auditeur (lecture seule)" : "agent";
}

}  // namespace

void agent_page(httplib::Response& res, const std::string& title, const std::string& body, int status) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(render_page({title, "", body}), "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
  res.set_header("Cache-Control", "no-store");
}

std::optional<AgentSession> signed_in(Service& service, const httplib::Request& req, httplib::Response& res) {
  const std::string token = cookie_value(req, kSessionCookie);
  if (token.size() == 32) {
    auto store = service.store();
    auto writing = service.writing();
    auto session = store ? (*store)->session(token_hash(token), now_ms(), kSessionIdleMs)
                         : Result<std::optional<AgentSession>>(store.error());
    if (session && *session) return **session;
    if (!session) {
      // The store is out of reach: not a reason to sign the agent out.
      service.drop_store();
      page(res, "Espace agents", "<p>Le service est indisponible. Réessayez dans quelques minutes.</p>", 503);
      return std::nullopt;
    }
  }
  redirect(res, "/agent/connexion");
  return std::nullopt;
}

namespace {

// An entry the answer does not wait for: written where the store can be
// reached, the connection dropped where it fails.
void audit_if_reachable(Service& service, const std::string& actor, const std::string& operation,
                        const std::string& detail) {
  auto store = service.store();
  if (!store) return;
  auto writing = service.writing();
  if (auto err = (*store)->audit(actor, operation, detail); !err.ok()) service.drop_store();
}

}  // namespace

void audit_refused(Service& service, const std::string& actor, const std::string& what) {
  audit_if_reachable(service, actor, "refused for want of rights", what);
}

void audit_held_back(Service& service, const std::string& actor, const std::string& what, int64_t retry_after) {
  audit_if_reachable(service, actor, what,
                     "one address over the limit, held back for " + std::to_string(retry_after) +
                         " s (its address is not recorded; its requests held back later in the same minute or day "
                         "are not either)");
}

std::string signed_in_bar(const AgentSession& s) {
  return "<div class=\"fr-notice fr-notice--info fr-mb-4w\"><div class=\"fr-container\"><div class=\"fr-notice__body\">"
         "<p class=\"fr-notice__title\">Connecté : " + html_escape(s.agent.login) + ", " + role_words(s.agent.role) + ", " +
         html_escape(s.agent.organisation) + "</p></div></div></div>\n"
         "<form method=\"post\" action=\"/agent/deconnexion\" class=\"fr-mb-4w\"><input type=\"hidden\" name=\"jeton\" value=\"" +
         s.csrf + "\"><button class=\"fr-btn fr-btn--tertiary fr-btn--sm\" type=\"submit\">Se déconnecter</button></form>\n";
}

namespace {

void sign_in_form(const httplib::Request& req, httplib::Response& res, const std::string& error = "", int status = 200) {
  const std::string token = random_token();
  res.set_header("Set-Cookie", std::string(kSignInCookie) + "=" + token + cookie_flags(req, "/agent/connexion"));
  std::string body = error.empty() ? "" : "<div class=\"fr-alert fr-alert--error fr-mb-4w\" role=\"alert\"><p>" +
                                              html_escape(error) + "</p></div>\n";
  body += "<form method=\"post\" action=\"/agent/connexion\">\n<input type=\"hidden\" name=\"jeton\" value=\"" + token +
          "\">\n<div class=\"fr-input-group\"><label class=\"fr-label\" for=\"identifiant\">Identifiant</label>"
          "<input class=\"fr-input\" id=\"identifiant\" name=\"identifiant\" autocomplete=\"username\" required></div>\n"
          "<div class=\"fr-input-group\"><label class=\"fr-label\" for=\"mot-de-passe\">Mot de passe</label>"
          "<input class=\"fr-input\" id=\"mot-de-passe\" name=\"mot_de_passe\" type=\"password\" "
          "autocomplete=\"current-password\" required></div>\n"
          "<button class=\"fr-btn\" type=\"submit\">Se connecter</button>\n</form>\n";
  page(res, "Espace agents : connexion", body, status);
}

void sign_in(Service& service, const httplib::Request& req, httplib::Response& res) {
  const std::string token = req.has_param("jeton") ? req.get_param_value("jeton") : "";
  if (token.size() != 32 || token != cookie_value(req, kSignInCookie) || !same_origin(req)) {
    sign_in_form(req, res, "Le formulaire a expiré ou ne vient pas de ce site. Recommencez.", 400);
    return;
  }
  int64_t retry_after = 0;
  bool first_held = false;
  if (!service.sign_in_limit().allow(req.remote_addr, static_cast<int64_t>(std::time(nullptr)), retry_after, first_held)) {
    if (first_held) audit_held_back(service, "proactif serve (connexion)", "sign-ins held back", retry_after);
    res.set_header("Retry-After", std::to_string(retry_after));
    sign_in_form(req, res, "Trop de tentatives depuis cette connexion. Réessayez plus tard.", 429);
    return;
  }
  const std::string login = req.has_param("identifiant") ? req.get_param_value("identifiant").substr(0, 100) : "";
  const std::string password = req.has_param("mot_de_passe") ? req.get_param_value("mot_de_passe").substr(0, 200) : "";
  auto store = service.store();
  if (!store) {
    sign_in_form(req, res, "Le service est indisponible. Réessayez plus tard.", 503);
    return;
  }
  auto agent = (*store)->agent(login);
  if (!agent) {
    service.drop_store();
    sign_in_form(req, res, "Le service est indisponible. Réessayez plus tard.", 503);
    return;
  }
  const bool matches = password_matches(password, *agent ? (*agent)->password_hash : "");
  auto writing = service.writing();
  if (!matches) {
    // An account's name, or not what was typed: an agent may have typed
    // their password in its place.
    (void)(*store)->audit("proactif serve (connexion)", "sign-in refused",
                          *agent ? "login " + login : "a login no account has (not recorded)");
    sign_in_form(req, res, "Identifiant ou mot de passe incorrect.", 401);
    return;
  }
  const std::string session = random_token(), csrf = random_token();
  const int64_t now = now_ms();
  if (auto err = (*store)->open_session(token_hash(session), login, csrf, now, now + kSessionLongestMs); !err.ok()) {
    sign_in_form(req, res, "Le service est indisponible. Réessayez plus tard.", 503);
    return;
  }
  (void)(*store)->audit("agent " + login, "signed in", "role " + (*agent)->role);
  res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session + cookie_flags(req, "/agent"));
  redirect(res, "/agent");
}

void sign_out(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  const std::string token = req.has_param("jeton") ? req.get_param_value("jeton") : "";
  if (token != session->csrf || !same_origin(req)) {
    page(res, "Déconnexion refusée", "<p>Le formulaire ne vient pas de ce site.</p>", 400);
    return;
  }
  auto store = service.store();
  auto writing = service.writing();
  if (store) {
    (void)(*store)->close_session(token_hash(cookie_value(req, kSessionCookie)));
    (void)(*store)->audit("agent " + session->agent.login, "signed out", "");
  }
  res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + cookie_flags(req, "/agent") + "; Max-Age=0");
  redirect(res, "/agent/connexion");
}

std::string number(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += "\u202f";
    out += digits[i];
  }
  return out;
}

std::string cell(const std::string& text) { return "<td>" + html_escape(text) + "</td>"; }

// The funnel of each program of a run the agent covers.
std::string funnel(const PlanReport& plan, const AgentAccount& agent, const std::string& caption) {
  std::string rows;
  for (const ProgramPlan& p : plan.programs) {
    if (!agent.covers(p.program)) continue;
    int64_t planned = 0, skipped = 0;
    for (const auto& [what, n] : p.planned) planned += n;
    for (const auto& [why, n] : p.skipped) skipped += n;
    rows += "<tr>" + cell(p.program) + cell(number(p.eligible + p.not_eligible + p.undetermined)) + cell(number(p.eligible)) +
            cell(number(p.undetermined)) + cell(number(planned)) + cell(number(skipped)) + "</tr>\n";
  }
  return html_table(caption, {"Programme", "Évalués", "Éligibles", "Indéterminés", "Actions prévues", "Écartés"}, rows);
}

std::string skips(const PlanReport& plan, const AgentAccount& agent) {
  std::string rows;
  for (const ProgramPlan& p : plan.programs) {
    if (!agent.covers(p.program)) continue;
    for (const auto& [why, n] : p.skipped)
      rows += "<tr>" + cell(p.program) + cell("écarté : " + reason_in_french(why)) + cell(number(n)) + "</tr>\n";
    for (const auto& [what, n] : p.planned)
      rows += "<tr>" + cell(p.program) + cell("prévu : " + reason_in_french(what)) + cell(number(n)) + "</tr>\n";
    for (const auto& [why, n] : p.told_not_granted)
      rows += "<tr>" + cell(p.program) + cell("informé, non attribué : " + reason_in_french(why)) + cell(number(n)) + "</tr>\n";
    if (p.told_request_accepted)
      rows += "<tr>" + cell(p.program) +
              cell("informé, ayant accepté dans l'année que sa demande soit transmise avec une autre (peut-être en cours)") +
              cell(number(p.told_request_accepted)) + "</tr>\n";
  }
  return html_table("Actions prévues et ménages écartés, par raison", {"Programme", "Raison", "Nombre"}, rows);
}

std::string delivery(const OutboxCounts& c, const std::string& delivery_json) {
  std::string rows = "<tr>" + cell("envoyés") + cell(number(c.delivered)) + "</tr><tr>" + cell("en attente ou à réessayer") +
                     cell(number(c.pending + c.retry + c.sending)) + "</tr><tr>" +
                     cell("dont l'avis d'une demande transmise, qui attend cette demande en échec (à remettre en file)") +
                     cell(number(c.awaiting_failed_request)) + "</tr><tr>" + cell("en échec définitif") +
                     cell(number(c.dead)) + "</tr><tr>" + cell("annulés après une opposition") + cell(number(c.cancelled)) +
                     "</tr><tr>" + cell("envoyés sans réponse du serveur, à régler") + cell(number(c.held)) + "</tr>\n";
  std::string out = html_table("Envoi (état de la file au moment de l'affichage)", {"État", "Messages"}, rows);
  // Failures grouped by cause, as the last delivery recorded them.
  simdjson::dom::parser parser;
  simdjson::dom::object causes;
  std::string cause_rows;
  if (!delivery_json.empty() && parser.parse(delivery_json)["delivery"]["failure_causes"].get(causes) == simdjson::SUCCESS)
    for (auto [cause, count] : causes) {
      int64_t n = 0;
      if (count.get(n) == simdjson::SUCCESS) cause_rows += "<tr>" + cell(std::string(cause)) + cell(number(n)) + "</tr>\n";
    }
  if (!cause_rows.empty()) out += html_table("Tentatives échouées, par cause (dernier envoi)", {"Cause", "Tentatives"}, cause_rows);
  return out;
}

// A planned run's sending, in a word or two: nothing sent yet, under way,
// or done (with what failed for good or waits for an operator).
std::string sending_state(const OutboxCounts& c) {
  const int64_t waiting = c.pending + c.sending + c.retry;
  const int64_t total = waiting + c.delivered + c.dead + c.held;
  if (total == 0) return "planifiée, rien à envoyer";
  if (waiting > 0)
    return c.delivered + c.dead + c.held == 0 ? "planifiée, rien d'envoyé"
                                              : "envoi en cours : " + number(c.delivered) + " envoyés sur " + number(total);
  std::string state = "envoyée";
  if (c.dead) state += ", " + number(c.dead) + " en échec";
  if (c.held) state += ", " + number(c.held) + " sans réponse à régler";
  return state;
}

void dashboard(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  auto store = service.store();
  auto runs = store ? runs_seen_by(**store, session->agent) : Result<std::vector<SeenRun>>(store.error());
  if (!runs) {
    service.drop_store();
    page(res, "Espace agents", "<p>Le service est indisponible.</p>", 503);
    return;
  }
  std::string body = signed_in_bar(*session);
  body += "<form method=\"get\" action=\"/agent/foyer\" class=\"fr-mb-6w\"><div class=\"fr-input-group\"><label "
          "class=\"fr-label\" for=\"sujet\">Décisions gardées sur un foyer<span class=\"fr-hint-text\">identifiant du "
          "foyer ou de la personne, par exemple CAF:A00000004</span></label><input class=\"fr-input\" id=\"sujet\" "
          "name=\"sujet\" required></div><button class=\"fr-btn fr-btn--secondary\" type=\"submit\">Voir les "
          "décisions</button></form>\n";
  if (session->agent.role != "agent")
    body += "<p><a href=\"/agent/rapprochements\">Rapprochements d'identité à revoir</a></p>\n";
  body += "<h2>Campagnes</h2>\n";
  std::string rows;
  for (const SeenRun& seen : *runs) {
    const RunSummary& run = seen.summary;
    // Where the run's sending stands, for an agent who may see all of it
    // (as its own page shows it).
    std::string state = run.planned_at ? "planifiée" : "planification en cours";
    if (run.planned_at && covers_all(seen.plan, session->agent))
      if (auto counts = (*store)->outbox_counts(run.run_id)) state = sending_state(*counts);
    rows += "<tr><td><a href=\"/agent/campagne?run=" + html_escape(httplib::detail::encode_query_param(run.run_id)) + "\">" + html_escape(run.run_id) + "</a></td>" +
            cell(run.sender) + cell(french_day(run.started_at)) + cell(state) + cell(number(seen.plan.households)) + "</tr>\n";
  }
  body += rows.empty() ? "<p>Aucune campagne ne concerne vos programmes.</p>\n"
                       : html_table("Campagnes", {"Campagne", "Expéditeur", "Lancée le", "État", "Foyers évalués"}, rows);
  page(res, "Espace agents", body);
}

void campaign(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  const std::string run = req.has_param("run") ? req.get_param_value("run").substr(0, 200) : "";
  auto store = service.store();
  auto seen = store ? run_seen_by(**store, session->agent, run) : Result<std::optional<SeenRun>>(store.error());
  if (!seen) {
    service.drop_store();
    page(res, "Campagne", "<p>Le service est indisponible.</p>", 503);
    return;
  }
  if (!*seen) {
    page(res, "Campagne introuvable", signed_in_bar(*session) + "<p>Aucune campagne de vos programmes ne porte ce nom. "
                                      "<a href=\"/agent\">Retour aux campagnes</a></p>", 404);
    return;
  }
  const PlanReport& plan = (*seen)->plan;
  std::string body = signed_in_bar(*session) + "<p><a href=\"/agent\">Retour aux campagnes</a></p>\n";
  body += "<p>" + number(plan.households) + " foyers et " + number(plan.persons) + " personnes évalués.</p>\n";
  body += funnel(plan, session->agent, "Du foyer évalué à l'action, par programme");
  body += skips(plan, session->agent);
  if (covers_all(plan, session->agent))
    if (auto counts = (*store)->outbox_counts(run)) body += delivery(*counts, (*seen)->delivery_json);
  page(res, "Campagne " + run, body);
}

void household(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  const std::string subject = req.has_param("sujet") ? req.get_param_value("sujet").substr(0, 100) : "";
  auto store = service.store();
  auto decisions = store ? (*store)->decisions_about(subject, "") : Result<std::vector<StoredDecision>>(store.error());
  if (!decisions) {
    service.drop_store();
    page(res, "Décisions", "<p>Le service est indisponible.</p>", 503);
    return;
  }
  std::string body = signed_in_bar(*session) + "<p><a href=\"/agent\">Retour aux campagnes</a></p>\n";
  std::string shown;
  for (const StoredDecision& d : *decisions) {
    if (!session->agent.covers(d.program)) continue;
    shown += (shown.empty() ? "" : ", ") + d.program;
    auto explanation = explanation_from_json(d.explanation_json);
    body += "<h2>" + html_escape(service.title_of(d.program).empty() ? d.program : service.title_of(d.program)) + "</h2>\n";
    body += "<p>Décision du " + html_escape(french_day(d.decided_at)) + ", campagne " + html_escape(d.run_id) + " : " +
            html_escape(french_status(d.status)) + ".</p>\n";
    if (explanation)
      body += html_paragraphs(stored_decision_text(*explanation, "foyer " + d.subject, d.status, d.decision_json, d.persons));
  }
  // Reading a person's data is itself recorded: who read what, when; a read
  // that cannot be recorded is not shown.
  {
    auto writing = service.writing();
    if (auto err = (*store)->audit("agent " + session->agent.login, "decisions viewed",
                                   subject_read(subject, !decisions->empty()) + (shown.empty() ? ": none shown" : ": " + shown));
        !err.ok()) {
      service.drop_store();
      page(res, "Décisions", "<p>Le service est indisponible.</p>", 503);
      return;
    }
  }
  if (shown.empty()) body += "<p>Aucune décision de vos programmes n'est gardée sur ce foyer.</p>\n";
  page(res, "Décisions gardées sur le foyer " + subject, body);
}

}  // namespace

void add_agent_routes(httplib::Server& server, Service& service) {
  server.Get("/agent/connexion", [](const httplib::Request& req, httplib::Response& res) { sign_in_form(req, res); });
  server.Post("/agent/connexion", [&service](const httplib::Request& req, httplib::Response& res) { sign_in(service, req, res); });
  server.Post("/agent/deconnexion", [&service](const httplib::Request& req, httplib::Response& res) { sign_out(service, req, res); });
  server.Get("/agent", [&service](const httplib::Request& req, httplib::Response& res) { dashboard(service, req, res); });
  server.Get("/agent/campagne", [&service](const httplib::Request& req, httplib::Response& res) { campaign(service, req, res); });
  server.Get("/agent/foyer", [&service](const httplib::Request& req, httplib::Response& res) { household(service, req, res); });
}

}  // namespace proactif
