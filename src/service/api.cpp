// /api/v1: evaluation (the same decisions as `proactif evaluate`), the
// programs in use, and what a person can do with a message's code.
#include <simdjson.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "campaign/citizen_requests.hpp"
#include "core/byte_order_mark.hpp"
#include "core/date.hpp"
#include "core/json_text.hpp"
#include "eval/decision_json.hpp"
#include "ingest/situation_stream.hpp"
#include "service/agent_access.hpp"
#include "service/routes.hpp"

namespace proactif {

namespace {

constexpr size_t kCitizenBodyBytes = 4096;
// What one evaluation request may ask, so that its answer (an explained
// decision runs to tens of kilobytes, each person adding to it) stays a
// few megabytes: a household of more persons, or more situations explained,
// are for `proactif evaluate`.
constexpr size_t kMostPersons = 40, kMostExplained = 100;

// Why the service does not evaluate these situations (JSONL), or "": a
// situation of more persons than kMostPersons, more than kMostExplained
// situations to explain. Persons are counted as the situations' reader
// reads them, without the values it leaves unread (a number out of range
// in a field no program reads); a line whose persons cannot be counted
// passes, and the reader names its fault.
std::string too_much(const std::string& text, bool explain) {
  simdjson::ondemand::parser parser;
  size_t line = 0, situations = 0;
  for (size_t at = 0; at < text.size(); ++line) {
    size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view situation(text.data() + at, end - at);
    at = end + 1;
    if (situation.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (explain && ++situations > kMostExplained)
      return "more than " + std::to_string(kMostExplained) + " situations to explain in one request: send them in several, "
             "or use `proactif evaluate --explain`";
    const simdjson::padded_string padded(situation);
    simdjson::ondemand::document parsed;
    simdjson::ondemand::array persons;
    size_t count = 0;
    if (parser.iterate(padded).get(parsed) != simdjson::SUCCESS ||
        parsed["persons"].get_array().get(persons) != simdjson::SUCCESS || persons.count_elements().get(count) != simdjson::SUCCESS)
      continue;
    if (count > kMostPersons)
      return "line " + std::to_string(line + 1) + ": more than " + std::to_string(kMostPersons) +
             " persons in one situation: the service does not evaluate such a household, `proactif evaluate` does";
  }
  return "";
}

// A small JSON object of string members, read strictly: every key known,
// none twice, every value a string of at most 100 characters.
Result<std::map<std::string, std::string>> read_string_members(const std::string& body,
                                                                std::initializer_list<std::string_view> allowed) {
  if (body.size() > kCitizenBodyBytes) return Error{ErrorKind::kInput, "the body is larger than " + std::to_string(kCitizenBodyBytes) + " bytes"};
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body).get(object) != simdjson::SUCCESS) return Error{ErrorKind::kInput, "the body is not a JSON object"};
  std::map<std::string, std::string> members;
  for (auto [key, value] : object) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return Error{ErrorKind::kInput, "unknown member '" + std::string(key.substr(0, 40)) + "'"};
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) return Error{ErrorKind::kInput, "member '" + std::string(key) + "' must be a string"};
    if (text.size() > 100) return Error{ErrorKind::kInput, "member '" + std::string(key) + "' is longer than 100 characters"};
    if (!members.emplace(std::string(key), std::string(text)).second)
      return Error{ErrorKind::kInput, "member '" + std::string(key) + "' is given twice"};
  }
  return members;
}

// The body's media type, without its parameters, in lower case (RFC 9110:
// "Application/JSON; charset=utf-8" is application/json).
std::string media_type(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  std::string media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  std::transform(media.begin(), media.end(), media.begin(), [](unsigned char c) { return std::tolower(c); });
  return media;
}

std::string iso_day(int64_t epoch_ms) { return epoch_ms ? format_iso_date(day_in_france(epoch_ms)) : ""; }

