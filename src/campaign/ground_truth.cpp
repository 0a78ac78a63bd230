#include "campaign/ground_truth.hpp"

#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "campaign/targeting.hpp"
#include "eval/decision_json.hpp"
#include "eval/own_foyers.hpp"
#include "sources/situation_reader.hpp"
#include "synth/population_model.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

// "CAF:P00000012" (a record as the snapshot names persons) -> true person.
Result<std::unordered_map<std::string, std::string>> read_records(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{ErrorKind::kNotFound, path + ": cannot read the ground truth (is the population synthetic?)"};
  std::unordered_map<std::string, std::string> out;
  std::string line;
  std::getline(in, line);  // header: person;source;record
  while (std::getline(in, line)) {
    size_t a = line.find(';'), b = line.find(';', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    out[line.substr(a + 1, b - a - 1) + ":" + line.substr(b + 1)] = line.substr(0, a);
  }
  return out;
}

Result<Batch> read_true_situations(const std::string& path, const Engine& engine, Days date) {
  std::ifstream in(path);
  if (!in) return Error{ErrorKind::kNotFound, path + ": cannot read the true situations"};
  SituationReader reader(engine.schema, engine.codes);
  Batch batch;
  reader.reset(batch);
  size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    simdjson::padded_string padded(line);
    Days own = date;
    if (auto e = reader.append(std::string_view(padded.data(), padded.size()), padded.size() + simdjson::SIMDJSON_PADDING,
                               batch, date, own))
      return Error{ErrorKind::kInput, SourcePosition{path, static_cast<int>(number)}, *e};
  }
  batch.date = date;
  return batch;
}

// What the truth's persons who form a foyer of their own truly have of the
// household's data: the synthetic world's own rule (synth::kNoneOfTheirOwn),
// not what the extracts' mappings infer, so that the comparison tests it.
void add_own_foyer_truth(Batch& truth, const Engine& engine) {
  truth.own_foyer_inputs.resize(engine.schema.slots.size());
  truth.own_foyer_origins.resize(engine.schema.slots.size());
  for (const auto& fact : synth::kNoneOfTheirOwn)
    for (size_t s = 0; s < engine.schema.slots.size(); ++s) {
      const InputSlot& slot = engine.schema.slots[s];
      if (slot.name != fact.variable || slot.entity != Entity::kHousehold) continue;
      truth.own_foyer_inputs[s].value.assign(truth.persons(), fact.value);
      truth.own_foyer_origins[s].assign(truth.persons(), ValueOrigin{});
    }
}

// One decision line's status and result, as JSON text per result.
struct Line {
  std::string person, status;
  std::map<std::string, std::string> result;
};

std::vector<Line> parse_lines(const std::string& decision_json) {
  std::vector<Line> out;
  simdjson::ondemand::parser parser;
  size_t start = 0;
  while (start < decision_json.size()) {
    size_t end = decision_json.find('\n', start);
    if (end == std::string::npos) end = decision_json.size();
    simdjson::padded_string padded(std::string_view(decision_json).substr(start, end - start));
    start = end + 1;
    Line line;
    auto doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      if (key == "person") line.person = std::string(std::string_view(field.value().get_string()));
      else if (key == "status") line.status = std::string(std::string_view(field.value().get_string()));
      else if (key == "result")
        for (auto r : field.value().get_object()) {
          std::string_view raw = r.value().raw_json_token();
          while (!raw.empty() && (raw.back() == ' ' || raw.back() == ',')) raw.remove_suffix(1);
          line.result[std::string(std::string_view(r.unescaped_key()))] = std::string(raw);
        }
    }
    out.push_back(std::move(line));
  }
  return out;
}

bool same_result(const std::map<std::string, std::string>& run, const std::map<std::string, std::string>& truth,
                 std::string& differs) {
  for (const auto& [key, value] : run) {
    auto t = truth.find(key);
    if (t == truth.end()) {
      differs = key + " absent from the truth";
      return false;
    }
    char* a_end = nullptr;
    char* b_end = nullptr;
    double a = std::strtod(value.c_str(), &a_end), b = std::strtod(t->second.c_str(), &b_end);
    bool numbers = a_end != value.c_str() && b_end != t->second.c_str();
    if (numbers ? std::fabs(a - b) > 0.005 : value != t->second) {
      differs = key + " " + value + " where the truth gives " + t->second;
      return false;
    }
  }
  return true;
}

