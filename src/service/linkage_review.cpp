// The linkage review queue, on the agents' pages and in the API: the pairs of
// records the linkage could not decide, each with its field-by-field
// agreement, for an admin to decide "the same person" or "two persons"; the
// next ingestion applies the decision. The queue concerns every program's
// population, so agents scoped to programs do not see it; auditors read it;
// every view and every decision is in the audit trail.
#include <simdjson.h>

#include <charconv>

#include "core/date.hpp"
#include "core/json_text.hpp"
#include "service/agent_access.hpp"
#include "service/html.hpp"
#include "service/routes.hpp"

namespace proactif {

namespace {

constexpr size_t kPairsShown = 100;

bool may_read(const AgentAccount& a) { return a.role == "admin" || a.role == "auditor"; }
bool may_decide(const AgentAccount& a) { return a.role == "admin"; }

// "family name exact +7.1, birth date same year, day or month differs +3.0":
// each item ends with its signed weight, so a level may hold a comma.
std::vector<std::pair<std::string, std::string>> field_items(const std::string& fields) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    if (fields[i] != ' ' || (fields[i + 1] != '+' && fields[i + 1] != '-')) continue;
    size_t end = fields.find(", ", i);
    if (end == std::string::npos) end = fields.size();
    out.push_back({fields.substr(start, i - start), fields.substr(i + 1, end - i - 1)});
    start = i = end + 2;
    --i;
  }
  return out;
}

std::string agreement_in_french(const std::string& item) {
  static const std::pair<const char*, const char*> kFields[] = {
      {"family name", "nom de famille"}, {"first names", "prénoms"},         {"birth date", "date de naissance"},
      {"sex", "sexe"},                   {"birth place", "lieu de naissance"}, {"commune", "commune"}};
  static const std::pair<const char*, const char*> kLevels[] = {
      {"exact", "identique"},
      {"agree", "identique"},
      {"similar", "proche"},
      {"disagree", "différent"},
      {"missing", "absent d'un côté"},
      {"another first name in common", "un autre prénom en commun"},
      {"day and month swapped", "jour et mois inversés"},
      {"same year, day or month differs", "même année, jour ou mois différent"}};
  for (const auto& [field, french_field] : kFields) {
    const std::string prefix = std::string(field) + " ";
    if (item.rfind(prefix, 0) != 0) continue;
    const std::string level = item.substr(prefix.size());
    for (const auto& [english, french] : kLevels)
      if (level == english) return std::string(french_field) + " : " + french;
    return std::string(french_field) + " : " + level;
  }
  return item;
}

std::string cell(const std::string& text) { return "<td>" + html_escape(text) + "</td>"; }

std::string weight_text(double w) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", w);
  std::string out = text;
  if (size_t dot = out.find('.'); dot != std::string::npos) out[dot] = ',';
  return out;
}

// The pending pairs shown and how many wait in all, the view audited: a
// read of personal data (record ids) not recorded is not shown.
struct Queue {
  std::vector<LinkageReview> pairs;
  int64_t pending = 0;
};
Result<Queue> read_queue(Service& service, const std::string& actor) {
  auto store = service.store();
  if (!store) return store.error();
  auto pairs = (*store)->pending_reviews(kPairsShown);
  auto count = pairs ? (*store)->pending_review_count() : Result<int64_t>(pairs.error());
  if (!count) {
    service.drop_store();
    return count.error();
  }
  auto writing = service.writing();
  if (auto err = (*store)->audit(actor, "linkage review queue viewed", std::to_string(pairs->size()) + " pairs shown"); !err.ok()) {
    service.drop_store();
    return err.error();
  }
  return Queue{std::move(*pairs), *count};
}