void evaluate(Service& service, const httplib::Request& req, httplib::Response& res) {
  const std::string media = media_type(req);
  if (media != "application/x-ndjson" && media != "application/jsonl" && media != "application/json") {
    send_problem(res, 415, "unsupported-media-type", "Unsupported media type",
                 "send situations as application/x-ndjson (one JSON object per line, as `proactif evaluate` reads them) "
                 "or one situation as application/json");
    return;
  }
  std::vector<std::string> ids;
  for (size_t i = 0, n = req.get_param_value_count("program"); i < n; ++i) ids.push_back(req.get_param_value("program", i));
  if (ids.empty()) {
    send_problem(res, 400, "invalid-parameter", "Invalid parameter", "give at least one program: ?program=c2s");
    return;
  }
  StreamOptions options;
  if (req.has_param("date")) {
    options.date = parse_iso_date(req.get_param_value("date"));
    if (!options.date) {
      send_problem(res, 400, "invalid-parameter", "Invalid parameter", "date: expected YYYY-MM-DD, a day that exists");
      return;
    }
  }
  if (req.has_param("explain")) {
    const std::string explain = req.get_param_value("explain");
    if (explain != "true" && explain != "false") {
      send_problem(res, 400, "invalid-parameter", "Invalid parameter", "explain: expected true or false");
      return;
    }
    options.explain = explain == "true";
  }
  auto engine = service.engine_for(ids);
  if (!engine) {
    send_problem(res, 404, "unknown-program", "Unknown program", engine.error().message);
    return;
  }
  std::string text = req.body;
  if (media == "application/json") {
    // One situation, which may span lines: made one line, as JSONL has it
    // (its byte order mark, which the reader reads past in a text of lines,
    // first set aside).
    if (byte_order_mark(text) == ByteOrderMark::kUtf8) text.erase(0, kUtf8ByteOrderMarkLength);
    std::vector<char> line(text.size() + 1);
    size_t length = 0;
    if (simdjson::minify(text.data(), text.size(), line.data(), length) != simdjson::SUCCESS) length = 0;
    text.assign(line.data(), length);
    if (text.find('\n') != std::string::npos || text.empty()) text = req.body;  // the reader names the fault
  }
  if (std::string why = too_much(text, options.explain); !why.empty()) {
    send_problem(res, 413, "too-large", "Request too large", why);
    return;
  }
  const DecisionFormatter format = [](auto&&... args) { append_decision(args...); };
  auto evaluated = evaluate_situation_text(**engine, text, options, format, "situation déclarée (requête au service)");
  if (!evaluated) {
    send_problem(res, 500, "evaluation-stopped", "Evaluation stopped", evaluated.error().message);
    return;
  }
  if (evaluated->report.errors > 0) {
    // Nothing is returned for a request with a refused line: the caller
    // corrects it and sends the request again.
    std::string errors = ",\"errors\":[";
    for (size_t i = 0; i < evaluated->refused.size(); ++i)
      errors += std::string(i ? "," : "") + "{\"line\":" + std::to_string(evaluated->refused[i].line) +
                ",\"detail\":" + json_string(evaluated->refused[i].reason) + "}";
    errors += "]";
    send_problem(res, 422, "invalid-situations", "Invalid situations",
                 std::to_string(evaluated->report.errors) + " of " +
                     std::to_string(evaluated->report.errors + evaluated->report.situations) +
                     " situations refused; nothing was evaluated",
                 errors);
    return;
  }
  if (evaluated->report.situations == 0) {
    // An empty answer would read as "no decision to give".
    send_problem(res, 400, "invalid-situations", "Invalid situations", "the body holds no situation");
    return;
  }
  res.set_content(std::move(evaluated->decisions), "application/x-ndjson");
}

void programs(Service& service, httplib::Response& res) {
  std::string out = "{\"programs\":[";
  for (size_t i = 0; i < service.program_ids().size(); ++i) {
    const Program& p = *service.program(service.program_ids()[i]);
    out += std::string(i ? "," : "") + "{\"id\":" + json_string(p.id) + ",\"title\":" + json_string(p.title) +
           ",\"authority\":" + json_string(p.authority) + ",\"entity\":" + json_string(entity_name(p.entity)) +
           ",\"page\":" + json_string("/algorithmes/" + p.id) + "}";
  }
  res.set_content(out + "]}", "application/json");
}

bool citizen_request(Service& service, const httplib::Request& req, httplib::Response& res) {
  int64_t retry_after = 0;
  if (within_citizen_limit(service, req, retry_after)) return true;
  res.set_header("Retry-After", std::to_string(retry_after));
  send_problem(res, 429, "too-many-requests", "Too many requests",
               "this address has made too many requests with message codes; try again later");
  return false;
}

