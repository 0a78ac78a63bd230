#include "campaign/api_particulier_fill.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "campaign/address_elsewhere.hpp"
#include "campaign/contacts.hpp"
#include "campaign/person_key.hpp"
#include "campaign/settled_birth_dates.hpp"
#include "campaign/store_facts.hpp"
#include "campaign/planner.hpp"
#include "campaign/subject_facts.hpp"
#include "campaign/targeting.hpp"
#include "eval/own_foyers.hpp"
#include "population/batch_select.hpp"
#include "eval/snapshot_batch.hpp"
#include "sources/api_particulier.hpp"

namespace proactif {

namespace {

// A cell of the population a fetched datum fills.
struct Target {
  std::string column;
  bool per_person = true;
  bool text = false;  // a code
  uint32_t row = 0;   // the person, or the household, in the snapshot
};

// One datum asked about one person, for the inputs it fills.
struct Ask {
  uint32_t person = 0, household = 0;  // in the snapshot
  Datum datum{};
  std::vector<Target> targets;
  std::vector<std::string> programs;  // the programs waiting for it
  // The subjects whose decisions wait for it: one whose persons objected,
  // or were told or requested within the year, under other numbers is found
  // by their keyed NIRs once the identities are read.
  struct Waiting {
    const CampaignProgram* config;
    std::string subject;
    std::vector<std::string> concerned;  // persons_concerned
    SubjectFacts facts;                  // as the extracts and the store's records by identifier say
  };
  std::vector<Waiting> waiting;
};

void add_once(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// Whether some answer to the yes-or-no data asked for household `h` of `b`
// (`asked`: each datum's input slot and row in the household), undetermined
// in `outcome`, could change what the campaign does: each combination of
// their values is evaluated, the household's other data as they are, and
// one that leads to another action than the undetermined decision's, or
// that counts another person in or out of the program's foyer (who then
// forms a foyer of their own, decided apart), may. A datum of another kind
// (a number, a code), or more than four of them, is taken as one whose
// answer may. What keeps a campaign from sending a person's identity to API
// Particulier where the answer could change nothing (GDPR art. 5.1.c).
bool some_answer_changes(const CampaignProgram& config, const Program& program, const BoundPlan& bound,
                         const Engine& engine, const Batch& b, const Outcome& outcome, size_t h,
                         const std::vector<std::pair<size_t, size_t>>& asked) {
  if (asked.empty() || asked.size() > 4) return true;
  for (const auto& [slot, row] : asked)
    if (engine.schema.slots[slot].type != Type::kBool) return true;
  std::vector<bool> person_columns;
  for (const auto& slot : engine.schema.slots) person_columns.push_back(slot.entity == Entity::kPerson);
  Batch one = select_households(b, {h}, person_columns);
  for (unsigned values = 0; values < (1u << asked.size()); ++values) {
    for (size_t k = 0; k < asked.size(); ++k) one.inputs[asked[k].first].value[asked[k].second] = (values >> k) & 1u;
    const Outcome there = evaluate(bound, one, engine.codes, EvalOptions{});
    const Status status = there.status[representative_row(program, one, there, 0)];
    const ActionKind action = status == Status::kEligible       ? config.eligible
                              : status == Status::kUndetermined ? config.undetermined
                                                                : ActionKind::kNothing;
    if (action != config.undetermined) return true;
    if (!outcome.foyer.empty())
      for (uint32_t p = b.person_offsets[h]; p < b.person_offsets[h + 1]; ++p)
        if (there.foyer.at(p - b.person_offsets[h]) != outcome.foyer[p]) return true;
  }
  return false;
}

uint32_t household_of_person(const Snapshot& snapshot, uint32_t person) {
  auto it = std::upper_bound(snapshot.person_offsets.begin(), snapshot.person_offsets.end(), person);
  return static_cast<uint32_t>(it - snapshot.person_offsets.begin()) - 1;
}

// The persons and data to ask: for each program, the undetermined
// households' (or persons') missing inputs that API Particulier gives.
class AskList {
 public:
  AskList(const Snapshot& snapshot, std::map<std::string, int64_t>& counts) : snapshot_(snapshot), counts_(counts) {}

  Result<void> add_program(const Campaign& campaign, const CampaignProgram& config, const Engine& engine,
                                   const Batch& batch, Store& store, const std::string& run_id) {
    auto plan = std::find_if(engine.plans.begin(), engine.plans.end(),
                             [&](const auto& p) { return p->program->id == config.id; });
    const Program& program = *(*plan)->program;
    const std::vector<std::string>& wanted = campaign.api_particulier->inputs;
    std::vector<bool> fillable(program.inputs.size());
    bool any = false;
    for (size_t i = 0; i < program.inputs.size(); ++i) {
      const InputDecl& in = program.inputs[i];
      fillable[i] = in.api_particulier && (wanted.empty() || std::count(wanted.begin(), wanted.end(), in.name));
      any |= fillable[i];
    }
    if (!any) return {};
    auto bound = bind(**plan, batch.date, engine.codes);
    if (!bound) return bound.error();
    std::vector<size_t> slot_of_input(program.inputs.size());
    for (size_t slot = 0; slot < (*plan)->input_of_slot.size(); ++slot)
      if (const int input = (*plan)->input_of_slot[slot]; input >= 0) slot_of_input[static_cast<size_t>(input)] = slot;
    auto objectors = store.objectors(config.id);
    if (!objectors) return objectors.error();
    auto acted_on = store.acted_on(config.id, campaign.period, run_id);
    if (!acted_on) return acted_on.error();
    auto requested = store.acted_on(config.id, campaign.period, run_id, 0, "grant");
    if (!requested) return requested.error();
    auto read_year = store.acted_within_year(config.id, campaign.period);
    if (!read_year) return read_year.error();
    const Store::ActedWithinYear* within_year = &(years_[config.id] = std::move(*read_year));
    ReceivingTest receiving(snapshot_, config.already_receiving);
    const AcceptanceTest acceptance(snapshot_, config.acceptance, batch.date);
    // Before anyone is asked about: a refusal a misspelt column hides.
    if (std::string missing = acceptance.missing_in(campaign.file, config); !missing.empty())
      return Error{ErrorKind::kConfiguration, missing};
    EvalOptions eval;
    eval.threads = std::max(1u, std::thread::hardware_concurrency());
    PopulationOutcome population = evaluate_population(*bound, engine.schema, batch, engine.codes, eval);
    for (int part = 0; part < 2; ++part) {
      const Batch& b = part == 0 ? batch : population.own.batch;
      const Outcome& outcome = part == 0 ? population.outcome : population.own_outcome;
      const bool per_person = outcome.entity == Entity::kPerson;
      for (size_t h = 0; h < b.households(); ++h) {
        const size_t first = per_person ? b.person_offsets[h] : h;
        const size_t end = per_person ? b.person_offsets[h + 1] : h + 1;
        bool eligible = false, undetermined = false;
        for (size_t r = first; r < end; ++r) {
          eligible |= outcome.status[r] == Status::kEligible;
          undetermined |= outcome.status[r] == Status::kUndetermined;
        }
        // A subject is acted on once: a household with an eligible person
        // is settled, whatever the others' data.
        if (eligible || !undetermined) continue;
        // What this subject's decision waits for that API Particulier gives.
        struct Wanted {
          uint32_t person;
          Datum datum;
          Target target;
          std::pair<size_t, size_t> slot_row;  // the input's slot, and its row in the household
        };
        std::vector<Wanted> wanted;
        for (size_t r = first; r < end; ++r) {
          if (outcome.status[r] != Status::kUndetermined) continue;
          for (const MissingInput& m : outcome.missing_of(r)) {
            if (m.input >= program.inputs.size() || !fillable[m.input]) continue;
            const InputDecl& in = program.inputs[m.input];
            Target t{in.name, m.person != MissingInput::kHousehold, in.type == Type::kCode, 0};
            const size_t slot = slot_of_input[m.input];
            if (t.per_person) {
              t.row = part == 0 ? m.person : population.own.from[h];
              wanted.push_back({t.row, *in.api_particulier, t, {slot, m.person - b.person_offsets[h]}});
              continue;
            }
            // A foyer of its own holds one person, whose household's data
            // belong to another foyer: no identity asks for them.
            if (part == 1) {
              ++counts_["not asked: a household datum of a person's own foyer"];
              continue;
            }
            // A household's datum (its quotient familial) is the
            // allocataire's: nobody else's identity is sent for it.
            auto applicant = applicant_of(snapshot_, h);
            if (!applicant) {
              ++counts_["not asked: no allocataire in the household"];
              continue;
            }
            t.row = static_cast<uint32_t>(h);
            wanted.push_back({*applicant, *in.api_particulier, t, {slot, 0}});
          }
        }
        if (wanted.empty()) continue;
        // The planner's reasons not to act whatever the data would say,
        // before anyone is asked about.
        const std::string& subject = b.household_ids[h];
        const std::vector<std::string> concerned = persons_concerned(outcome, b, h);
        SubjectFacts facts;
        facts.objected = objected_among(*objectors, subject, concerned, {});
        Days chosen = 0;  // a refusal of the request made with the claim, as the planning reads it
        facts.objected |= part == 0 && acceptance.of(h, chosen) == AcceptanceTest::Choice::kRefused;
        auto member = [&](uint32_t p) { return outcome.foyer.empty() || outcome.foyer[p] != Membership::kOutside; };
        facts.already_receiving = !config.already_receiving.empty() &&
                                  (part == 0 ? receiving.household(h, member) : receiving.person(population.own.from[h]));
        facts.already_acted_on = requested->count(subject) > 0;
        facts.told_this_period = !facts.already_acted_on && acted_on->count(subject) > 0;
        add_within_year(facts, *within_year, subject, concerned, {});
        facts.under_review = any_under_review(b, h);
        facts.incomplete = incomplete_for(**plan, b, h);
        if (Skip s = skip_whatever_the_decision(config, facts); s != Skip::kNone) {
          ++counts_[std::string("not asked: ") + skip_reason(s) + " (" + config.id + ")"];
          continue;
        }
        // Another extract's commune, where nobody living is entitled (a
        // fare's territory): whatever the answers, the planning finds the
        // household not entitled here too, or decided otherwise there, and
        // does nothing.
        const size_t home = part == 0 ? h : household_of_person(snapshot_, population.own.from[h]);
        if (const std::vector<std::string> communes = communes_in_doubt(snapshot_, engine, home);
            !communes.empty() && excluded_by_dwelling_in_one_of(communes, engine, *bound, b, outcome, h)) {
          ++counts_["not asked: not entitled in another extract's commune, so not acted on (" + config.id + ")"];
          continue;
        }
        std::vector<std::pair<size_t, size_t>> asked;
        for (const Wanted& w : wanted)
          if (std::find(asked.begin(), asked.end(), w.slot_row) == asked.end()) asked.push_back(w.slot_row);
        if (!some_answer_changes(config, program, *bound, engine, b, outcome, h, asked)) {
          ++counts_["not asked: no answer would lead to an action (" + config.id + ")"];
          continue;
        }
        for (const Wanted& w : wanted) add(w.person, w.datum, w.target, {&config, subject, concerned, facts});
      }
    }
    return {};
  }

  std::vector<Ask>& asks() { return asks_; }
  // What was told or requested within the year, per program.
  const Store::ActedWithinYear& within_year(const std::string& program) const { return years_.at(program); }

 private:
  void add(uint32_t person, Datum datum, const Target& target, const Ask::Waiting& waiting) {
    auto [at, fresh] = index_.emplace(std::pair{person, datum}, asks_.size());
    if (fresh) asks_.push_back({person, household_of_person(snapshot_, person), datum, {}, {}});
    Ask& a = asks_[at->second];
    if (std::none_of(a.targets.begin(), a.targets.end(), [&](const Target& t) {
          return t.column == target.column && t.per_person == target.per_person && t.row == target.row;
        }))
      a.targets.push_back(target);
    add_once(a.programs, waiting.config->id);
    if (std::none_of(a.waiting.begin(), a.waiting.end(), [&](const Ask::Waiting& w) {
          return w.config == waiting.config && w.subject == waiting.subject;
        }))
      a.waiting.push_back(waiting);
  }

  const Snapshot& snapshot_;
  std::map<std::string, int64_t>& counts_;
  std::map<std::pair<uint32_t, Datum>, size_t> index_;
  std::vector<Ask> asks_;
  std::map<std::string, Store::ActedWithinYear> years_;
};

// The identity an extract gives, as API Particulier asks it: first names
// one by one, the place of birth from its own column or from the NIR
// (digits 6 to 10: the commune, or 99 and the country), the sex likewise.
CivilIdentity civil_identity(const PersonIdentity& p) {
  CivilIdentity c;
  c.birth_name = p.birth_name;
  if (p.usage_name != p.birth_name) c.usage_name = p.usage_name;
  const char separator = p.first_names.find(',') != std::string::npos ? ',' : ' ';
  for (size_t at = 0; at <= p.first_names.size();) {
    size_t end = p.first_names.find(separator, at);
    if (end == std::string::npos) end = p.first_names.size();
    std::string name = p.first_names.substr(at, end - at);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) c.first_names.push_back(name);
    at = end + 1;
  }
  c.birth_date = parse_iso_date(p.birth_date);
  if (p.sex == "M" || p.sex == "F") c.sex = p.sex[0];
  else if (p.nir.size() >= 10 && p.nir[0] >= '1' && p.nir[0] <= '8') c.sex = (p.nir[0] - '0') % 2 ? 'M' : 'F';
  std::string place = p.birth_place.empty() && p.nir.size() >= 10 ? p.nir.substr(5, 5) : p.birth_place;
  // Unknown stays unknown: France is not assumed (the client then refuses
  // to ask the routes that need the country).
  c.birth_country.clear();
  if (place.size() == 5 && place.rfind("99", 0) == 0) c.birth_country = place;
  else if (place.size() == 5) c.birth_commune = place, c.birth_country = "99100";
  c.ine = p.ine;
  return c;
}

std::optional<FetchOutcome> outcome_named(const std::string& name) {
  for (FetchOutcome o : {FetchOutcome::kFound, FetchOutcome::kNotFound, FetchOutcome::kUnreliable,
                         FetchOutcome::kRefusedInput})
    if (name == outcome_name(o)) return o;
  return std::nullopt;
}

// The cell `t` of the snapshot set to `value` (a JSON literal) from `source`,
// unless an extract gave it; false when the value is not of the column's kind.
bool fill_cell(Snapshot& snapshot, const Target& t, const std::string& value, uint8_t source) {
  auto column = std::find_if(snapshot.columns.begin(), snapshot.columns.end(), [&](const SnapshotColumn& c) {
    return c.name == t.column && c.per_person == t.per_person;
  });
  if (column == snapshot.columns.end()) {
    SnapshotColumn c;
    c.name = t.column;
    c.per_person = t.per_person;
    c.text = t.text;
    const size_t rows = t.per_person ? snapshot.persons() : snapshot.households();
    if (c.text) c.string.assign(rows, UINT32_MAX);
    else c.number.assign(rows, std::nan(""));
    c.source.assign(rows, 255);
    c.line.assign(rows, 0);
    snapshot.columns.push_back(std::move(c));
    column = snapshot.columns.end() - 1;
  }
  SnapshotColumn& c = *column;
  if (c.text) {
    if (c.string[t.row] != UINT32_MAX) return true;
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') return false;
    c.string[t.row] = snapshot.strings.intern(value.substr(1, value.size() - 2));
  } else {
    if (!std::isnan(c.number[t.row])) return true;
    if (value == "true" || value == "false") {
      c.number[t.row] = value == "true";
    } else {
      char* end = nullptr;
      const double v = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !std::isfinite(v)) return false;
      c.number[t.row] = v;
    }
  }
  c.source[t.row] = source;
  c.line[t.row] = ValueOrigin::kWholeSource;
  return true;
}

// Who objected to each program, or to all, read once per program.
class Objectors {
 public:
  explicit Objectors(Store& store) : store_(store) {}
  Result<const std::unordered_set<std::string>*> of(const std::string& program) {
    auto known = read_.find(program);
    if (known == read_.end()) {
      auto read = store_.objectors(program);
      if (!read) return read.error();
      known = read_.emplace(program, std::move(*read)).first;
    }
    return &known->second;
  }

