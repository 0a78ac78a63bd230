#include "campaign/planner.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <thread>
#include <unordered_set>

#include "campaign/contacts.hpp"
#include "actions/verification_code.hpp"
#include "core/json_text.hpp"
#include "eval/decision_json.hpp"
#include "eval/snapshot_batch.hpp"
#include "population/batch_select.hpp"

namespace proactif {

namespace {

// Households per transaction: large enough to amortise a commit, small
// enough that a crash loses little work (planning again skips what is stored).
constexpr size_t kHouseholdsPerTransaction = 2000;

std::string french_amount(double v, const Unit& unit, bool money) {
  char buf[64];
  if (money) {
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    std::replace(s.begin(), s.end(), '.', ',');
    s += " €";
    if (unit.exponent(Unit::kMonth) == -1) s += " par mois";
    else if (unit.exponent(Unit::kYear) == -1) s += " par an";
    return s;
  }
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool household_under_review(const Batch& b, size_t h) {
  if (b.under_review.empty()) return false;
  for (uint32_t p = b.person_offsets[h]; p < b.person_offsets[h + 1]; ++p)
    if (b.under_review[p]) return true;
  return false;
}

// Whether the snapshot says the household already receives the benefit.
class ReceivingTest {
 public:
  ReceivingTest(const Snapshot& snap, const std::vector<AlreadyReceiving>& rules) : snap_(snap) {
    for (const auto& r : rules) {
      for (bool per_person : {false, true}) {
        const SnapshotColumn* c = snap.column(r.variable, per_person);
        if (c) tests_.push_back({c, r.values});
      }
    }
  }
  bool missing_column() const { return tests_.empty(); }
  bool operator()(size_t h) const {
    for (const auto& t : tests_) {
      if (t.column->per_person) {
        for (uint32_t p = snap_.person_offsets[h]; p < snap_.person_offsets[h + 1]; ++p)
          if (matches(t, p)) return true;
      } else if (matches(t, h)) {
        return true;
      }
    }
    return false;
  }

 private:
  struct Test {
    const SnapshotColumn* column;
    std::vector<std::string> values;
  };
  bool matches(const Test& t, size_t row) const {
    if (t.column->text) {
      uint32_t id = t.column->string[row];
      if (id == UINT32_MAX) return false;
      std::string_view v = snap_.strings.at(id);
      return std::find(t.values.begin(), t.values.end(), v) != t.values.end();
    }
    double v = t.column->number[row];
    if (std::isnan(v)) return false;
    for (const auto& want : t.values)
      if ((want == "true" && v == 1) || (want == "false" && v == 0) || std::to_string(static_cast<long>(v)) == want)
        return true;
    return false;
  }
  const Snapshot& snap_;
  std::vector<Test> tests_;
};

}  // namespace

size_t representative_row(const Program& program, const Batch& batch, const Outcome& outcome, size_t h) {
  if (program.entity == Entity::kHousehold) return h;
  size_t best = batch.person_offsets[h];
  for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p) {
    if (outcome.status[p] == Status::kEligible) return p;
    if (outcome.status[p] == Status::kUndetermined && outcome.status[best] == Status::kIneligible) best = p;
  }
  return best;
}

// The program and the parameter files it applies, hashed together: the
// decision can be re-derived from exactly these texts.
Result<std::string> program_hash(const Program& program) {
  std::set<std::string> files{program.file};
  for (const auto& p : program.params)
    if (p.parameter) files.insert(p.parameter->file);
  std::string all;
  for (const auto& f : files) {
    auto h = sha256_of_file(f);
    if (!h) return h.error();
    all += *h + "  " + f + "\n";
  }
  return sha256_hex(all);
}

// The request a paying body receives: who, which right, on which fact, on
// which legal basis, and the decision that supports it.
std::string grant_request(const Campaign& rules, const Program& program, const std::string& household,
                          const std::vector<std::string>& persons, const std::string& event, const std::string& date,
                          const std::string& decision_json, const std::string& code) {
  std::string out = "{\"request\": ";
  append_json_string(out, code);
  out += ", \"program\": ";
  append_json_string(out, program.id);
  out += ", \"title\": ";
  append_json_string(out, program.title);
  out += ", \"from\": ";
  append_json_string(out, rules.sender);
  out += ", \"to\": ";
  append_json_string(out, rules.delivery.transmission_to);
  out += ", \"household\": ";
  append_json_string(out, household);
  out += ", \"persons\": [";
  for (size_t i = 0; i < persons.size(); ++i) {
    if (i) out += ", ";
    append_json_string(out, persons[i]);
  }
  out += "], \"event\": ";
  append_json_string(out, event);
  out += ", \"event_date\": ";
  append_json_string(out, date);
  out += ", \"legal_basis\": [";
  for (size_t i = 0; i < program.references.size(); ++i) {
    if (i) out += ", ";
    append_json_string(out, program.references[i]);
  }
  out += "], \"decision\": " + decision_json + "}";
  return out;
}

std::string notice_json(const Campaign& campaign, const std::string& date, const Program& program, const BoundPlan& bound,
                         const Outcome& outcome, size_t row, ActionKind action, const Contact& contact,
                         const std::string& code) {
  std::string out = "{";
  auto field = [&](const char* key, const std::string& value) {
    if (out.size() > 1) out += ", ";
    append_json_string(out, key);
    out += ": ";
    append_json_string(out, value);
  };
  field("action", action_name(action));
  field("program", program.id);
  field("title", program.title);
  field("authority", program.authority);
  field("sender", campaign.sender);
  field("campaign", campaign.title);
  field("date", date);
  field("code", code);
  field("name", contact.display_name());
  field("address", contact.address);
  field("town", contact.town);
  field("how_to_object", campaign.how_to_object);
  out += ", \"results\": [";
  bool first = true;
  if (outcome.status[row] == Status::kEligible) {
    for (size_t j = 0; j < outcome.results; ++j) {
      const ResultDecl& decl = program.results[j];
      if (!outcome.is_known(row, j)) continue;
      const Register& r = bound.plan->regs[static_cast<size_t>(bound.plan->result_regs[j])];
      if (r.type != Type::kNumber) continue;
      out += first ? "{" : ", {";
      first = false;
      out += "\"label\": ";
      append_json_string(out, decl.value.label);
      out += ", \"value\": ";
      append_json_string(out, french_amount(outcome.value(row, j), decl.value.unit, decl.money));
      out += "}";
    }
  }
  // GDPR art. 14: which data, from which administration.
  out += "], \"data\": [";
  first = true;
  for (const auto& in : program.inputs) {
    out += first ? "{" : ", {";
    first = false;
    out += "\"label\": ";
    append_json_string(out, in.label);
    out += ", \"source\": ";
    append_json_string(out, in.source);
    out += "}";
  }
  out += "]}";
  return out;
}

Result<PlanReport> plan_campaign(const Campaign& campaign, const Engine& engine, const Snapshot& snapshot,
                                 const SourceMapping& contact_mapping, Store& store, const std::string& run_id) {
  PlanReport report;
  report.households = static_cast<int64_t>(snapshot.households());
  report.persons = static_cast<int64_t>(snapshot.persons());
  size_t unknown_codes = 0;
  Batch batch = batch_of_snapshot(snapshot, engine, unknown_codes);
  batch.date = *parse_iso_date(campaign.date);

  // Everyone is evaluated without explanations; only the households acted
  // on are evaluated again, a chunk at a time, with them (an explanation is
  // kilobytes: a million of them would not fit).
  EvalOptions eval;
  eval.threads = std::max(1u, std::thread::hardware_concurrency());
  EvalOptions explain = eval;
  explain.explain = true;

  struct Evaluated {
    const CampaignProgram* config;
    BoundPlan bound;
    Outcome outcome;
    std::string hash;
    std::vector<ActionKind> action;  // per household: what to do, kNothing when skipped
  };
  std::vector<Evaluated> evaluated;
  std::unordered_set<std::string> wanted;  // households whose contact details are needed
  for (const auto& config : campaign.programs) {
    auto plan = std::find_if(engine.plans.begin(), engine.plans.end(),
                             [&](const auto& p) { return p->program->id == config.id; });
    const Program& program = *(*plan)->program;
    auto bound = bind(**plan, batch.date, engine.codes);
    if (!bound) return bound.error();
    auto hash = program_hash(program);
    if (!hash) return hash.error();
    ReceivingTest receiving(snapshot, config.already_receiving);
    if (!config.already_receiving.empty() && receiving.missing_column())
      return Error{campaign.file + ": program " + config.id + ": no extract gives " +
                   config.already_receiving.front().variable + " (already_receiving)"};
    auto objectors = store.objectors(config.id);
    if (!objectors) return objectors.error();
    auto acted = store.acted_on(config.id, campaign.period, run_id);
    if (!acted) return acted.error();

    Evaluated e{&config, std::move(*bound), {}, *hash, {}};
    e.outcome = evaluate(e.bound, batch, engine.codes, eval);
    e.action.assign(batch.households(), ActionKind::kNothing);
    ProgramPlan counts;
    counts.program = config.id;
    for (size_t h = 0; h < batch.households(); ++h) {
      Status s = e.outcome.status[representative_row(program, batch, e.outcome, h)];
      if (s == Status::kIneligible) {
        ++counts.not_eligible;
        continue;
      }
      ++(s == Status::kEligible ? counts.eligible : counts.undetermined);
      bool objected = objectors->count(batch.household_ids[h]) > 0;
      for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1] && !objected; ++p)
        objected = objectors->count(batch.person_ids[p]) > 0;
      ActionKind a = s == Status::kEligible ? config.eligible : config.undetermined;
      const char* skip = objected                                   ? "objected"
                         : receiving(h)                            ? "already receiving"
                         : acted->count(batch.household_ids[h])    ? "already acted on for this period"
                         : household_under_review(batch, h)        ? "identity link under review"
                         : a == ActionKind::kNothing               ? "no action for this outcome"
                                                                   : nullptr;
      if (skip) {
        ++counts.skipped[skip];
        continue;
      }
      e.action[h] = a;
      // A grant goes to the paying body: no contact details are read for it.
      if (a != ActionKind::kGrant) wanted.insert(batch.household_ids[h]);
    }
    report.programs.push_back(std::move(counts));
    e.outcome = Outcome{};
    evaluated.push_back(std::move(e));
  }

  auto contacts = read_contacts(contact_mapping, wanted);
  if (!contacts) return contacts.error();

  std::vector<StoredDecision> decisions;
  std::vector<PlannedAction> actions;
  auto flush = [&]() -> std::optional<Error> {
    if (decisions.empty() && actions.empty()) return std::nullopt;
    auto err = store.store_plan(decisions, actions);
    decisions.clear();
    actions.clear();
    return err;
  };
  std::vector<size_t> acted;  // households with an action, in order
  for (size_t h = 0; h < batch.households(); ++h)
    for (const auto& e : evaluated)
      if (e.action[h] != ActionKind::kNothing) {
        acted.push_back(h);
        break;
      }
  std::vector<bool> person_columns;
  for (const auto& slot : engine.schema.slots) person_columns.push_back(slot.entity == Entity::kPerson);

  for (size_t first = 0; first < acted.size(); first += kHouseholdsPerTransaction) {
    std::vector<size_t> chunk(acted.begin() + static_cast<std::ptrdiff_t>(first),
                              acted.begin() + static_cast<std::ptrdiff_t>(std::min(acted.size(), first + kHouseholdsPerTransaction)));
    // Per program, the chunk's households it acts on, evaluated again with explanations.
    std::vector<Batch> subs(evaluated.size());
    std::vector<Outcome> explained(evaluated.size());
    std::vector<std::vector<size_t>> index(evaluated.size(), std::vector<size_t>(chunk.size(), SIZE_MAX));
    for (size_t i = 0; i < evaluated.size(); ++i) {
      std::vector<size_t> mine;
      for (size_t k = 0; k < chunk.size(); ++k)
        if (evaluated[i].action[chunk[k]] != ActionKind::kNothing) {
          index[i][k] = mine.size();
          mine.push_back(chunk[k]);
        }
      if (mine.empty()) continue;
      subs[i] = select_households(batch, mine, person_columns);
      explained[i] = evaluate(evaluated[i].bound, subs[i], engine.codes, explain);
    }
    for (size_t k = 0; k < chunk.size(); ++k) {
      size_t h = chunk[k];
      for (size_t i = 0; i < evaluated.size(); ++i) {
        Evaluated& e = evaluated[i];
        ActionKind a = e.action[h];
        if (a == ActionKind::kNothing) continue;
        const Outcome& outcome = explained[i];
        const Batch& sub = subs[i];
        const size_t j = index[i][k];  // the household's row in sub
        const std::string& household = batch.household_ids[h];
        auto contact = contacts->find(household);
        std::string channel = a == ActionKind::kGrant         ? "transmission"
                              : contact != contacts->end() ? reachable_channel(campaign.channels, contact->second)
                                                           : "";
        if (channel.empty()) {
          ++report.programs[i].skipped["no contact details for the campaign's channels"];
          continue;
        }
        const Program& program = *e.bound.plan->program;
        StoredDecision d;
        d.program = program.id;
        d.subject = household;
        d.period = campaign.period;
        d.run_id = run_id;
        for (uint32_t p = sub.person_offsets[j]; p < sub.person_offsets[j + 1]; ++p) d.persons.push_back(sub.person_ids[p]);
        size_t row = representative_row(program, sub, outcome, j);
        d.status = status_name(outcome.status[row]);
        if (program.entity == Entity::kHousehold) {
          append_decision(d.decision_json, household, nullptr, e.bound, sub, outcome, j, engine.codes);
        } else {
          for (uint32_t p = sub.person_offsets[j]; p < sub.person_offsets[j + 1]; ++p)
            append_decision(d.decision_json, household, &sub.person_ids[p], e.bound, sub, outcome, p, engine.codes);
        }
        if (!d.decision_json.empty() && d.decision_json.back() == '\n') d.decision_json.pop_back();
        if (outcome.explanations[row]) append_explanation_json(d.explanation_json, *outcome.explanations[row]);
        d.program_hash = e.hash;
        d.evaluation_date = campaign.date;
        PlannedAction act;
        act.key = {program.id, household, campaign.period, action_name(a)};
        act.channel = channel;
        act.run_id = run_id;
        act.verification_code = new_verification_code();
        if (a == ActionKind::kGrant) {
          act.recipient = campaign.delivery.transmission_to;
          act.message_json = grant_request(campaign, program, household, d.persons, "campaign " + campaign.id,
                                           campaign.date,
                                           program.entity == Entity::kHousehold ? d.decision_json : "null",
                                           act.verification_code);
        } else {
          act.recipient = recipient_for(channel, contact->second);
          act.message_json = notice_json(campaign, campaign.date, program, e.bound, outcome, row, a, contact->second,
                                         act.verification_code);
        }
        ++report.programs[i].planned[std::string(action_name(a)) + " by " + channel];
        decisions.push_back(std::move(d));
        actions.push_back(std::move(act));
      }
    }
    if (auto err = flush()) return *err;
  }
  if (auto err = flush()) return *err;
  return report;
}

}  // namespace proactif