void verification(Service& service, const httplib::Request& req, httplib::Response& res) {
  if (!citizen_request(service, req, res) || !json_body(req, res)) return;
  auto members = read_string_members(req.body, {"code"});
  if (!members || !members->count("code")) {
    send_problem(res, 400, "invalid-body", "Invalid body", members ? "member 'code' is required" : members.error().message);
    return;
  }
  auto store = service.store();
  if (!store) {
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  auto writing = service.writing();
  auto check = check_message(**store, members->at("code"), "proactif serve (API, vérification d'un code)",
                             [&service](const std::string& id) { return service.title_of(id); });
  if (!check) {
    service.drop_store();
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  std::string out = "{\"code\":" + json_string(check->code) + ",\"well_formed\":" + (check->well_formed ? "true" : "false") +
                    ",\"authentic\":" + (check->authentic ? "true" : "false");
  if (check->authentic) {
    out += ",\"program\":" + json_string(check->program) + ",\"benefit\":" + json_string(check->right) +
           ",\"nature\":" + json_string(check->what) + ",\"medium\":" + json_string(check->medium) +
           ",\"sender\":" + json_string(check->sender) + ",\"prepared_on\":" + json_string(iso_day(check->prepared_at)) +
           ",\"sent_on\":" + (check->sent_at ? json_string(iso_day(check->sent_at)) : "null") +
           ",\"cancelled\":" + (check->cancelled ? "true" : "false") +
           ",\"may_have_arrived\":" + (check->sent_at || check->in_doubt ? "true" : "false") +
           ",\"deleted_on\":" + (check->deleted_at ? json_string(iso_day(check->deleted_at)) : "null");
  }
  out += ",\"message\":" + json_string(message_check_text(*check)) + "}";
  res.set_content(out, "application/json");
}

void objection(Service& service, const httplib::Request& req, httplib::Response& res) {
  if (!citizen_request(service, req, res) || !json_body(req, res)) return;
  auto members = read_string_members(req.body, {"code", "scope"});
  if (!members || !members->count("code")) {
    send_problem(res, 400, "invalid-body", "Invalid body", members ? "member 'code' is required" : members.error().message);
    return;
  }
  const std::string scope = members->count("scope") ? members->at("scope") : "benefit";
  if (scope != "benefit" && scope != "all") {
    send_problem(res, 400, "invalid-body", "Invalid body", "scope: expected benefit or all");
    return;
  }
  auto store = service.store();
  if (!store) {
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the store cannot be reached; try again later");
    return;
  }
  ObjectionRequest request{members->at("code"), "", "", scope == "all", "service en ligne (API)"};
  auto writing = service.writing();
  auto outcome = record_objection(**store, request, "proactif serve (API, opposition)");
  if (!outcome) {
    service.drop_store();
    send_problem(res, 503, "store-unavailable", "Store unavailable", "the objection could not be recorded; try again later");
    return;
  }
  if (outcome->code_unknown) {
    send_problem(res, 404, "unknown-code", "Unknown code",
                 outcome->code_malformed
                     ? "this does not have a code's form (12 letters and digits in three groups of 4): nothing was recorded"
                     : "no message nor decision whose trace the store keeps (" +
                           std::to_string(RetentionPolicy{}.trace_days / 365) + " years) has this code: nothing was recorded");
    return;
  }
  const ObjectionResult& r = outcome->result;
  // A counter decision's reference reaches that decision alone, whatever the scope asked.
  const std::string applied = outcome->counter_decision ? "counter_decision" : scope;
  std::string out = "{\"recorded\":true,\"scope\":" + json_string(applied) +
                    ",\"program\":" + (applied == "all" ? std::string("null") : json_string(outcome->program)) +
                    ",\"decisions_deleted\":" + std::to_string(r.decisions_deleted) +
                    ",\"messages_cancelled\":" + std::to_string(r.actions_cancelled) +
                    ",\"requests_already_transmitted\":[";
  for (size_t i = 0; i < r.transmitted.size(); ++i)
    out += std::string(i ? "," : "") + "{\"program\":" + json_string(r.transmitted[i].program) +
           ",\"sent_on\":" + json_string(iso_day(r.transmitted[i].sent_at)) +
           ",\"refusal_transmitted\":" + (r.transmitted[i].withdrawal_blocked ? "false" : "true") + "}";
  res.status = 201;
  res.set_content(out + "]}", "application/json");
}

}  // namespace

void send_problem(httplib::Response& res, int status, const std::string& type, const std::string& title,
                  const std::string& detail, const std::string& extra) {
  res.status = status;
  res.set_content("{\"type\":" + json_string("/api/v1/problems/" + type) + ",\"title\":" + json_string(title) +
                      ",\"status\":" + std::to_string(status) + ",\"detail\":" + json_string(detail) + extra + "}",
                  "application/problem+json");
}

bool json_body(const httplib::Request& req, httplib::Response& res) {
  if (media_type(req) == "application/json") return true;
  send_problem(res, 415, "unsupported-media-type", "Unsupported media type", "send a JSON object as application/json");
  return false;
}

bool within_citizen_limit(Service& service, const httplib::Request& req, int64_t& retry_after) {
  bool first_held = false;
  if (service.citizen_limit().allow(req.remote_addr, static_cast<int64_t>(std::time(nullptr)), retry_after, first_held))
    return true;
  if (first_held) audit_held_back(service, "proactif serve (citoyens)", "message code checks held back", retry_after);
  return false;
}

void add_api_routes(httplib::Server& server, Service& service) {
  server.Get("/api/v1/openapi.json", [&service](const httplib::Request&, httplib::Response& res) {
    std::ifstream in(service.config().web_dir + "/openapi.json", std::ios::binary);
    if (!in.is_open()) {
      send_problem(res, 500, "missing-file", "Missing file", "the service's OpenAPI document is not installed");
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    res.set_content(text.str(), "application/json");
  });
  server.Get("/api/v1/programs", [&service](const httplib::Request&, httplib::Response& res) { programs(service, res); });
  server.Post("/api/v1/evaluate",
              [&service](const httplib::Request& req, httplib::Response& res) { evaluate(service, req, res); });
  server.Post("/api/v1/verifications",
              [&service](const httplib::Request& req, httplib::Response& res) { verification(service, req, res); });
  server.Post("/api/v1/objections",
              [&service](const httplib::Request& req, httplib::Response& res) { objection(service, req, res); });
}

}  // namespace proactif