 private:
  Store& store_;
  std::map<std::string, std::unordered_set<std::string>> read_;
};

// Whether a subject waiting for `a` under `program` objected to it, by
// its persons' identifiers or their keyed NIRs (`key_of`: person id -> key).
bool objected_for(const Ask& a, const std::string& program, const std::unordered_set<std::string>& objectors,
                  const std::unordered_map<std::string, std::string>& key_of) {
  for (const Ask::Waiting& w : a.waiting)
    if (w.config->id == program && objected_among(objectors, w.subject, w.concerned, keyed_entries(w.concerned, key_of)))
      return true;
  return false;
}

// The asks not yet taken whose household or person has objected to one of
// the programs waiting for them, or to all, since the run began (under
// other numbers too: `key_of`).
Result<void> withdraw_objectors(Store& store, const std::vector<Ask>& asks, const Snapshot& snapshot,
                                const std::vector<size_t>& todo, const std::atomic<size_t>& next,
                                const std::unordered_map<std::string, std::string>& key_of,
                                std::atomic<bool>* withdrawn) {
  Objectors objectors(store);
  for (size_t k = next; k < todo.size(); ++k) {
    const Ask& a = asks[todo[k]];
    for (const std::string& program : a.programs) {
      auto known = objectors.of(program);
      if (!known) return known.error();
      const auto& objected = **known;
      if (objected.count(std::string(snapshot.strings.at(snapshot.household_ids[a.household]))) ||
          objected.count(std::string(snapshot.strings.at(snapshot.person_ids[a.person]))) ||
          objected_for(a, program, objected, key_of))
        withdrawn[todo[k]] = true;
    }
  }
  return {};
}

}  // namespace