// The persons an explanation says the foyer counted; empty when it says nothing.
std::vector<std::string> counted_in_foyer(const std::string& explanation_json) {
  std::vector<std::string> out;
  if (explanation_json.empty()) return out;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(explanation_json);
  auto doc = parser.iterate(padded);
  simdjson::ondemand::object foyer;
  if (doc["foyer"].get_object().get(foyer) != simdjson::SUCCESS) return out;
  for (auto id : foyer["counted"].get_array()) out.emplace_back(std::string_view(id.get_string()));
  return out;
}

// The truth's decision for each true person, for one program: the
// household's decision, or for a person outside its foyer, that of their
// own foyer; with the persons that foyer counts.
struct TruthSubject {
  std::string line;
  std::set<std::string> members;
  bool route = false;
};

class TruthDecisions {
 public:
  TruthDecisions(const BoundPlan& bound, const Engine& engine, const Batch& batch, const EvalOptions& options) {
    const Program& program = *bound.plan->program;
    PopulationOutcome p = evaluate_population(bound, engine.schema, batch, engine.codes, options);
    const bool per_person = program.entity == Entity::kPerson;
    subject_of_.assign(batch.persons(), SIZE_MAX);
    for (uint8_t part = 0; part < 2; ++part) {
      const Batch& b = part == 0 ? batch : p.own.batch;
      const Outcome& o = part == 0 ? p.outcome : p.own_outcome;
      for (size_t h = 0; h < b.households(); ++h) {
        std::set<std::string> members;
        for (uint32_t q = b.person_offsets[h]; q < b.person_offsets[h + 1]; ++q)
          if (o.foyer.empty() || o.foyer[q] != Membership::kOutside) members.insert(b.person_ids[q]);
        auto add = [&](size_t row, const std::string* person) {
          TruthSubject s;
          append_decision(s.line, b.household_ids[h], person, bound, b, o, row, engine.codes);
          s.members = members;
          s.route = automatic_route_holds(program, o, row, engine.codes);
          subjects_.push_back(std::move(s));
          return subjects_.size() - 1;
        };
        if (!per_person) {
          size_t s = add(h, nullptr);
          bool eligible = o.status[h] == Status::kEligible;
          for (uint32_t q = b.person_offsets[h]; q < b.person_offsets[h + 1]; ++q) {
            if (!o.foyer.empty() && o.foyer[q] == Membership::kOutside) continue;
            size_t t = part == 0 ? q : p.own.from[h];
            subject_of_[t] = s;
          }
          if (eligible) ++entitled_;
          continue;
        }
        for (uint32_t q = b.person_offsets[h]; q < b.person_offsets[h + 1]; ++q) {
          if (!o.foyer.empty() && o.foyer[q] == Membership::kOutside) continue;
          subject_of_[part == 0 ? q : p.own.from[h]] = add(q, &b.person_ids[q]);
          if (o.status[q] == Status::kEligible) ++entitled_;
        }
      }
    }
  }

  const TruthSubject* of(size_t person) const {
    return person < subject_of_.size() && subject_of_[person] != SIZE_MAX ? &subjects_[subject_of_[person]] : nullptr;
  }
  int64_t entitled() const { return entitled_; }

 private:
  std::vector<TruthSubject> subjects_;
  std::vector<size_t> subject_of_;  // per true person
  int64_t entitled_ = 0;
};

}  // namespace