void review_page(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  const AgentAccount& agent = session->agent;
  if (!may_read(agent)) {
    audit_refused(service, "agent " + agent.login, "the linkage review queue (admins and auditors)");
    agent_page(res, "Rapprochements d'identité",
               signed_in_bar(*session) + "<p>La revue des rapprochements concerne la population de tous les "
                                         "programmes : elle est réservée aux administrateurs.</p>",
               403);
    return;
  }
  auto queue = read_queue(service, "agent " + agent.login);
  if (!queue) {
    agent_page(res, "Rapprochements d'identité", "<p>Le service est indisponible.</p>", 503);
    return;
  }
  const auto* pairs = &queue->pairs;
  const int64_t* count = &queue->pending;
  std::string body = signed_in_bar(*session) + "<p><a href=\"/agent\">Retour aux campagnes</a></p>\n";
  if (req.has_param("fait"))
    body += "<div class=\"fr-alert fr-alert--success fr-mb-4w\" role=\"status\"><p>Décision enregistrée sur la paire " +
            html_escape(req.get_param_value("fait").substr(0, 20)) +
            " : elle sera appliquée à la prochaine lecture des extraits.</p></div>\n";
  body += "<p>Ces paires de dossiers de deux extraits se ressemblent trop pour être tenues pour deux personnes et pas "
          "assez pour être rapprochées d'office : tant qu'une paire n'est pas tranchée, aucune action n'est menée "
          "envers ces personnes. Vérifiez les deux dossiers dans les applications des organismes, puis décidez. La "
          "décision est appliquée à la prochaine lecture des extraits et inscrite au journal d'audit.</p>\n";
  body += "<p>" + std::to_string(*count) + " paires à revoir" +
          (*count > static_cast<int64_t>(pairs->size()) ? ", les " + std::to_string(pairs->size()) + " plus probables ci-dessous" : "") +
          ".</p>\n";
  std::string rows;
  for (const LinkageReview& p : *pairs) {
    std::string agreement = "<ul>";
    for (const auto& [item, weight] : field_items(p.fields))
      agreement += "<li>" + html_escape(agreement_in_french(item)) + " (" + html_escape(weight) + ")</li>";
    agreement += "</ul>";
    std::string decide;
    if (may_decide(agent)) {
      const std::string id = std::to_string(p.id);
      auto button = [&](const char* decision, const char* words, const char* kind) {
        return "<form method=\"post\" action=\"/agent/rapprochements\"><input type=\"hidden\" name=\"jeton\" value=\"" +
               session->csrf + "\"><input type=\"hidden\" name=\"paire\" value=\"" + id +
               "\"><input type=\"hidden\" name=\"decision\" value=\"" + decision + "\"><button class=\"fr-btn fr-btn--sm " +
               kind + " fr-mb-1w\" type=\"submit\" aria-label=\"Paire " + id + " : " + words + "\">" + words +
               "</button></form>";
      };
      decide = button("same", "Même personne", "") + button("different", "Deux personnes", "fr-btn--secondary");
    }
    rows += "<tr>" + cell(std::to_string(p.id)) + cell(weight_text(p.weight)) + cell(p.source_a + " : " + p.record_a) +
            cell(p.source_b + " : " + p.record_b) + "<td>" + agreement + "</td>" +
            (may_decide(agent) ? "<td>" + decide + "</td>" : "") + "</tr>\n";
  }
  std::vector<std::string> headers = {"Paire", "Poids", "Dossier A", "Dossier B", "Concordance des traits (poids)"};
  if (may_decide(agent)) headers.push_back("Décision");
  body += rows.empty() ? "<p>Aucune paire n'attend de décision.</p>\n"
                       : html_table("Paires de dossiers à revoir, les plus probables d'abord", headers, rows);
  agent_page(res, "Rapprochements d'identité", body);
}

void decide_page(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto session = signed_in(service, req, res);
  if (!session) return;
  const std::string token = req.has_param("jeton") ? req.get_param_value("jeton") : "";
  if (token != session->csrf || !same_origin(req)) {
    agent_page(res, "Décision refusée", "<p>Le formulaire ne vient pas de ce site.</p>", 400);
    return;
  }
  if (!may_decide(session->agent)) {
    audit_refused(service, "agent " + session->agent.login, "a linkage pair decided (admins only)");
    agent_page(res, "Décision refusée", signed_in_bar(*session) + "<p>Seul un administrateur tranche un rapprochement.</p>", 403);
    return;
  }
  const std::string pair = req.has_param("paire") ? req.get_param_value("paire").substr(0, 20) : "";
  const std::string decision = req.has_param("decision") ? req.get_param_value("decision") : "";
  // Read without std::stoll, which throws past 2^63 - 1 (a 500 for a typed number).
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(pair.data(), pair.data() + pair.size(), id);
  const bool numbered = !pair.empty() && pair.find_first_not_of("0123456789") == std::string::npos &&
                        ec == std::errc() && end == pair.data() + pair.size() && id > 0;
  if (!numbered || (decision != "same" && decision != "different")) {
    agent_page(res, "Décision refusée", signed_in_bar(*session) + "<p>La paire ou la décision est invalide.</p>", 400);
    return;
  }
  auto store = service.store();
  auto writing = service.writing();
  auto decided = store ? (*store)->decide_review(id, decision, "agent " + session->agent.login, now_ms())
                       : Result<bool>(store.error());
  if (!decided) {
    service.drop_store();
    agent_page(res, "Rapprochements d'identité", "<p>Le service est indisponible : rien n'a été enregistré.</p>", 503);
    return;
  }
  if (!*decided) {
    agent_page(res, "Paire introuvable",
               signed_in_bar(*session) + "<p>Aucune paire en attente ne porte ce numéro : elle a peut-être déjà été "
                                         "tranchée. <a href=\"/agent/rapprochements\">Retour aux paires</a></p>",
               404);
    return;
  }
  redirect(res, "/agent/rapprochements?fait=" + std::to_string(id));
}