Result<std::map<std::string, int64_t>> fill_from_api_particulier(const Campaign& campaign, const Engine& engine,
                                                                 Snapshot& snapshot,
                                                                 const std::vector<SourceMapping>& contacts,
                                                                 Store& store, const std::string& run_id,
                                                                 const std::string& actor, std::ostream& progress) {
  const ApiParticulierFill& fill = *campaign.api_particulier;
  std::map<std::string, int64_t> counts;
  for (const std::string& name : fill.inputs) {
    bool declared = false;
    for (const auto& plan : engine.plans)
      for (const InputDecl& in : plan->program->inputs) declared |= in.name == name && in.api_particulier;
    if (!declared)
      return Error{ErrorKind::kConfiguration, campaign.file + ": api_particulier: '" + name +
                   "' is not an input a program of this campaign declares api_particulier: for"};
  }
  ApiParticulierConfig config;
  config.base_url = fill.url;
  config.recipient = fill.recipient;
  auto settings = api_particulier_settings(config, fill.token_file);
  if (!settings) return Error{settings.error().kind, campaign.file + ": " + settings.error().message};

  // The service answers with each datum as it is today: a campaign deciding
  // on another date would mix times.
  const Days date = *parse_iso_date(campaign.date);
  if (const Days gap = std::abs(today() - date); gap > kApiParticulierDaysFromToday)
    return Error{ErrorKind::kConfiguration, campaign.file + ": api_particulier: API Particulier gives each datum as it is today, and the "
                 "campaign's date (" + campaign.date + ") is " + std::to_string(gap) +
                 " days away: give a date within a month of today, or no api_particulier"};
  SnapshotReading reading;
  Batch batch = batch_of_snapshot(snapshot, engine, date, reading);
  batch.date = date;
  AskList list(snapshot, counts);
  for (const CampaignProgram& config_of : campaign.programs)
    if (auto err = list.add_program(campaign, config_of, engine, batch, store, run_id); !err.ok()) return err.error();
  std::vector<Ask>& asks = list.asks();
  if (asks.empty()) return counts;

  // The identities, from the extracts that give the households' persons.
  std::unordered_set<std::string> households;
  for (const Ask& a : asks) households.insert(std::string(snapshot.strings.at(snapshot.household_ids[a.household])));
  // Who objected, or was told or requested within the year, under other
  // numbers (the CAF renumbered them) is found by their keyed NIRs
  // (person_key.hpp), as the planning finds them: nobody is asked about for
  // a subject the planning would skip whatever the answer. The main
  // extract's NIRs only are keyed, as the planning keys them.
  auto secret = person_key_secret(store);
  if (!secret) return secret.error();
  std::unordered_map<std::string, std::string> key_of;
  std::unordered_map<std::string, PersonIdentity> identities;
  Result<void> no_identity;
  for (const SourceMapping& m : contacts) {
    auto read = read_identities(m, households);
    if (!read) {
      no_identity = read.error();
      continue;
    }
    take_settled_birth_dates(snapshot, *read);
    for (auto& [household, persons] : *read)
      for (PersonIdentity& p : persons) {
        if (&m == &contacts.front() && !p.nir.empty())
          if (std::string key = person_key(*secret, p.nir); !key.empty()) key_of[p.person] = key;
        identities.emplace(p.person, std::move(p));
      }
  }
  if (identities.empty() && !no_identity.ok()) return no_identity.error();
  Objectors objectors(store);
  std::set<std::pair<std::string, std::string>> skipped;  // program, subject: counted once
  for (Ask& a : asks) {
    Result<void> failed;
    std::erase_if(a.waiting, [&](const Ask::Waiting& w) {
      const std::string& program = w.config->id;
      auto known = objectors.of(program);
      if (!known) {
        failed = known.error();
        return false;
      }
      const std::vector<std::string> keys = keyed_entries(w.concerned, key_of);
      SubjectFacts facts = w.facts;
      facts.objected |= objected_among(**known, w.subject, w.concerned, keys);
      add_within_year(facts, list.within_year(program), w.subject, w.concerned, keys);
      const Skip skip = skip_whatever_the_decision(*w.config, facts);
      if (skip == Skip::kNone) return false;
      if (skipped.emplace(program, w.subject).second)
        ++counts[std::string("not asked: ") + skip_reason(skip) + " (" + program + ")"];
      return true;
    });
    if (!failed.ok()) return failed.error();
    a.programs.clear();
    for (const Ask::Waiting& w : a.waiting) add_once(a.programs, w.config->id);
  }

  // What was asked before an interruption is not asked again.
  auto kept = store.fetched_fills(run_id);
  if (!kept) return kept.error();
  std::unordered_map<std::string, const FetchedFill*> before;
  for (const FetchedFill& f : *kept) before.emplace(f.person + '\n' + f.datum, &f);

  std::vector<FetchedDatum> results(asks.size());
  std::vector<uint8_t> reused(asks.size());  // answered before an interruption
  std::vector<CivilIdentity> who(asks.size());
  std::vector<size_t> todo;
  for (size_t i = 0; i < asks.size(); ++i) {
    if (asks[i].programs.empty()) {  // objected to each program waiting for it
      results[i].outcome = FetchOutcome::kRetryLater;
      continue;
    }
    const std::string person(snapshot.strings.at(snapshot.person_ids[asks[i].person]));
    if (auto b = before.find(person + '\n' + datum_name(asks[i].datum)); b != before.end()) {
      const FetchedFill& f = *b->second;
      FetchedDatum& d = results[i];
      d.datum = asks[i].datum;
      auto outcome = outcome_named(f.outcome);
      if (!outcome) return Error{ErrorKind::kInternal, "the store holds an answer of API Particulier whose outcome is '" + f.outcome + "'"};
      d.outcome = *outcome;
      d.value = f.value;
      d.as_of = f.as_of;
      d.provider = f.provider;
      d.route = f.route;
      d.fetched_on = f.fetched_on;
      d.postcode = f.postcode;
      reused[i] = 1;
      ++counts["asked before an interruption, not asked again"];
      continue;
    }
    auto identity = identities.find(person);
    if (identity == identities.end()) {
      results[i].outcome = FetchOutcome::kRetryLater;
      ++counts["not asked: no extract gives the person's identity"];
      continue;
    }
    who[i] = civil_identity(identity->second);
    todo.push_back(i);
  }

  // Why each person is asked about: the run and the programs waiting for
  // this datum of theirs.
  auto purpose = [&](const Ask& a) {
    std::string p = "campagne " + run_id + " : donnée manquante pour ";
    for (size_t k = 0; k < a.programs.size(); ++k) p += (k ? ", " : "") + a.programs[k];
    return p + " (CRPA L114-8)";
  };

  // A few calls at a time (the client spaces them within the limits); each
  // answer kept, with its call's audit row, as it comes.
  ApiParticulierClient client(*settings);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<size_t> done;
  size_t running = std::min<size_t>(8, todo.size());  // workers not yet ended, under `mutex`
  // Asks of persons who objected since the run began: not made (a fill
  // takes hours for a large population; the objection is read again as it goes).
  std::unique_ptr<std::atomic<bool>[]> withdrawn(new std::atomic<bool>[asks.size()]());
  std::vector<std::thread> threads;
  for (size_t w = running; w > 0; --w)
    threads.emplace_back([&] {
      for (size_t k; !stop && (k = next++) < todo.size();) {
        const size_t i = todo[k];
        FetchedDatum d = withdrawn[i] ? FetchedDatum{} : client.fetch(asks[i].datum, who[i], date);
        if (d.outcome == FetchOutcome::kConfiguration) stop = true;
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = std::move(d);
        done.push_back(i);
        arrived.notify_one();
      }
      std::lock_guard<std::mutex> lock(mutex);
      --running;
      arrived.notify_one();
    });
  Result<void> failure;
  std::string refused;
  size_t answered = 0;
  auto last_line = std::chrono::steady_clock::now(), last_check = last_line;
  std::map<std::string, int64_t> so_far;
  for (bool finished = todo.empty(); !finished;) {
    std::vector<size_t> batch_done;
    {
      std::unique_lock<std::mutex> lock(mutex);
      arrived.wait_for(lock, std::chrono::milliseconds(500), [&] { return !done.empty() || running == 0; });
      batch_done.swap(done);
      finished = running == 0;  // a worker's last answer is queued before it ends
    }
    std::vector<FetchedFill> fills;
    std::vector<AuditEntry> audits;
    for (size_t i : batch_done) {
      const FetchedDatum& d = results[i];
      if (withdrawn[i] && d.attempts == 0) {
        ++so_far["opposition reçue entre-temps, non demandée"];
        continue;
      }
      if (d.attempts > 0) audits.push_back({0, actor, "API Particulier asked", fetch_audit_detail(d, purpose(asks[i]))});
      if (d.outcome == FetchOutcome::kConfiguration) refused = d.detail;
      ++so_far[d.attempts == 0 && d.outcome == FetchOutcome::kRefusedInput ? "identité incomplète, non demandée"
                                                                            : outcome_in_french(d.outcome)];
      // Asked again by the next try: the service's trouble, a refusal, or
      // an identity the extract did not give whole (nothing was asked).
      if (d.outcome == FetchOutcome::kConfiguration || d.outcome == FetchOutcome::kRetryLater || d.attempts == 0)
        continue;
      fills.push_back({std::string(snapshot.strings.at(snapshot.household_ids[asks[i].household])),
                       std::string(snapshot.strings.at(snapshot.person_ids[asks[i].person])), datum_name(d.datum),
                       outcome_name(d.outcome), d.value, d.as_of, d.provider, d.route, d.fetched_on, d.postcode});
    }
    answered += batch_done.size();
    if (failure.ok() && !batch_done.empty())
      if (auto err = store.record_fills(run_id, fills, audits); !err.ok()) {
        // The calls were made: their trail is kept if the store lets it be.
        (void)store.record_fills(run_id, {}, audits);
        failure = err;
        stop = true;
      }
    const auto now = std::chrono::steady_clock::now();
    if (!finished && failure.ok() && now - last_check >= std::chrono::seconds(2)) {
      last_check = now;
      if (auto err = withdraw_objectors(store, asks, snapshot, todo, next, key_of, withdrawn.get()); !err.ok()) {
        failure = err;
        stop = true;
      }
    }
    if (finished || now - last_line >= std::chrono::seconds(5)) {
      last_line = now;
      progress << "API Particulier: " << answered << " of " << todo.size() << " data done";
      std::string sep = " (";
      for (const auto& [what, n] : so_far) {
        progress << sep << what << " " << n;
        sep = ", ";
      }
      progress << (so_far.empty() ? "" : ")") << "\n" << std::flush;
    }
  }
  for (auto& t : threads) t.join();
  if (!failure.ok()) return failure.error();
  if (!refused.empty())
    return Error{ErrorKind::kRefused, "API Particulier refused the token or its scopes (" + refused +
                 "): nothing was planned; the answers received are kept and not asked again on the next run"};

  // The values found, into the population with their source.
  std::map<std::string, uint8_t> sources;
  for (size_t i = 0; i < asks.size(); ++i) {
    const FetchedDatum& d = results[i];
    const bool client_refused = d.attempts == 0 && !reused[i] && d.outcome == FetchOutcome::kRefusedInput;
    if (withdrawn[i] && d.attempts == 0 && !reused[i]) ++counts["not asked: objected while the data were asked"];
    else if (client_refused) ++counts["not asked: identity incomplete in the extract (" + d.detail + ")"];
    else if (!d.route.empty()) ++counts[std::string(datum_name(asks[i].datum)) + ": " + outcome_name(d.outcome)];
    if (d.outcome != FetchOutcome::kFound) continue;
    const std::string key = d.provider + '\n' + d.route + '\n' + d.fetched_on;
    auto source = sources.find(key);
    if (source == sources.end()) {
      if (snapshot.sources.size() >= 255)
        return Error{ErrorKind::kConfiguration, "the population has too many sources to add API Particulier's answers (255 at most)"};
      SnapshotSource s;
      s.source = d.provider;
      s.extract = std::string(datum_name(d.datum)) + " (API Particulier)";
      s.extracted_on = d.fetched_on;
      s.route = d.route;
      snapshot.sources.push_back(std::move(s));
      source = sources.emplace(key, static_cast<uint8_t>(snapshot.sources.size() - 1)).first;
    }
    for (const Target& t : asks[i].targets)
      if (!fill_cell(snapshot, t, d.value, source->second)) ++counts["not used: a value of another kind than the input's"];
    if (add_address_elsewhere(snapshot, engine, asks[i].household, d.postcode,
                              d.provider + " (API Particulier, " + d.fetched_on + ") : adresse de l'allocataire"))
      ++counts["the answer's address is in another commune than the extracts' (decided there too)"];
  }
  return counts;
}

}  // namespace proactif
