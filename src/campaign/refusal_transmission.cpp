#include "campaign/refusal_transmission.hpp"

#include "actions/verification_code.hpp"
#include "core/json_text.hpp"

namespace proactif {

PlannedAction refusal_transmission(const TransmittedGrant& grant, const std::string& day, const std::string& event) {
  PlannedAction refusal;
  refusal.key = {grant.key.program, grant.key.subject, grant.key.period, "refusal"};
  refusal.channel = "transmission";
  refusal.run_id = grant.run_id;
  refusal.verification_code = new_verification_code();
  std::string& out = refusal.message_json;
  out = "{";
  const char* separator = "";
  auto field = [&](const char* key, const std::string& value) {
    out += separator;
    separator = ", ";
    append_json_string(out, key);
    out += ": ";
    append_json_string(out, value);
  };
  field("request", refusal.verification_code);
  field("withdraws", grant.code);
  field("program", grant.key.program);
  field("from", grant.sender);
  field("household", grant.key.subject);
  out += ", \"choice\": {\"refused\": true, \"date\": ";
  append_json_string(out, day);
  out += ", \"by\": [";
  for (size_t i = 0; i < grant.refused_by.size(); ++i) {
    if (i) out += ", ";
    append_json_string(out, grant.refused_by[i]);
  }
  out += "]}";
  field("event", event);
  field("event_date", day);
  out += "}";
  return refusal;
}

}  // namespace proactif
