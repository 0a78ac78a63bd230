// /api/v1 for the tools of a program's owners, with an agent's API token
// (Authorization: Bearer): the campaigns and their funnel, and the
// decisions kept on a household, within the agent's programs; each read of
// a household's decisions audited under the agent's login.
#include <cctype>

#include "core/date.hpp"
#include "core/json_text.hpp"
#include "eval/decision_json.hpp"
#include "service/accounts.hpp"
#include "service/agent_access.hpp"
#include "service/agent_runs.hpp"
#include "service/routes.hpp"

namespace proactif {

std::optional<AgentAccount> token_agent(Service& service, const httplib::Request& req, httplib::Response& res) {
  // What an agent's token reads is theirs to see, not a cache's.
  res.set_header("Cache-Control", "no-store");
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  // The scheme's name is case-insensitive (RFC 9110, 11.1); the token is not.
  auto scheme_is_bearer = [&] {
    if (header.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
    return true;
  };
  if (scheme_is_bearer() && header.size() == prefix.size() + 64) {
    auto store = service.store();
    auto agent = store ? (*store)->api_token(token_hash(header.substr(prefix.size())), now_ms())
                       : Result<std::optional<AgentAccount>>(store.error());
    if (agent && *agent) return **agent;
    if (!agent) {
      service.drop_store();
      send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
      return std::nullopt;
    }
  }
  res.set_header("WWW-Authenticate", "Bearer");
  send_problem(res, 401, "unauthorised", "Unauthorised", "give an agent's API token: Authorization: Bearer TOKEN");
  return std::nullopt;
}

namespace {

std::string json_counts(const std::map<std::string, int64_t>& counts) {
  std::string out = "{";
  for (const auto& [key, n] : counts) out += (out.size() > 1 ? "," : "") + json_string(key) + ":" + std::to_string(n);
  return out + "}";
}

std::string programs_json(const PlanReport& plan, const AgentAccount& agent) {
  std::string out = "[";
  for (const ProgramPlan& p : plan.programs) {
    if (!agent.covers(p.program)) continue;
    out += (out.size() > 1 ? "," : "") + std::string("{\"program\":") + json_string(p.program) +
           ",\"evaluated\":" + std::to_string(p.eligible + p.not_eligible + p.undetermined) +
           ",\"eligible\":" + std::to_string(p.eligible) + ",\"undetermined\":" + std::to_string(p.undetermined) +
           ",\"not_eligible\":" + std::to_string(p.not_eligible) + ",\"planned\":" + json_counts(p.planned) +
           ",\"skipped\":" + json_counts(p.skipped) + ",\"told_not_granted\":" + json_counts(p.told_not_granted) +
           ",\"told_request_accepted\":" + std::to_string(p.told_request_accepted) + "}";
  }
  return out + "]";
}

void campaigns(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent) return;
  auto store = service.store();
  auto runs = store ? runs_seen_by(**store, *agent) : Result<std::vector<SeenRun>>(store.error());
  if (!runs) {
    service.drop_store();
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  std::string out = "{\"campaigns\":[";
  for (const SeenRun& seen : *runs) {
    const RunSummary& run = seen.summary;
    out += std::string(out.back() == '[' ? "" : ",") + "{\"run\":" + json_string(run.run_id) + ",\"sender\":" +
           json_string(run.sender) + ",\"started_at\":" + json_string(iso_timestamp(run.started_at)) + ",\"planned\":" +
           (run.planned_at ? "true" : "false") + ",\"households\":" + std::to_string(seen.plan.households) +
           ",\"programs\":" + programs_json(seen.plan, *agent) + "}";
  }
  res.set_content(out + "]}", "application/json");
}

void campaign(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent) return;
  const std::string run = req.has_param("run") ? req.get_param_value("run").substr(0, 200) : "";
  auto store = service.store();
  auto seen = store ? run_seen_by(**store, *agent, run) : Result<std::optional<SeenRun>>(store.error());
  if (!seen) {
    service.drop_store();
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  if (!*seen) {
    send_problem(res, 404, "unknown-campaign", "Unknown campaign", "no campaign of your programs has this run id");
    return;
  }
  const PlanReport& plan = (*seen)->plan;
  std::string out = "{\"run\":" + json_string(run) + ",\"households\":" + std::to_string(plan.households) +
                    ",\"persons\":" + std::to_string(plan.persons) + ",\"programs\":" + programs_json(plan, *agent);
  if (covers_all(plan, *agent)) {
    auto counts = (*store)->outbox_counts(run);
    if (counts)
      out += ",\"outbox\":{\"delivered\":" + std::to_string(counts->delivered) + ",\"pending\":" +
             std::to_string(counts->pending + counts->retry + counts->sending) + ",\"failed\":" +
             std::to_string(counts->dead) + ",\"cancelled\":" + std::to_string(counts->cancelled) +
             ",\"held\":" + std::to_string(counts->held) +
             ",\"awaiting_failed_request\":" + std::to_string(counts->awaiting_failed_request) + "}";
  }
  res.set_content(out + "}", "application/json");
}

void decisions(Service& service, const httplib::Request& req, httplib::Response& res) {
  auto agent = token_agent(service, req, res);
  if (!agent) return;
  const std::string subject = req.has_param("subject") ? req.get_param_value("subject").substr(0, 100) : "";
  if (subject.empty()) {
    send_problem(res, 400, "invalid-parameter", "Invalid parameter", "give the household or person: ?subject=ID");
    return;
  }
  auto store = service.store();
  auto found = store ? (*store)->decisions_about(subject, "") : Result<std::vector<StoredDecision>>(store.error());
  if (!found) {
    service.drop_store();
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  std::string out = "{\"subject\":" + json_string(subject) + ",\"decisions\":[", shown;
  for (const StoredDecision& d : *found) {
    if (!agent->covers(d.program)) continue;
    shown += (shown.empty() ? "" : ", ") + d.program;
    // The decision line its status is of and its explanation, as stored,
    // embedded as JSON.
    const std::string line = representative_line(d.decision_json, d.status, d.persons).text;
    out += std::string(out.back() == '[' ? "" : ",") + "{\"program\":" + json_string(d.program) + ",\"run\":" +
           json_string(d.run_id) + ",\"period\":" + json_string(d.period) + ",\"status\":" + json_string(d.status) +
           ",\"decided_at\":" + json_string(iso_timestamp(d.decided_at)) + ",\"program_hash\":" +
           json_string(d.program_hash) + ",\"decision\":" + (line.empty() ? "null" : line) +
           ",\"explanation\":" + (d.explanation_json.empty() ? "null" : d.explanation_json) + "}";
  }
  {
    // A read that cannot be recorded is not answered.
    auto writing = service.writing();
    if (auto err = (*store)->audit("agent " + agent->login + " (API)", "decisions viewed",
                                   subject_read(subject, !found->empty()) + (shown.empty() ? ": none shown" : ": " + shown));
        !err.ok()) {
      service.drop_store();
      send_problem(res, 503, "store-unavailable", "Store unavailable", "the read could not be audited; try again later");
      return;
    }
  }
  res.set_content(out + "]}", "application/json");
}

}  // namespace

void add_agent_api_routes(httplib::Server& server, Service& service) {
  server.Get("/api/v1/campaigns", [&service](const httplib::Request& req, httplib::Response& res) { campaigns(service, req, res); });
  server.Get("/api/v1/campaign", [&service](const httplib::Request& req, httplib::Response& res) { campaign(service, req, res); });
  server.Get("/api/v1/decisions", [&service](const httplib::Request& req, httplib::Response& res) { decisions(service, req, res); });
}

}  // namespace proactif
