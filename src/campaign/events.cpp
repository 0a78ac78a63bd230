#include "campaign/events.hpp"

#include <simdjson.h>

#include <fstream>
#include <iostream>
#include <map>

#include "actions/verification_code.hpp"
#include "core/json_text.hpp"
#include "eval/decision_json.hpp"
#include "sources/situation_reader.hpp"

namespace proactif {

namespace {

struct Bad {
  std::string message;
};

std::string text_field(simdjson::ondemand::object& o, const char* key, bool required) {
  std::string_view v;
  auto field = o[key];
  if (field.error() == simdjson::NO_SUCH_FIELD) {
    if (required) throw Bad{"field '" + std::string(key) + "' is missing"};
    return "";
  }
  if (field.get_string().get(v) != simdjson::SUCCESS) throw Bad{"field '" + std::string(key) + "' must be a string"};
  return std::string(v);
}

}  // namespace

std::string event_runs(const Campaign& rules) { return rules.id + ":%"; }

Result<EventReport> process_events(const Campaign& rules, const Engine& engine, Store& store, const std::string& path,
                                   std::ostream& err) {
  EventReport report;
  std::map<std::string, size_t> report_index;
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) return Error{path + ": cannot read the events"};
  }
  std::istream& in = path == "-" ? std::cin : file;
  SituationReader reader(engine.schema, engine.codes);
  simdjson::ondemand::parser parser;
  std::map<std::string, bool> runs_started;
  std::map<std::string, std::string> hashes;  // per program: its files are read once, not per event
  EvalOptions eval;
  eval.explain = true;

  for (std::string line; std::getline(in, line);) {
    ++report.lines;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      simdjson::padded_string json(line);
      simdjson::ondemand::document doc;
      if (parser.iterate(json).get(doc) != simdjson::SUCCESS) throw Bad{"not JSON"};
      simdjson::ondemand::object event;
      if (doc.get_object().get(event) != simdjson::SUCCESS) throw Bad{"not a JSON object"};
      std::string kind = text_field(event, "event", true);
      std::string date_text = text_field(event, "date", true);
      auto date = parse_iso_date(date_text);
      if (!date) throw Bad{"field 'date': '" + date_text + "' is not a date YYYY-MM-DD that exists"};
      auto rule = std::find_if(rules.events.begin(), rules.events.end(), [&](const auto& e) { return e.first == kind; });
      if (rule == rules.events.end()) throw Bad{"field 'event': '" + kind + "' is not an event of " + rules.file};
      std::string_view situation_json;
      simdjson::ondemand::object situation_obj;
      if (event["situation"].get_object().get(situation_obj) != simdjson::SUCCESS ||
          situation_obj.raw_json().get(situation_json) != simdjson::SUCCESS)
        throw Bad{"field 'situation' must be a situation object (CONTRACT.md)"};
      std::string situation_text(situation_json);
      Contact contact;
      simdjson::ondemand::object contact_obj;
      if (event["contact"].get_object().get(contact_obj) == simdjson::SUCCESS) {
        contact.email = text_field(contact_obj, "email", false);
        contact.mobile = text_field(contact_obj, "mobile", false);
        contact.address = text_field(contact_obj, "address", false);
        contact.town = text_field(contact_obj, "town", false);
        contact.first_names = text_field(contact_obj, "first_names", false);
        contact.name = text_field(contact_obj, "name", false);
      }
      std::vector<std::string> refuses;
      simdjson::ondemand::array refused;
      if (event["refuses"].get_array().get(refused) == simdjson::SUCCESS)
        for (auto r : refused) {
          std::string_view v;
          if (r.get_string().get(v) != simdjson::SUCCESS) throw Bad{"field 'refuses' must list program ids"};
          refuses.emplace_back(v);
        }

      Batch batch;
      reader.reset(batch);
      Days situation_date = *date;
      simdjson::padded_string padded(situation_text);
      if (auto e = reader.append(std::string_view(padded.data(), padded.size()), padded.size() + simdjson::SIMDJSON_PADDING,
                                 batch, *date, situation_date))
        throw Bad{"situation: " + *e};
      batch.date = *date;
      const std::string& household = batch.household_ids.at(0);
      std::vector<std::string> persons(batch.person_ids.begin(), batch.person_ids.end());
      std::string period = date_text.substr(0, 7);
      std::string run_id = rules.id + ":" + period + ":" + rules.hash.substr(0, 12);
      if (!runs_started[run_id]) {
        auto started = store.start_run({run_id, rules.id, period, date_text, rules.hash, rules.sender});
        if (!started) return started.error();
        runs_started[run_id] = true;
      }
      for (const auto& program_id : refuses) {
        auto r = store.object(household, program_id, "refused with event " + kind + " of " + date_text, now_ms());
        if (!r) return r.error();
      }
      ++report.events;

      std::vector<StoredDecision> decisions;
      std::vector<PlannedAction> actions;
      for (const CampaignProgram& config : rule->second) {
        auto plan = std::find_if(engine.plans.begin(), engine.plans.end(),
                                 [&](const auto& p) { return p->program->id == config.id; });
        const Program& program = *(*plan)->program;
        auto bound = bind(**plan, *date, engine.codes);
        if (!bound) return bound.error();
        Outcome outcome = evaluate(*bound, batch, engine.codes, eval);
        auto [slot, fresh] = report_index.emplace(config.id, report.programs.size());
        if (fresh) report.programs.push_back({config.id, 0, 0, 0, {}, {}});
        ProgramPlan& counts = report.programs[slot->second];
        size_t row = representative_row(program, batch, outcome, 0);
        Status status = outcome.status[row];
        if (status == Status::kIneligible) {
          ++counts.not_eligible;
          continue;
        }
        ++(status == Status::kEligible ? counts.eligible : counts.undetermined);
        bool objected = false;
        std::vector<std::string> subjects = persons;
        subjects.push_back(household);
        for (const auto& subject : subjects) {
          auto h = store.has_objected(subject, config.id);
          if (!h) return h.error();
          objected |= *h;
        }
        // A second event for the household this month is acted on once (its own run included).
        auto acted = store.has_acted_on(config.id, household, period);
        if (!acted) return acted.error();
        ActionKind action = status == Status::kEligible ? config.eligible : config.undetermined;
        const char* skip = objected                         ? "objected or refused"
                           : *acted                         ? "already acted on for this period"
                           : action == ActionKind::kNothing ? "no action for this outcome"
                                                            : nullptr;
        if (skip) {
          ++counts.skipped[skip];
          continue;
        }
        StoredDecision d;
        d.program = program.id;
        d.subject = household;
        d.period = period;
        d.run_id = run_id;
        d.persons = persons;
        d.status = status_name(status);
        if (program.entity == Entity::kHousehold) {
          append_decision(d.decision_json, household, nullptr, *bound, batch, outcome, 0, engine.codes);
        } else {
          for (size_t p = 0; p < batch.persons(); ++p)
            append_decision(d.decision_json, household, &batch.person_ids[p], *bound, batch, outcome, p, engine.codes);
        }
        while (!d.decision_json.empty() && d.decision_json.back() == '\n') d.decision_json.pop_back();
        if (outcome.explanations[row]) append_explanation_json(d.explanation_json, *outcome.explanations[row]);
        auto hash = hashes.find(program.id);
        if (hash == hashes.end()) {
          auto h = program_hash(program);
          if (!h) return h.error();
          hash = hashes.emplace(program.id, *h).first;
        }
        d.program_hash = hash->second;
        d.evaluation_date = date_text;

        PlannedAction act;
        act.key = {program.id, household, period, action_name(action)};
        act.run_id = run_id;
        act.verification_code = new_verification_code();
        if (action == ActionKind::kGrant) {
          act.channel = "transmission";
          act.recipient = rules.delivery.transmission_to;
          act.message_json = grant_request(rules, program, household, persons, kind, date_text,
                                           program.entity == Entity::kHousehold ? d.decision_json : "null",
                                           act.verification_code);
        } else {
          act.channel = reachable_channel(rules.channels, contact);
          if (act.channel.empty()) {
            ++counts.skipped["no contact details for the channels"];
            continue;
          }
          act.recipient = recipient_for(act.channel, contact);
          act.message_json =
              notice_json(rules, date_text, program, *bound, outcome, row, action, contact, act.verification_code);
        }
        ++counts.planned[std::string(action_name(action)) + " by " + act.channel];
        decisions.push_back(std::move(d));
        actions.push_back(std::move(act));
      }
      // The event's decisions and actions together, or nothing.
      if (auto e = store.store_plan(decisions, actions)) return *e;
    } catch (const Bad& b) {
      ++report.rejected;
      err << "line " << report.lines << ": " << b.message << "\n";
    } catch (const simdjson::simdjson_error& e) {
      ++report.rejected;
      err << "line " << report.lines << ": " << e.what() << "\n";
    }
  }
  return report;
}

}  // namespace proactif
