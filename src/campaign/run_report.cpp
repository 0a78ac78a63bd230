#include "campaign/run_report.hpp"

#include <simdjson.h>

#include <cstdio>

#include "core/json_text.hpp"

namespace proactif {

namespace {

std::string counts_json(const std::map<std::string, int64_t>& counts) {
  std::string out = "{";
  for (const auto& [what, n] : counts) {
    if (out.size() > 1) out += ", ";
    append_json_string(out, what);
    out += ": " + std::to_string(n);
  }
  return out + "}";
}

void read_counts(simdjson::ondemand::object object, std::map<std::string, int64_t>& into) {
  for (auto field : object) into[std::string(std::string_view(field.unescaped_key()))] = field.value().get_int64();
}

}  // namespace

std::string plan_report_json(const PlanReport& plan) {
  std::string out = "{\"households\": " + std::to_string(plan.households) + ", \"persons\": " +
                    std::to_string(plan.persons) + ", \"persons_alone\": " + std::to_string(plan.persons_alone) +
                    ", \"programs\": [";
  for (size_t i = 0; i < plan.programs.size(); ++i) {
    const ProgramPlan& p = plan.programs[i];
    out += i ? ", {" : "{";
    out += "\"program\": ";
    append_json_string(out, p.program);
    out += ", \"eligible\": " + std::to_string(p.eligible) + ", \"not_eligible\": " + std::to_string(p.not_eligible) +
           ", \"undetermined\": " + std::to_string(p.undetermined) + ", \"own_foyers\": " + std::to_string(p.own_foyers) +
           ", \"skipped\": " + counts_json(p.skipped) + ", \"planned\": " + counts_json(p.planned) +
           ", \"told_not_granted\": " + counts_json(p.told_not_granted) +
           ", \"told_request_accepted\": " + std::to_string(p.told_request_accepted) +
           ", \"refusals_replaced\": " + std::to_string(p.refusals_replaced) + "}";
  }
  out += "], \"households_written_to\": " + counts_json(plan.reached) +
         ", \"contacts_read\": " + std::to_string(plan.contacts_read) +
         ", \"letters_at_address_elsewhere\": " + counts_json(plan.letters_at_address_elsewhere) +
         ", \"addresses_elsewhere_unconfirmed\": " + counts_json(plan.addresses_elsewhere_unconfirmed) +
         ", \"nirs_elsewhere_unconfirmed\": " + counts_json(plan.nirs_elsewhere_unconfirmed) +
         ", \"left_for_social_services\": " + counts_json(plan.left_for_social_services) +
         ", \"social_services_lists\": ";
  append_json_string(out, plan.social_services_list);
  out += ", \"api_particulier\": " + counts_json(plan.api_particulier) + ", \"read_as_unknown\": ";
  append_json_string(out, plan.read_as_unknown);
  return out + "}";
}

Result<PlanReport> plan_report_from_json(const std::string& json) {
  PlanReport plan;
  try {
    simdjson::ondemand::parser parser;
    simdjson::padded_string text(json);
    auto doc = parser.iterate(text);
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key();
      if (key == "households") plan.households = field.value().get_int64();
      else if (key == "persons") plan.persons = field.value().get_int64();
      else if (key == "persons_alone") plan.persons_alone = field.value().get_int64();
      else if (key == "households_written_to") read_counts(field.value().get_object(), plan.reached);
      else if (key == "contacts_read") plan.contacts_read = field.value().get_int64();
      else if (key == "letters_at_address_elsewhere") read_counts(field.value().get_object(), plan.letters_at_address_elsewhere);
      else if (key == "addresses_elsewhere_unconfirmed") read_counts(field.value().get_object(), plan.addresses_elsewhere_unconfirmed);
      else if (key == "nirs_elsewhere_unconfirmed") read_counts(field.value().get_object(), plan.nirs_elsewhere_unconfirmed);
      else if (key == "left_for_social_services") read_counts(field.value().get_object(), plan.left_for_social_services);
      else if (key == "api_particulier") read_counts(field.value().get_object(), plan.api_particulier);
      else if (key == "social_services_lists") plan.social_services_list = std::string(std::string_view(field.value().get_string()));
      else if (key == "read_as_unknown") plan.read_as_unknown = std::string(std::string_view(field.value().get_string()));
      else if (key == "programs")
        for (auto item : field.value().get_array()) {
          ProgramPlan& p = plan.programs.emplace_back();
          for (auto f : item.get_object()) {
            const std::string_view k = f.unescaped_key();
            if (k == "program") p.program = std::string(std::string_view(f.value().get_string()));
            else if (k == "eligible") p.eligible = f.value().get_int64();
            else if (k == "not_eligible") p.not_eligible = f.value().get_int64();
            else if (k == "undetermined") p.undetermined = f.value().get_int64();
            else if (k == "own_foyers") p.own_foyers = f.value().get_int64();
            else if (k == "skipped") read_counts(f.value().get_object(), p.skipped);
            else if (k == "planned") read_counts(f.value().get_object(), p.planned);
            else if (k == "told_not_granted") read_counts(f.value().get_object(), p.told_not_granted);
            else if (k == "told_request_accepted") p.told_request_accepted = f.value().get_int64();
            else if (k == "refusals_replaced") p.refusals_replaced = f.value().get_int64();
          }
        }
    }
  } catch (const simdjson::simdjson_error& e) {
    return Error{ErrorKind::kInternal, std::string("the stored plan summary is not readable: ") + e.what()};
  }
  return plan;
}

std::string delivery_report_json(const OutboxCounts& counts, const DeliveryStats* delivery) {
  std::string out = "{\"outbox\": {\"delivered\": " + std::to_string(counts.delivered) + ", \"pending\": " +
                    std::to_string(counts.pending + counts.retry + counts.sending) + ", \"failed\": " +
                    std::to_string(counts.dead) + ", \"cancelled\": " + std::to_string(counts.cancelled) +
                    ", \"withdrawn\": " + std::to_string(counts.withdrawn) + ", \"held_without_answer\": " + std::to_string(counts.held) +
                    ", \"awaiting_failed_request\": " + std::to_string(counts.awaiting_failed_request) +
                    ", \"sent_again_after_interruption\": " + std::to_string(counts.in_doubt - counts.held) +
                    ", \"acknowledged_accepted\": " + std::to_string(counts.accepted) +
                    ", \"acknowledged_rejected\": " + std::to_string(counts.rejected) + "}";
  if (delivery) {
    char buf[160];
    std::snprintf(buf, sizeof buf, ", \"delivery\": {\"delivered\": %lld, \"failed_attempts\": %lld, \"seconds\": %.2f}",
                  static_cast<long long>(delivery->delivered), static_cast<long long>(delivery->failed_attempts),
                  delivery->seconds);
    out += buf;
    // Causes are codes and reasons only, never an address (DeliveryStats).
    out.pop_back();
    out += ", \"failure_causes\": {";
    bool first = true;
    for (const auto& [cause, count] : delivery->failure_causes) {
      out += first ? "" : ", ";
      append_json_string(out, cause);
      out += ": " + std::to_string(count);
      first = false;
    }
    out += "}}";
  }
  return out + "}";
}

}  // namespace proactif