Result<TruthReport> check_against_truth(const Campaign& campaign, const Engine& engine, Store& store,
                                        const std::string& run_id, const std::string& truth_dir) {
  auto records = read_records((fs::path(truth_dir) / "truth_records.csv").string());
  if (!records) return records.error();
  const Days date = *parse_iso_date(campaign.date);
  auto truth = read_true_situations((fs::path(truth_dir) / "truth_situations.jsonl").string(), engine, date);
  if (!truth) return truth.error();
  add_own_foyer_truth(*truth, engine);
  std::unordered_map<std::string, size_t> person_index;  // true person id -> row in the truth's batch
  for (size_t p = 0; p < truth->persons(); ++p) person_index[truth->person_ids[p]] = p;

  EvalOptions options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  TruthReport report;
  for (const auto& config : campaign.programs) {
    auto plan = std::find_if(engine.plans.begin(), engine.plans.end(),
                             [&](const auto& p) { return p->program->id == config.id; });
    const Program& program = *(*plan)->program;
    auto bound = bind(**plan, date, engine.codes);
    if (!bound) return bound.error();
    TruthDecisions decisions(*bound, engine, *truth, options);
    // One program's actions at a time: each comes with its explanation.
    auto planned = store.planned_by_run(run_id, config.id);
    if (!planned) return planned.error();
    TruthProgramCounts counts;
    counts.program = config.id;
    counts.truly_entitled = decisions.entitled();
    std::set<const TruthSubject*> reached;
    for (const auto& p : *planned) {
      const StoredDecision& d = p.decision;
      if (p.action == "grant_notice") continue;
      // The true persons the run decided for.
      std::vector<std::string> counted = counted_in_foyer(d.explanation_json);
      if (counted.empty()) counted = d.persons;
      std::set<std::string> members;
      bool known = true;
      for (const auto& id : counted) {
        auto t = records->find(id);
        if (t == records->end()) known = false;
        else members.insert(t->second);
      }
      std::vector<Line> lines = parse_lines(d.decision_json);
      auto truth_of = [&](const std::string& record) -> const TruthSubject* {
        auto t = records->find(record);
        if (t == records->end()) return nullptr;
        auto row = person_index.find(t->second);
        return row == person_index.end() ? nullptr : decisions.of(row->second);
      };
      const bool notice = p.action == "notify", possible = p.action == "notify_possible", grant = p.action == "grant";
      if (!notice && !possible && !grant) continue;
      ++(notice ? counts.notices : possible ? counts.possible : counts.grants);
      // For a fare, each person the run said was entitled (or may be); for
      // a household program, its decision.
      std::string wanted = notice || grant ? "eligible" : "undetermined";
      bool wrong_status = false, wrong_amount = false, truth_open = false, matched = known;
      std::string detail;
      for (const Line& line : lines) {
        if (program.entity == Entity::kPerson && line.status != wanted) continue;
        const TruthSubject* t = truth_of(program.entity == Entity::kPerson ? line.person : counted.empty() ? "" : counted.front());
        if (!t) {
          matched = false;
          continue;
        }
        reached.insert(t);
        if (program.entity == Entity::kHousehold && t->members != members) ++counts.foyer_differs;
        Line truth_line = parse_lines(t->line).front();
        if (truth_line.status == "ineligible") {
          wrong_status = true;
          detail = "the truth says not entitled";
        } else if (truth_line.status == "undetermined") {
          truth_open = true;
        } else if ((notice || grant) && !same_result(line.result, truth_line.result, detail)) {
          wrong_amount = true;
        }
        if (grant && !t->route) {
          wrong_status = true;
          detail = "no automatic route in the truth";
        }
      }
      if (!matched) {
        // Not compared, so neither right nor wrong: counted apart, and wrong.
        ++counts.unmatched;
        if (report.examples.size() < 20)
          report.examples.push_back(config.id + " " + p.action + " " + d.subject + ": not found in the truth");
        continue;
      }
      if (notice) {
        counts.notices_not_entitled += wrong_status;
        counts.notices_truth_undetermined += !wrong_status && truth_open;
        counts.notices_entitled += !wrong_status && !truth_open;
        counts.wrong_amounts += wrong_amount;
      } else if (possible) {
        counts.possible_not_entitled += wrong_status;
        counts.possible_truth_undetermined += !wrong_status && truth_open;
        counts.possible_entitled += !wrong_status && !truth_open;
      } else {
        counts.grants_not_entitled += wrong_status || wrong_amount;
      }
      if ((wrong_status && !possible) || wrong_amount) {
        if (report.examples.size() < 20)
          report.examples.push_back(config.id + " " + p.action + " " + d.subject + ": " + detail);
      }
    }
    for (const TruthSubject* t : reached) counts.truly_entitled_reached += parse_lines(t->line).front().status == "eligible";
    report.programs.push_back(std::move(counts));
  }
  return report;
}

}  // namespace proactif