std::string pair_json(const LinkageReview& p) {
  char weight[32];
  std::snprintf(weight, sizeof weight, "%.4g", p.weight);
  return "{\"pair\":" + std::to_string(p.id) + ",\"weight\":" + weight + ",\"a\":{\"source\":" + json_string(p.source_a) +
         ",\"record\":" + json_string(p.record_a) + "},\"b\":{\"source\":" + json_string(p.source_b) +
         ",\"record\":" + json_string(p.record_b) + "},\"fields\":" + json_string(p.fields) +
         ",\"seen_at\":" + json_string(iso_timestamp(p.seen_at)) + ",\"seen_in\":" + json_string(p.seen_in) + "}";
}

void reviews_api(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent) return;
  if (!may_read(*agent)) {
    audit_refused(service, "agent " + agent->login + " (API)", "the linkage review queue (admins and auditors)");
    send_problem(res, 403, "forbidden", "Forbidden", "the linkage review queue is for admins and auditors");
    return;
  }
  auto queue = read_queue(service, "agent " + agent->login + " (API)");
  if (!queue) {
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  std::string out = "{\"pending\":" + std::to_string(queue->pending) + ",\"pairs\":[";
  for (const LinkageReview& p : queue->pairs) out += (out.back() == '[' ? "" : ",") + pair_json(p);
  res.set_content(out + "]}", "application/json");
}

// {"pair": 12, "decision": "same" | "different"}, nothing else.
void decide_api(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent) return;
  if (!may_decide(*agent)) {
    audit_refused(service, "agent " + agent->login + " (API)", "a linkage pair decided (admins only)");
    send_problem(res, 403, "forbidden", "Forbidden", "only an admin decides a linkage pair");
    return;
  }
  if (!json_body(req, res)) return;
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  int64_t id = 0;
  std::string decision;
  std::string invalid;
  if (req.body.size() > 1024 || parser.parse(req.body).get(object) != simdjson::SUCCESS) {
    invalid = "the body is not a JSON object";
  } else {
    size_t members = 0;
    for (auto [key, value] : object) {
      ++members;
      std::string_view text;
      if (key == "pair" && !id && value.get_int64().get(id) == simdjson::SUCCESS && id > 0) continue;
      if (key == "decision" && decision.empty() && value.get_string().get(text) == simdjson::SUCCESS &&
          (text == "same" || text == "different")) {
        decision = text;
        continue;
      }
      invalid = "member '" + std::string(key.substr(0, 40)) + "' is unknown, given twice or invalid";
      break;
    }
    if (invalid.empty() && (members != 2 || !id || decision.empty()))
      invalid = "give {\"pair\": N, \"decision\": \"same\" or \"different\"}";
  }
  if (!invalid.empty()) {
    send_problem(res, 400, "invalid-body", "Invalid body", invalid);
    return;
  }
  auto store = service.store();
  auto writing = service.writing();
  auto decided = store ? (*store)->decide_review(id, decision, "agent " + agent->login + " (API)", now_ms())
                       : Result<bool>(store.error());
  if (!decided) {
    service.drop_store();
    send_problem(res, 503, "store-unavailable", "Store unavailable", "nothing was recorded; try again later");
    return;
  }
  if (!*decided) {
    send_problem(res, 404, "unknown-pair", "Unknown pair", "no pending pair has this number (decided already?)");
    return;
  }
  res.set_content("{\"pair\":" + std::to_string(id) + ",\"decision\":" + json_string(decision) +
                      ",\"applied\":\"at the next ingestion of these extracts\"}",
                  "application/json");
}

}  // namespace

void add_linkage_review_routes(httplib::Server& server, Service& service) {
  server.Get("/agent/rapprochements", [&service](const httplib::Request& req, httplib::Response& res) { review_page(service, req, res); });
  server.Post("/agent/rapprochements", [&service](const httplib::Request& req, httplib::Response& res) { decide_page(service, req, res); });
  server.Get("/api/v1/reviews", [&service](const httplib::Request& req, httplib::Response& res) { reviews_api(service, req, res); });
  server.Post("/api/v1/reviews", [&service](const httplib::Request& req, httplib::Response& res) { decide_api(service, req, res); });
}

}  // namespace proactif
