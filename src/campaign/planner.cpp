#include "campaign/planner.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <unordered_set>

#include "actions/verification_code.hpp"
#include "core/data_paths.hpp"
#include "core/date.hpp"
#include "core/french_writing.hpp"
#include "core/output_file.hpp"
#include "core/spreadsheet_cell.hpp"
#include "campaign/address_elsewhere.hpp"
#include "campaign/message_sources.hpp"
#include "campaign/person_key.hpp"
#include "campaign/route_owners.hpp"
#include "campaign/rows_elsewhere.hpp"
#include "campaign/settled_birth_dates.hpp"
#include "campaign/store_facts.hpp"
#include "campaign/targeting.hpp"
#include "core/json_text.hpp"
#include "eval/citizen_values.hpp"
#include "eval/decision_json.hpp"
#include "eval/explanation_text.hpp"
#include "eval/own_foyers.hpp"
#include "campaign/subject_facts.hpp"
#include "eval/snapshot_batch.hpp"
#include "population/batch_select.hpp"

namespace proactif {

namespace {

// Subjects per transaction: large enough to amortise a commit, small enough
// that a crash loses little work (planning again skips what is stored).
constexpr size_t kSubjectsPerTransaction = 2000;

// What the store says of a program's subjects that decides whether to act:
// who objected, and what other runs did this period and within the year.
// Read when the planning begins, then, in each transaction that stores part
// of the plan, again for what was recorded since: an objection, an event or
// another campaign that acted meanwhile is not acted against, nor asked a
// second time. (The run's own parts are not read again: each would read
// every part before it.)
struct StoreFacts {
  std::unordered_set<std::string> objectors, acted_on, requested;  // requested: a grant this period
  Store::ActedWithinYear within_year;
};

Result<StoreFacts> read_store_facts(Store& store, const std::string& program, const std::string& period,
                                    const std::string& run_id, int64_t since) {
  StoreFacts f;
  auto objectors = store.objectors(program, since);
  if (!objectors) return objectors.error();
  f.objectors = std::move(*objectors);
  auto acted_on = store.acted_on(program, period, run_id, since);
  if (!acted_on) return acted_on.error();
  f.acted_on = std::move(*acted_on);
  auto requested = store.acted_on(program, period, run_id, since, "grant");
  if (!requested) return requested.error();
  f.requested = std::move(*requested);
  // Read again, not the run's own rows: a run resumed after a crash reads
  // its own first (a foyer it told under another number is not told again).
  auto within_year = store.acted_within_year(program, period, "", "", since, since > 0 ? run_id : "");
  if (!within_year) return within_year.error();
  f.within_year = std::move(*within_year);
  return f;
}

// Adds to a subject's facts what `known` says of it and of its foyer's
// persons (`concerned`), and of their keyed NIRs (`keys`, "id=key"): one who
// objected under other numbers objected all the same.
void add_store_facts(SubjectFacts& facts, const StoreFacts& known, const std::string& subject,
                     const std::vector<std::string>& concerned, const std::vector<std::string>& keys = {}) {
  facts.objected |= objected_among(known.objectors, subject, concerned, keys);
  const bool requested = known.requested.count(subject) > 0;
  facts.already_acted_on |= requested;
  facts.told_this_period |= !requested && known.acted_on.count(subject) > 0;
  add_within_year(facts, known.within_year, subject, concerned, keys);
}

// What was recorded up to this long before the planning began is read
// again too: a transaction that committed after the first reading may have
// stamped its rows a little earlier (or by another machine's clock).
// Reading a row twice changes nothing.
constexpr int64_t kRecordedBeforeMs = 3'600'000;

// An amount a message gives, written as the person's explanation writes it
// (10 339 € par an, 2,50 € par mois, 50 % for a rate the result takes from a
// parameter given as one); a money result whose unit names no euro is in
// euros all the same, over its period.
std::string french_amount(double v, const Program& program, const ResultDecl& decl) {
  const Unit& unit = decl.value.unit;
  if (!decl.money || unit.exponent(Unit::kEur) == 1)
    return french_quantity(v, unit, citizen::is_rate(citizen::param_decl(&program, one_line(decl.value.formula.text))));
  return euros(v) + (unit.exponent(Unit::kMonth) == -1 ? " par mois" : unit.exponent(Unit::kYear) == -1 ? " par an" : "");
}

// What a message says of the data a decision used: the label of each input
// it depended on and the extracts its values for this subject came from.
struct DataUsed {
  std::vector<std::pair<std::string, std::vector<std::string>>> inputs;  // label, sources as a person reads them
};

void add_once(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// A code as a person reads it: the program's label for it, where it gives
// one ("locataire" for "tenant").
std::string code_text(const InputDecl& in, const std::string& code) {
  auto at = std::find(in.values.begin(), in.values.end(), code);
  const size_t k = static_cast<size_t>(at - in.values.begin());
  return k < in.value_labels.size() && !in.value_labels[k].empty() ? in.value_labels[k] : code;
}

// The day since which household h's family situation is what it is, as the
// extracts give it (a campaign's family_situation_since); empty when not.
std::string family_since_of(const Snapshot& snap, const std::string& variable, size_t h) {
  const SnapshotColumn* c = variable.empty() ? nullptr : snap.column(variable, false);
  if (!c || c->text || std::isnan(c->number[h])) return "";
  return format_iso_date(static_cast<Days>(c->number[h]));
}

// The value an extract's absence stands for, as a message says it.
std::string value_text(const Plan& plan, const CodeTable& codes, size_t input, double v) {
  const InputDecl& in = plan.program->inputs[input];
  if (v != v) return "";  // none taken
  switch (in.type) {
    case Type::kBool:
      return v == 1 ? "oui" : "non";
    case Type::kNumber:
      return french_quantity(v, in.unit, false);
    case Type::kCode:
      return code_text(in, codes.name(static_cast<int32_t>(v)));
    case Type::kCodeList: {
      std::string out;
      for (size_t k = 0; k < plan.input_codes[input].size(); ++k)
        if (static_cast<uint64_t>(v) >> k & 1)
          out += (out.empty() ? "" : ", ") + code_text(in, codes.name(plan.input_codes[input][k]));
      return out.empty() ? "aucun" : out;
    }
    default:
      return "";
  }
}

DataUsed data_used(const Plan& plan, const CodeTable& codes, const Batch& batch, size_t household,
                   const Explanation* explanation) {
  const Program& program = *plan.program;
  DataUsed used;
  for (size_t i = 0; i < program.inputs.size(); ++i) {
    const InputDecl& in = program.inputs[i];
    if (explanation) {
      const std::string suffix = "." + in.name;
      bool depended = false;
      for (const auto& d : explanation->data)
        depended |= d.used && d.name.size() > suffix.size() &&
                    d.name.compare(d.name.size() - suffix.size(), suffix.size(), suffix) == 0;
      if (!depended) continue;
    }
    used.inputs.push_back({in.label, {}});
    std::vector<std::string>& sources = used.inputs.back().second;
    struct Absent {
      std::string title, taken;  // the file, and the value its absence gave
      int persons;
    };
    std::vector<Absent> absent;
    const size_t slot = static_cast<size_t>(plan.regs[static_cast<size_t>(plan.input_regs[i])].input);
    if (slot < batch.origins.size() && !batch.origins[slot].empty()) {
      const bool per_person = in.entity == Entity::kPerson;
      const size_t first = per_person ? batch.person_offsets[household] : household;
      const size_t last = per_person ? batch.person_offsets[household + 1] : household + 1;
      for (size_t row = first; row < last; ++row) {
        // Only the persons the decision used this datum of (not one its
        // foyer leaves out): theirs are the sources, and the count of those
        // an extract does not list.
        if (per_person && explanation) {
          const std::string theirs = "persons." + batch.person_ids[row] + "." + in.name;
          if (std::none_of(explanation->data.begin(), explanation->data.end(),
                           [&](const ExplainedDatum& d) { return d.used && d.name == theirs; }))
            continue;
        }
        const ValueOrigin o = batch.origins[slot][row];
        if (o.source >= batch.origin_titles.size()) continue;
        if (o.line != 0) {
          add_once(sources, batch.origin_titles[o.source]);
          continue;
        }
        // Not a datum of that file: what the file's absence stands for (an
        // extract known to list everyone concerned), which the message says
        // as such, with the value taken.
        const std::string taken = value_text(plan, codes, i, batch.inputs[slot].value[row]);
        auto same = std::find_if(absent.begin(), absent.end(), [&](const Absent& a) {
          return a.title == batch.origin_titles[o.source] && a.taken == taken;
        });
        if (same == absent.end()) absent.push_back({batch.origin_titles[o.source], taken, 1});
        else ++same->persons;
      }
      // Said once per file: "DGFiP (revenus, 15/06/2025)" and the value it
      // stands for where a person is not in it, not the file named twice.
      for (const auto& [title, taken, persons] : absent) {
        const std::string not_there = persons == 1 ? " (une personne n'y figure pas)"
                                                   : " (" + std::to_string(persons) + " personnes n'y figurent pas)";
        const std::string who = persons == 1 ? "la personne qui n'y figure pas"
                                             : "les " + std::to_string(persons) + " personnes qui n'y figurent pas";
        auto listed = std::find(sources.begin(), sources.end(), title);
        if (listed != sources.end())
          *listed += taken.empty() ? not_there : " (et, pour " + who + ", la valeur retenue : " + taken + ")";
        else
          add_once(sources, title + (taken.empty() ? not_there : " (valeur retenue pour " + who + " : " + taken + ")"));
      }
    } else {
      add_once(sources, batch.source_exact ? batch.source : in.source);
    }
    if (sources.empty()) used.inputs.pop_back();  // no administration gave it for this subject
  }
  return used;
}

// The household a person of the batch lives in.
const std::string& household_of(const Batch& batch, uint32_t person) {
  auto it = std::upper_bound(batch.person_offsets.begin(), batch.person_offsets.end(), person);
  return batch.household_ids[static_cast<size_t>(it - batch.person_offsets.begin()) - 1];
}

// Where the campaign may find each of the program's inputs: the extracts
// that map it (Snapshot::source_bit's bits; none: nothing the campaign
// reads gives it anyone), or API Particulier (whose answers make a column
// only where one is found).
struct InputSources {
  std::vector<uint64_t> given_by;
  std::vector<uint8_t> fetched;
  // Whether nothing read gives input `i` to the subject living in
  // household `home` of the snapshot: no extract that maps it lists one of
  // its persons (the CAF's quotient familial, for a person only the CPAM
  // knows), and API Particulier is not asked it for them (asked by the
  // allocataire's identity: api_particulier_fill.cpp). A person deciding as
  // a foyer of their own is taken as living in their household: their
  // foyer's housing, which nothing read gives, waits beside resources that
  // say more of them than of anyone (a son of 26's C2S).
  bool unsourced(size_t i, const Snapshot& snapshot, size_t home) const {
    if (fetched[i] && applicant_of(snapshot, home)) return false;
    if (!given_by[i] || home >= snapshot.household_sources.size()) return !given_by[i];
    return !(given_by[i] & snapshot.household_sources[home]);
  }
};

InputSources input_sources(const Program& program, const Snapshot& snapshot, const Campaign& campaign) {
  InputSources out;
  for (const InputDecl& in : program.inputs) {
    const auto& asked = campaign.api_particulier;
    out.fetched.push_back(asked && in.api_particulier &&
                          (asked->inputs.empty() ||
                           std::find(asked->inputs.begin(), asked->inputs.end(), in.name) != asked->inputs.end()));
    const SnapshotColumn* column = snapshot.column(in.name, in.entity == Entity::kPerson);
    // A column a loaded snapshot holds, whose extracts are not known: given.
    out.given_by.push_back(!column ? 0 : column->given_by ? column->given_by : ~uint64_t{0});
  }
  return out;
}

// Whether every undetermined decision of subject h (the household's, or
// each undetermined person's of its foyer) waits only for data nothing
// read gives it, every input it lacks being one: then nothing read says
// this subject more than anyone else may be entitled (a student whose
// CROUS scholarship is unknown may be entitled through it, whatever the
// lycée's; a person only the CPAM knows has no quotient familial a
// campaign reads). `home`: the subject's household in the snapshot. The
// names of those data are added to `names`, sorted.
bool waits_for_unsourced(const Program& program, const Batch& batch, const Outcome& outcome, size_t h,
                         const InputSources& sources, const Snapshot& snapshot, size_t home,
                         std::vector<std::string>& names) {
  std::vector<size_t> rows;
  if (program.entity == Entity::kHousehold) {
    rows.push_back(h);
  } else {
    for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p)
      if ((outcome.foyer.empty() || outcome.foyer[p] != Membership::kOutside) && outcome.status[p] == Status::kUndetermined)
        rows.push_back(p);
  }
  std::vector<std::string> found;
  for (size_t row : rows) {
    bool waits = false;
    for (const MissingInput& m : outcome.missing_of(row)) {
      if (m.input >= MissingInput::kNoValue) continue;  // a parameter or another reason, not an input
      if (!sources.unsourced(m.input, snapshot, home)) return false;
      waits = true;
      add_once(found, program.inputs[m.input].name);
    }
    if (!waits) return false;
  }
  std::sort(found.begin(), found.end());
  names = std::move(found);
  return !rows.empty();
}

}  // namespace

size_t representative_row(const Program& program, const Batch& batch, const Outcome& outcome, size_t h) {
  if (program.entity == Entity::kHousehold) return h;
  size_t best = SIZE_MAX;
  for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p) {
    // A person outside this situation's foyer is decided in a situation of their own.
    if (!outcome.foyer.empty() && outcome.foyer[p] == Membership::kOutside) continue;
    if (outcome.status[p] == Status::kEligible) return p;
    if (best == SIZE_MAX || (outcome.status[p] == Status::kUndetermined && outcome.status[best] == Status::kIneligible))
      best = p;
  }
  return best == SIZE_MAX ? batch.person_offsets[h] : best;
}

Result<std::string> program_hash(const Program& program) {
  // By content and by name within the program, never by where the files
  // lie: a byte-identical copy elsewhere has the same hash.
  std::string all;
  for (const auto& t : program.texts) all += sha256_hex(t.text) + "  " + t.name + "\n";
  std::map<std::string, std::string> parameter_files;  // parameter path -> its file
  for (const auto& p : program.params)
    if (p.parameter) parameter_files.emplace(p.path, p.parameter->file);
  for (const auto& [path, file] : parameter_files) {
    auto h = sha256_of_file(file);
    if (!h) return h.error();
    all += *h + "  parameter " + path + "\n";
  }
  return sha256_hex(all);
}

Result<void> check_grants(const std::string& file, const std::vector<CampaignProgram>& programs,
                          const Engine& engine, const std::string& event) {
  for (const auto& config : programs) {
    if (!event.empty() && !config.acceptance.variable.empty())
      return Error{ErrorKind::kConfiguration, file + ": event " + event + ": program " + config.id +
                   ": acceptance is a campaign's: an event carries the person's choice itself (claim_date, refuses)"};
    if (!event.empty() && !config.family_situation_since.empty())
      return Error{ErrorKind::kConfiguration, file + ": event " + event + ": program " + config.id +
                   ": family_situation_since is a campaign's: an event carries the day itself (family_situation_since)"};
    if (config.eligible != ActionKind::kGrant) continue;
    auto plan = std::find_if(engine.plans.begin(), engine.plans.end(),
                             [&](const auto& p) { return p->program->id == config.id; });
    if (plan == engine.plans.end()) return Error{ErrorKind::kNotFound, file + ": program " + config.id + " is not loaded"};
    if ((*plan)->program->automatic_routes.empty())
      return Error{ErrorKind::kConfiguration, file + ": program " + config.id +
                   ": grant transmits a request the person did not make, which only a route the law gives allows "
                   "(automatic_routes in " + (*plan)->program->file + "); this program declares none: notify instead"};
    // A route of the law asks the paying body once.
    std::vector<const Program*> others;
    for (const auto& other : programs)
      if (other.id != config.id)
        for (const auto& p : engine.plans)
          if (p->program->id == other.id) others.push_back(p->program.get());
    if (auto elsewhere = route_declared_elsewhere(*(*plan)->program, others, programs_dir()); !elsewhere.empty()) {
      std::string named;
      for (const std::string& f : elsewhere) named += (named.empty() ? "" : ", ") + f;
      return Error{ErrorKind::kConfiguration, file + ": program " + config.id + ": grant is refused: " + named +
                   " declares the same route of the law (automatic_routes in " + (*plan)->program->file +
                   "): a request would go to the paying body under each program, and a refusal recorded for one "
                   "would not stop the other's; keep the route in one program"};
    }
    // A request is for a foyer, as the C2S with the RSA: one decision line.
    if ((*plan)->program->entity != Entity::kHousehold)
      return Error{ErrorKind::kConfiguration, file + ": program " + config.id + " is decided per person: grant transmits a foyer's request"};
    if (config.already_receiving.empty())
      return Error{ErrorKind::kConfiguration, file + ": program " + config.id + ": grant needs already_receiving, how to recognise a person "
                   "already covered, who is not requested again"};
    // Whom the paying body serves is found by the household's commune.
    if (!engine.territory)
      return Error{ErrorKind::kConfiguration, file + ": program " + config.id + ": grant goes to a body that serves some "
                   "départements (transmission.departements), found by the household's commune: the programs read none"};
    // The request carries the person's acceptance and its date (CASF
    // R262-104-1): an event gives them (its claim), a campaign reads them
    // from its extracts.
    if (event.empty() && config.acceptance.variable.empty())
      return Error{ErrorKind::kConfiguration, file + ": program " + config.id + ": grant transmits the person's acceptance "
                   "of the request and its date (CASF R262-104-1): acceptance: {variable, date} names the extracts' "
                   "fields that hold the choice made with the claim, or notify instead"};
    // An event grants only where it is the moment the route's text names.
    const auto& routes = (*plan)->program->automatic_routes;
    if (!event.empty() && std::none_of(routes.begin(), routes.end(), [&](const AutomaticRoute& r) {
          return std::find(r.events.begin(), r.events.end(), event) != r.events.end();
        })) {
      std::string named;
      for (const auto& r : routes)
        for (const auto& e : r.events) named += (named.empty() ? "" : ", ") + e;
      return Error{ErrorKind::kConfiguration, file + ": event " + event + ": program " + config.id +
                   ": grant is refused: the routes the law gives (automatic_routes in " + (*plan)->program->file +
                   ") grant at the events " + (named.empty() ? "none" : named) + " only: notify instead"};
    }
  }
  // One paying body, one route: two programs granted together would send it
  // two requests for one household, whatever their files call the route.
  std::vector<std::string> granted;
  for (const auto& config : programs)
    if (config.eligible == ActionKind::kGrant) granted.push_back(config.id);
  if (granted.size() > 1)
    return Error{ErrorKind::kConfiguration, file + ": " + (event.empty() ? "" : "event " + event + ": ") + "programs " +
                 granted[0] + " and " + granted[1] + ": grant is refused for more than one program: the paying body "
                 "would receive a request under each for one household; grant one, notify the others"};
  return {};
}

std::string transmission_json(const Campaign& rules, const Program& program, const Transmission& t) {
  std::string out = "{\"request\": ";
  append_json_string(out, t.code);
  auto field = [&](const char* key, const std::string& value) {
    out += ", ";
    append_json_string(out, key);
    out += ": ";
    append_json_string(out, value);
  };
  field("program", program.id);
  field("title", program.title);
  field("from", rules.sender);
  field("to", rules.delivery.transmission_to);
  field("household", t.household);
  out += ", \"choice\": {\"refused\": ";
  out += t.refused ? "true" : "false";
  out += ", \"date\": ";
  if (t.choice_date.empty()) out += "null";
  else append_json_string(out, t.choice_date);
  out += "}, \"family_situation\": {\"couple\": ";
  out += t.couple ? "true" : "false";
  out += ", \"dependants\": " + std::to_string(t.dependants) + ", \"since\": ";
  if (t.family_since.empty()) out += "null";
  else append_json_string(out, t.family_since);
  out += "}, \"members\": [";
  for (size_t i = 0; i < t.members.size(); ++i) {
    const PersonIdentity& m = t.members[i];
    out += i ? ", {\"person\": " : "{\"person\": ";
    append_json_string(out, m.person);
    static const std::pair<std::string, std::string> kUnknown;
    const auto& relationship = i < t.relationships.size() ? t.relationships[i] : kUnknown;
    for (auto [key, value] : {std::pair{"nir", &m.nir}, std::pair{"nir_source", &m.nir_source},
                              std::pair{"birth_name", &m.birth_name}, std::pair{"usage_name", &m.usage_name},
                              std::pair{"first_names", &m.first_names}, std::pair{"birth_date", &m.birth_date},
                              std::pair{"sex", &m.sex}, std::pair{"relationship", &relationship.first},
                              std::pair{"relationship_label", &relationship.second}}) {
      out += ", ";
      append_json_string(out, key);
      out += ": ";
      if (value->empty()) out += "null";
      else append_json_string(out, *value);
    }
    out += "}";
  }
  out += "]";
  field("event", t.event);
  field("event_date", t.event_date);
  out += ", \"routes\": [";
  for (size_t i = 0; i < program.automatic_routes.size(); ++i) {
    const AutomaticRoute& r = program.automatic_routes[i];
    out += i ? ", {\"label\": " : "{\"label\": ";
    append_json_string(out, r.label);
    out += ", \"legal_basis\": ";
    append_json_string(out, r.reference);
    out += "}";
  }
  // A refusal asks nothing of the paying body: the CAF's decision on the
  // right the person declined is not its to read.
  out += "], \"decision\": " + (t.decision_json.empty() || t.refused ? std::string("null") : t.decision_json) + "}";
  return out;
}

namespace {

// What is left to know for an undetermined decision, as a person reads it:
// the labels of the data missing, and the rules not known on the date.
std::vector<std::string> missing_labels(const Program& program, const Outcome& outcome, size_t row) {
  std::vector<std::string> labels;
  for (const MissingInput& m : outcome.missing_of(row)) {
    if (m.input == MissingInput::kIncomplete || m.input == MissingInput::kOutsideFoyer) continue;
    if (!(m.input & MissingInput::kParameter) && (m.input & MissingInput::kNoValue)) continue;  // not theirs to give
    if (m.input & MissingInput::kParameter) {
      const ParamDecl& p = program.params[m.input & ~MissingInput::kParameter];
      add_once(labels, p.parameter->description.empty() ? p.name : p.parameter->description);
      continue;
    }
    add_once(labels, program.inputs[m.input].label);
  }
  return labels;
}

}  // namespace

void family_situation(const Plan& plan, const CodeTable& codes, const Batch& batch, const Outcome& outcome, size_t h,
                      Transmission& t) {
  const Program& program = *plan.program;
  t.couple = false;
  t.dependants = 0;
  t.relationships.clear();
  const auto role = std::find_if(program.inputs.begin(), program.inputs.end(), [](const InputDecl& in) { return in.name == "role"; });
  for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p) {
    if (!outcome.foyer.empty() && outcome.foyer[p] != Membership::kMember) continue;
    auto& relationship = t.relationships.emplace_back();
    if (role == program.inputs.end()) continue;
    const size_t input = static_cast<size_t>(role - program.inputs.begin());
    const double code = batch.inputs[static_cast<size_t>(plan.regs[static_cast<size_t>(plan.input_regs[input])].input)].value[p];
    if (code != code) continue;
    const std::string& name = codes.name(static_cast<int32_t>(code));
    t.couple |= name == "spouse";
    t.dependants += name == "child" || name == "other";
    relationship = {name, code_text(*role, name)};
  }
}

namespace {

// Builds a JSON object field by field, for the variables of a message.
class JsonObject {
 public:
  JsonObject& text(const char* key, const std::string& value) {
    open(key);
    append_json_string(out_, value);
    return *this;
  }
  JsonObject& flag(const char* key, bool value) {
    open(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonObject& texts(const char* key, const std::vector<std::string>& values) {
    open(key);
    out_ += "[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ", ";
      append_json_string(out_, values[i]);
    }
    out_ += "]";
    return *this;
  }
  JsonObject& raw(const char* key, const std::string& json) {
    open(key);
    out_ += json;
    return *this;
  }
  std::string str() const { return out_ + "}"; }

 private:
  void open(const char* key) {
    out_ += out_.size() > 1 ? ", " : "";
    append_json_string(out_, key);
    out_ += ": ";
  }
  std::string out_ = "{";
};

std::string parties_json(const std::vector<PrivacyParty>& parties) {
  std::string out = "[";
  for (const auto& p : parties) out += (out.size() > 1 ? ", " : "") + JsonObject().text("name", p.name).text("contact", p.contact).str();
  return out + "]";
}

// What every message says of the processing (GDPR art. 13-14, CRPA L114-8
// II): declared by the campaign, except the retention periods, which are
// the store's (RetentionPolicy), so that the message says what the code does.
std::string privacy_json(const Campaign& c) {
  const RetentionPolicy retention;
  std::vector<PrivacyParty> controllers{c.privacy.controller};
  controllers.insert(controllers.end(), c.privacy.joint_controllers.begin(), c.privacy.joint_controllers.end());
  return JsonObject()
      .raw("controllers", parties_json(controllers))
      .flag("joint", !c.privacy.joint_controllers.empty())
      .text("dpo", c.privacy.dpo)
      .texts("purposes", c.privacy.purposes)
      .texts("legal_basis", c.privacy.legal_basis)
      .texts("recipients", c.privacy.recipients)
      .text("data_kept", french_duration(retention.data_days))
      .text("trace_kept", french_duration(retention.trace_days))
      .text("objection_kept", french_duration(retention.objection_days))
      .text("notice_url", c.privacy.notice_url)
      .str();
}

std::string letterhead_json(const Letterhead& l) {
  return JsonObject()
      .text("name", l.name)
      .texts("address", l.address)
      .texts("contact", l.contact)
      .text("logo", l.logo)
      .text("town", l.town)
      .text("signatory", l.signatory)
      .text("signatory_title", l.signatory_title)
      .str();
}

// "à" or "de" before a phrase that begins with its article: "à la CAF",
// "au CCAS", "aux services", "de l'ASP", "du CCAS".
std::string contracted(const std::string& preposition, const std::string& phrase) {
  const bool to = preposition == "à";
  if (phrase.rfind("le ", 0) == 0) return (to ? "au " : "du ") + phrase.substr(3);
  if (phrase.rfind("les ", 0) == 0) return (to ? "aux " : "des ") + phrase.substr(4);
  return preposition + " " + phrase;
}

std::string claim_json(const ClaimSteps& c) {
  return JsonObject()
      .text("where", c.where)
      .text("to_where", contracted("à", c.where))
      .text("address", c.address)
      .text("website", c.website)
      .text("phone", c.phone)
      .text("deadline", c.deadline)
      .texts("documents", c.documents)
      // Named for its absence: a message planned before it was written
      // (kept in the outbox) has ways, and renders as it did.
      .flag("without_ways", c.website.empty() && c.phone.empty() && c.address.empty())
      .str();
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string today_iso() { return format_iso_date(today()); }

// Who a notice says may be entitled, in the person and number its verbs
// take: "vous pourriez", "Luc DUNIER pourrait", "vous et Luc DUNIER
// pourriez". A right decided for the household is the household's: "vous".
struct EntitledPersons {
  std::string may_have = "vous pourriez", have = "vous avez", may_have_it = "vous y ayez";
  bool others_only = false;  // the person written to is not of them
};
EntitledPersons entitled_persons(const Program& program, const Batch& batch, const Outcome& outcome, size_t household,
                                 size_t row, const Contact& contact,
                                 const std::unordered_map<std::string, Contact>* persons_named) {
  EntitledPersons out;
  if (program.entity != Entity::kPerson) return out;
  bool addressee = false;
  std::vector<std::string> others;
  size_t unnamed = 0;
  for (uint32_t p = batch.person_offsets[household]; p < batch.person_offsets[household + 1]; ++p) {
    if (outcome.status[p] != outcome.status[row]) continue;
    if (!outcome.foyer.empty() && outcome.foyer[p] == Membership::kOutside) continue;
    const std::string& id = batch.person_ids[p];
    if (!contact.person.empty() && id == contact.person) {
      addressee = true;
      continue;
    }
    std::string name;
    if (persons_named)
      if (auto named = persons_named->find(id); named != persons_named->end()) name = named->second.full_name();
    if (name.empty()) ++unnamed;
    else others.push_back(name);
  }
  if (others.empty() && unnamed == 0) return out;
  const size_t count = others.size() + unnamed;
  // "Une autre" beside a name or "vous": the person written to is of the foyer too.
  const bool beside = addressee || count > unnamed;
  if (unnamed)
    others.push_back(unnamed == 1 ? (beside ? "une autre personne de votre foyer" : "une personne de votre foyer")
                                  : std::to_string(unnamed) + (beside ? " autres personnes de votre foyer"
                                                                      : " personnes de votre foyer"));
  if (addressee) {
    others.insert(others.begin(), "vous");
    const std::string all = french_list(others);
    return {all + " pourriez", all + " avez", all + " y ayez", false};
  }
  const std::string all = french_list(others);
  if (count == 1) return {all + " pourrait", all + " a", all + " y ait", true};
  return {all + " pourraient", all + " ont", all + " y aient", true};
}

// A result a notice gives: its label and its value as the person reads it.
using ToldResult = std::pair<std::string, std::string>;

std::vector<ToldResult> told_results(const Program& program, const BoundPlan& bound, const Outcome& outcome, size_t row) {
  std::vector<ToldResult> out;
  if (outcome.status[row] != Status::kEligible) return out;
  for (size_t j = 0; j < outcome.results; ++j) {
    const ResultDecl& decl = program.results[j];
    if (!outcome.is_known(row, j)) continue;
    if (bound.plan->regs[static_cast<size_t>(bound.plan->result_regs[j])].type != Type::kNumber) continue;
    out.emplace_back(decl.value.label, french_amount(outcome.value(row, j), program, decl));
  }
  return out;
}

// The results a notice gives, as JSON. A right decided person by person
// is told to the persons of the household with the same status in one
// message: a result whose value differs between them (a price by age) is
// given for each value with whose it is, not the first one's for all (a
// spouse of 28 was told the reduced price of the others).
std::string told_results_json(const Program& program, const BoundPlan& bound, const Batch& batch, const Outcome& outcome,
                              size_t household, size_t row, const Contact& contact,
                              const std::unordered_map<std::string, Contact>* persons_named) {
  struct Told {
    std::string name;  // "" for a person whose name is not known
    std::vector<ToldResult> results;
  };
  std::vector<Told> persons;
  if (program.entity == Entity::kPerson)
    for (uint32_t p = batch.person_offsets[household]; p < batch.person_offsets[household + 1]; ++p) {
      if (outcome.status[p] != outcome.status[row]) continue;
      if (!outcome.foyer.empty() && outcome.foyer[p] == Membership::kOutside) continue;
      const std::string& id = batch.person_ids[p];
      std::string name;
      if (!contact.person.empty() && id == contact.person) name = "vous";
      else if (persons_named)
        if (auto named = persons_named->find(id); named != persons_named->end()) name = named->second.full_name();
      persons.push_back({std::move(name), told_results(program, bound, outcome, p)});
    }
  // The row's, for a right decided for the household or told to nobody else.
  if (persons.size() < 2) persons = {{"", told_results(program, bound, outcome, row)}};
  std::vector<std::string> labels;
  for (const Told& t : persons)
    for (const auto& [label, value] : t.results)
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
  std::string out = "[";
  for (const std::string& label : labels) {
    struct Group {
      std::string value;
      std::vector<std::string> names;
      size_t unnamed = 0;
    };
    std::vector<Group> groups;
    size_t with_it = 0;
    for (const Told& t : persons)
      for (const ToldResult& result : t.results) {
        if (result.first != label) continue;
        ++with_it;
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.value == result.second; });
        if (g == groups.end()) g = groups.insert(groups.end(), Group{result.second, {}, 0});
        if (t.name.empty()) ++g->unnamed;
        else g->names.push_back(t.name);
      }
    const bool same_for_all = groups.size() == 1 && with_it == persons.size();
    for (Group& g : groups) {
      JsonObject item;
      item.text("label", label).text("value", g.value);
      if (!same_for_all) {
        if (g.unnamed)
          g.names.push_back(g.unnamed == 1 ? "une personne de votre foyer" : std::to_string(g.unnamed) + " personnes de votre foyer");
        item.text("result_for", french_list(g.names));
      }
      out += (out.size() > 1 ? ", " : "") + item.str();
    }
  }
  return out + "]";
}

}  // namespace

std::string social_services_folder(const Campaign& campaign, const std::string& run_id) {
  std::string run_folder = run_id;
  std::replace(run_folder.begin(), run_folder.end(), ':', '-');
  return (std::filesystem::path(campaign.work_dir) / "services-sociaux" / run_folder).string();
}

ClaimSteps claim_for(const ClaimSteps& claim, bool outside_area, const Territory* territory,
                     const std::string& commune) {
  if (!outside_area && (claim.departements.empty() || served_by(claim.departements, territory, commune))) return claim;
  // To its own body, whose ways to claim the campaign does not know.
  ClaimSteps elsewhere;
  elsewhere.where = "l'organisme qui verse ce droit là où vous habitez";
  elsewhere.deadline = claim.deadline;
  elsewhere.documents = claim.documents;
  return elsewhere;
}

std::string notice_json(const Campaign& campaign, const CampaignProgram& config, const std::string& data_date,
                        const Program& program, const BoundPlan& bound, const CodeTable& codes, const Batch& batch,
                        const Outcome& outcome, size_t row, const std::string& action, const Contact& contact,
                        const std::string& code, const std::string& request_code,
                        const std::vector<PersonIdentity>& members,
                        const std::vector<std::string>& receiving_from, const AcceptedWithClaim* accepted,
                        const std::unordered_map<std::string, Contact>* persons_named, bool replaces_notice) {
  const size_t household =
      program.entity == Entity::kHousehold
          ? row
          : static_cast<size_t>(std::upper_bound(batch.person_offsets.begin(), batch.person_offsets.end(), row) -
                                batch.person_offsets.begin()) - 1;
  const Explanation* explanation = outcome.explanations.empty() ? nullptr : outcome.explanations[row].get();
  DataUsed used = data_used(*bound.plan, codes, batch, household, explanation);
  JsonObject out;
  out.text("action", action)
      .text("program", program.id)
      .text("title", program.title)
      .text("authority", program.authority)
      .text("legal_texts", joined(program.references, " ; "))
      .text("sender", campaign.sender)
      .text("campaign", campaign.title)
      // The day the message is prepared: the date it bears, the one `verify` gives.
      .text("date", today_iso())
      .text("data_date", data_date)
      .text("code", code)
      .text("verify_url", campaign.verify_url)
      .text("name", contact.display_name())
      .text("address", contact.address)
      .text("town", contact.town)
      .text("how_to_object", campaign.how_to_object)
      .raw("letterhead", letterhead_json(campaign.letterhead))
      .raw("privacy", privacy_json(campaign))
      .raw("claim", claim_json(config.claim));
  if (action == "grant_notice") {
    out.text("request_code", request_code)
        .text("transmitted_to", campaign.transmission_to_with_article)
        .text("to_transmitted", contracted("à", campaign.transmission_to_with_article))
        .text("near_transmitted", "auprès " + contracted("de", campaign.transmission_to_with_article));
    std::vector<std::string> routes;
    for (const auto& r : program.automatic_routes) routes.push_back(r.label + " (" + r.reference + ")");
    out.texts("routes", routes);
    // The notice says the request holds each member's identity and NIR only
    // when it does: an extract may give neither for a child or a spouse.
    const bool complete = !members.empty() && std::all_of(members.begin(), members.end(), [](const PersonIdentity& m) {
      return !m.nir.empty() && !m.birth_name.empty() && !m.first_names.empty() && !m.birth_date.empty();
    });
    out.flag("identity_complete", complete);
    // A notice of this month told them to claim it themselves (the request
    // was withheld until data were completed): no longer needed.
    out.flag("replaces_notice", replaces_notice);
  } else if (accepted) {
    std::vector<std::string> routes;
    for (const auto& r : program.automatic_routes) routes.push_back(r.label);
    out.text("accepted_on", accepted->date).text("accepted_route", joined(routes, " ; "));
  }
  bool presumed = false;
  if (outcome.status[row] == Status::kEligible)
    for (size_t j = 0; j < outcome.results; ++j)
      if (program.results[j].value.name == "presumed" && outcome.is_known(row, j)) presumed = outcome.value(row, j) == 1;
  const std::string results = told_results_json(program, bound, batch, outcome, household, row, contact, persons_named);
  const bool some_result = results.size() > 2;
  out.raw("results", results).flag("presumed", presumed);
  const EntitledPersons who = entitled_persons(program, batch, outcome, household, row, contact, persons_named);
  out.text("may_have", who.may_have).text("have", who.have).text("may_have_it", who.may_have_it);
  // An SMS names nobody: "vous", or "un membre de votre foyer" where the
  // person written to is not of them.
  out.flag("for_others", who.others_only);
  // GDPR art. 14: which data, from which administration, for this subject.
  std::string data = "[";
  for (const auto& [label, sources] : used.inputs)
    data += (data.size() > 1 ? ", " : "") + JsonObject().text("label", label).text("source", french_list(sources)).str();
  // The NIRs a request carries, and the extracts each came from (a child's
  // may be the CPAM's where the CAF lists it without one); an event's own,
  // from the situation it carried.
  if (action == "grant_notice") {
    std::vector<std::string> nir_sources;
    for (const PersonIdentity& m : members) {
      if (m.nir.empty()) continue;
      const std::string source = m.nir_source.rfind("event ", 0) == 0 && !batch.source.empty() ? batch.source : m.nir_source;
      if (!source.empty() && std::find(nir_sources.begin(), nir_sources.end(), source) == nir_sources.end())
        nir_sources.push_back(source);
    }
    if (!nir_sources.empty())
      data += (data.size() > 1 ? ", " : "") +
              JsonObject()
                  .text("label", "Le numéro de sécurité sociale des personnes de votre foyer, transmis avec la demande")
                  .text("source", french_list(nir_sources))
                  .str();
  }
  if (accepted && action != "grant_notice")
    data += (data.size() > 1 ? ", " : "") +
            JsonObject().text("label", "Votre accord pour la transmission de votre demande, et sa date").text("source", accepted->source).str();
  // What chose to write to them: that they do not already receive it.
  if (!receiving_from.empty())
    data += (data.size() > 1 ? ", " : "") +
            JsonObject().text("label", "Le fait que vous n'en bénéficiez pas déjà").text("source", french_list(receiving_from)).str();
  // The contact details the message itself was sent with, and where from.
  if (!contact.source.empty()) {
    const bool elsewhere = !contact.address_source.empty() && contact.address_source != contact.source;
    data += (data.size() > 1 ? ", " : "") +
            JsonObject().text("label", "Vos nom et coordonnées").text("source", contact.source).str();
    if (elsewhere)
      data += ", " + JsonObject().text("label", "Votre adresse postale").text("source", contact.address_source).str();
  }
  out.raw("data", data + "]");
  std::string to_confirm = "[";
  for (size_t k = 0; k < program.not_evaluated.size(); ++k) {
    const UncheckedCondition& c = program.not_evaluated[k];
    if (k < outcome.unchecked_applies.size() && !outcome.unchecked_applies[k][row]) continue;  // known not to concern them
    to_confirm += (to_confirm.size() > 1 ? ", " : "") + JsonObject().text("condition", c.condition).text("reference", c.reference).str();
  }
  out.raw("to_confirm", to_confirm + "]");
  // What is not known: for an undetermined right, what prevents a decision;
  // for a right that exists, what could make its result more favourable
  // than the least favourable one given (CONTRACT.md), which the message
  // must then say.
  const std::vector<std::string> missing = outcome.status[row] == Status::kIneligible ? std::vector<std::string>{}
                                                                                      : missing_labels(program, outcome, row);
  out.texts("missing", missing).flag("least_favourable", outcome.status[row] == Status::kEligible && some_result && !missing.empty());
  return out.str();
}

namespace {

// A household no channel of the campaign can reach, for the social services
// of its commune: where it lives, whom to ask for, which rights, and why.
struct LeftOut {
  std::string commune, name;
  std::vector<std::string> rights, programs, reasons;
};

// One file per commune, for its social services only (CCAS): a commune's
// list names no household of another. A line per household and right, so
// that an objection to one right takes that line out (retention.hpp).
std::string social_services_list(const std::string& folder, const std::string& commune) {
  return (std::filesystem::path(folder) / ((commune.empty() ? "commune-inconnue" : commune) + ".csv")).string();
}

Result<void> write_social_services_lists(const std::string& folder, const std::map<std::string, LeftOut>& left) {
  std::map<std::string, std::string> files;  // file -> content
  for (const auto& [subject, l] : left) {
    std::string& text = files[social_services_list(folder, l.commune)];
    if (text.empty()) text = "commune;foyer;nom;droit;motif\n";
    for (size_t k = 0; k < l.rights.size(); ++k) {
      for (const std::string* cell : {&l.commune, &subject, &l.name, &l.rights[k]}) {
        append_spreadsheet_cell(text, *cell);
        text += ';';
      }
      append_spreadsheet_cell(text, l.reasons[k]);
      text += '\n';
    }
  }
  for (const auto& [file, text] : files)
    if (auto written = write_file_durably(file, text); !written.ok()) return written;
  return {};
}

// Why a household is listed, in the words of the social services who read the list.
// A household with no name either: its allocataire's (or spouse's) row is
// not in the extract, or was set aside at its reading, which gives nothing;
// or its person is in no household of it (`alone`: known to another
// administration only, or their row was set aside).
std::string reason_for_social_services(const Contact* contact, bool grant, bool alone) {
  std::string why = (!contact || contact->display_name().empty()) && alone
                        ? "ni nom ni coordonnées lisibles : personne qu'aucun foyer de l'extrait principal ne compte "
                          "(connue d'une autre administration seulement, ou sa ligne y a été écartée à la lecture, "
                          "voir les rejets)"
                    : !contact || contact->display_name().empty()
                        ? "ni nom ni coordonnées lisibles : ligne de l'allocataire absente de l'extrait ou écartée "
                          "à sa lecture, voir ses rejets"
                    : !contact->set_aside.empty() ? "coordonnées inutilisables (non valides)"
                                                  : "aucune adresse, aucun courriel ni téléphone connus";
  return grant ? "demande non transmise, faute de pouvoir en informer la personne : " + why : why;
}

size_t household_index(const Batch& batch, uint32_t person) {
  auto it = std::upper_bound(batch.person_offsets.begin(), batch.person_offsets.end(), person);
  return static_cast<size_t>(it - batch.person_offsets.begin()) - 1;
}

}  // namespace

Result<PlanReport> plan_campaign(const Campaign& campaign, const Engine& engine, const Snapshot& snapshot,
                                 const std::vector<SourceMapping>& contact_mappings,
                                 const std::vector<SourceMapping>& nir_mappings, Store& store, const std::string& run_id,
                                 const PlanningObserver& observe) {
  const SourceMapping& contact_mapping = contact_mappings.front();
  if (auto err = check_grants(campaign.file, campaign.programs, engine); !err.ok()) return err.error();
  PlanReport report;
  report.households = static_cast<int64_t>(snapshot.households());
  report.persons = static_cast<int64_t>(snapshot.persons());
  for (uint32_t id : snapshot.household_ids) report.persons_alone += snapshot.strings.at(id).starts_with(kAloneHousehold);
  SnapshotReading reading;
  const Days date = *parse_iso_date(campaign.date);
  // The extracts describe the day they were taken: a campaign dated before
  // one of them would apply the law of an earlier day to later data. Its
  // messages say what was known on the oldest of them, not on the
  // campaign's date, which may be months later.
  std::string data_date = campaign.date;
  for (const SnapshotSource& source : snapshot.sources) {
    const auto taken = parse_iso_date(source.extracted_on);
    if (!taken || !source.route.empty()) continue;  // a datum API Particulier gave: the day it was asked
    if (*taken > date)
      return Error{ErrorKind::kConfiguration, campaign.file + ": the campaign's date " + campaign.date + " is before " +
                                                  (source.file.empty() ? source.source : source.file) + "'s, " +
                                                  source.extracted_on + ": its data describe a later day"};
    if (source.extracted_on < data_date) data_date = source.extracted_on;
  }
  Batch batch = batch_of_snapshot(snapshot, engine, date, reading);
  batch.date = date;
  report.read_as_unknown = reading.summary();

  // Everyone is evaluated without explanations; only the subjects acted on
  // are evaluated again, a few thousand at a time, with them (an
  // explanation is kilobytes: a million of them would not fit).
  EvalOptions eval;
  eval.threads = std::max(1u, std::thread::hardware_concurrency());
  EvalOptions explain = eval;
  explain.explain = true;

  // A subject is a household of the snapshot (part 0), or a person who
  // forms a foyer of their own (part 1, a household of `own`).
  struct Acted {
    uint8_t part;
    uint32_t household;
    ActionKind action;
    SubjectFacts facts;  // as targeted, before what the store records meanwhile
    std::vector<uint8_t> receiving_from;  // the extracts that said it does not already receive the benefit
    std::vector<std::string> concerned;   // the persons of its foyer
    std::string refusal_replaced_on;      // the day of the acceptance that may replace a refusal recorded before
  };
  struct Evaluated {
    const CampaignProgram* config;
    BoundPlan bound;
    std::string hash;
    OwnFoyers own;
    std::vector<Acted> acted;
    // What the store said when the planning began, read again with the
    // persons' keyed NIRs, known only once the identities are read (below):
    // with what is recorded since, every objection and every action within
    // the year, however old, reaches them.
    StoreFacts known;
  };
  std::vector<Evaluated> evaluated;
  // The refusals the extracts record with the claim a route names, within
  // the year, transmitted too (CASF R262-106 II), as an event's are: once
  // for the claim (the month of its day keys it), to a body that would have
  // had the request, where no refusal or objection is recorded yet (an
  // event transmitted that one).
  struct RefusalToSend {
    size_t program;  // in `evaluated`
    Transmission transmission;  // but the members' identities
    std::vector<std::string> members;
  };
  std::vector<RefusalToSend> refusals;
  std::unordered_set<std::string> refusing;  // their households
  const int64_t planning_began = now_ms();
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
      return Error{ErrorKind::kConfiguration, campaign.file + ": program " + config.id + ": no extract gives " +
                   config.already_receiving.front().variable + " (already_receiving)"};
    const bool grants = config.eligible == ActionKind::kGrant;
    const AcceptanceTest acceptance(snapshot, config.acceptance, date);
    if (std::string missing = acceptance.missing_in(campaign.file, config); !missing.empty())
      return Error{ErrorKind::kConfiguration, missing};
    // Days read from a number or a yes-no column would be days since 1970.
    for (const auto& [variable, key] : {std::pair{config.family_situation_since, "family_situation_since"},
                                        std::pair{config.acceptance.date, "acceptance"}}) {
      if (variable.empty()) continue;
      bool other = false;
      for (const auto* mappings : {&contact_mappings, &nir_mappings})
        for (const SourceMapping& m : *mappings)
          for (const ColumnMapping& c : m.columns)
            other |= c.variable == variable && (c.type != FieldType::kDate || !c.household);
      const SnapshotColumn* column = snapshot.column(variable, false);
      if (other || !column || column->text)
        return Error{ErrorKind::kConfiguration, campaign.file + ": program " + config.id + ": no extract gives " + variable +
                     " as a date of the household (" + key + ")"};
    }
    auto known = read_store_facts(store, config.id, campaign.period, run_id, 0);
    if (!known) return known.error();
    const InputSources sources = input_sources(program, snapshot, campaign);

    PopulationOutcome population = evaluate_population(*bound, engine.schema, batch, engine.codes, eval);
    Evaluated e{&config, std::move(*bound), *hash, std::move(population.own), {}, {}};
    ProgramPlan counts;
    counts.program = config.id;
    counts.own_foyers = static_cast<int64_t>(e.own.batch.households());
    for (uint8_t part = 0; part < 2; ++part) {
      const Batch& b = part == 0 ? batch : e.own.batch;
      const Outcome& outcome = part == 0 ? population.outcome : population.own_outcome;
      for (size_t h = 0; h < b.households(); ++h) {
        const size_t row = representative_row(program, b, outcome, h);
        SubjectFacts facts;
        facts.status = outcome.status[row];
        if (facts.status == Status::kIneligible) {
          ++counts.not_eligible;
          continue;
        }
        ++(facts.status == Status::kEligible ? counts.eligible : counts.undetermined);
        // The persons of the household's foyer (all of them for a program
        // without one); a person outside it is a subject of their own.
        auto member = [&](uint32_t p) { return outcome.foyer.empty() || outcome.foyer[p] != Membership::kOutside; };
        std::vector<std::string> concerned = persons_concerned(outcome, b, h);
        add_store_facts(facts, *known, b.household_ids[h], concerned);
        facts.already_receiving = part == 0 ? receiving.household(h, member) : receiving.person(e.own.from[h]);
        facts.receiving_unknown = part == 0 ? receiving.unknown(h, member) : receiving.person_unknown(e.own.from[h]);
        facts.foyer_unknown = foyer_unknown(outcome, b, h);
        facts.under_review = any_under_review(b, h);
        facts.incomplete = incomplete_for(**plan, b, h);
        facts.legal_route = automatic_route_holds(program, outcome, row, engine.codes);
        // A person outside the household's foyer made no choice with its
        // claim. One who refused the request within the year declined this
        // right: not requested, nor told to claim it (CNIL délibération
        // 2022-101: reaching the non-take-up does not override a refusal).
        Days chosen = 0;
        const auto choice = part == 0 ? acceptance.of(h, chosen) : AcceptanceTest::Choice::kUnknown;
        // A refusal an event recorded stands for its claim (CASF R262-102
        // 1°, R262-104-1: the choice is made with each claim, and dated):
        // the acceptance the extracts record with a later claim replaces
        // it, as a later event's does. Weighed once the persons' keyed NIRs
        // are known (below), under which the refusal names them too.
        std::string refusal_replaced_on;
        if (choice == AcceptanceTest::Choice::kAccepted && facts.objected) {
          refusal_replaced_on = format_iso_date(chosen);
          facts.objected = false;
        }
        const bool objection_recorded = facts.objected;
        facts.objected |= choice == AcceptanceTest::Choice::kRefused;
        if (grants) {
          facts.acceptance_unknown = choice != AcceptanceTest::Choice::kAccepted;
          const std::string commune = part == 0 ? commune_of(snapshot, h) : "";
          facts.outside_area = !served_by(campaign.transmission_departements, engine.territory.get(), commune);
        }
        SubjectFacts had_accepted = facts;
        had_accepted.objected = objection_recorded;
        if (grants && choice == AcceptanceTest::Choice::kRefused && refusal_transmitted(config, had_accepted)) {
          const std::string household = b.household_ids[h], day = format_iso_date(chosen);
          auto sent = store.has_acted_on(config.id, household, day.substr(0, 7), "refusal");
          if (!sent) return sent.error();
          if (!*sent) {
            RefusalToSend r{evaluated.size(), {}, {}};
            r.transmission.household = household;
            r.transmission.event = "campaign " + campaign.id;
            r.transmission.event_date = campaign.date;
            r.transmission.refused = true;
            r.transmission.choice_date = day;
            r.transmission.family_since = family_since_of(snapshot, config.family_situation_since, h);
            family_situation(*e.bound.plan, engine.codes, b, outcome, h, r.transmission);
            for (uint32_t p = b.person_offsets[h]; p < b.person_offsets[h + 1]; ++p)
              if (outcome.foyer.empty() || outcome.foyer[p] == Membership::kMember) r.members.push_back(b.person_ids[p]);
            refusals.push_back(std::move(r));
            refusing.insert(household);
            continue;
          }
        }
        std::vector<std::string> unsourced_names;
        facts.waits_for_unsourced = facts.status == Status::kUndetermined &&
                                    waits_for_unsourced(program, b, outcome, h, sources, snapshot,
                                                        part == 0 ? h : household_index(batch, e.own.from[h]),
                                                        unsourced_names);
        Targeting t = target(config, facts);
        if (t.skip != Skip::kNone) {
          std::string reason = skip_reason(t.skip);
          if (t.skip == Skip::kWaitsForUnsourced) {  // which, for the agent who may add the extract
            reason += " (";
            for (size_t k = 0; k < unsourced_names.size(); ++k) reason += (k ? ", " : "") + unsourced_names[k];
            reason += ")";
          }
          ++counts.skipped[reason];
          continue;
        }
        // A message says where it was read that they do not receive it
        // already only where that is known of each person it concerns (a
        // member the extract does not list, or lists twice with two values,
        // was not checked), as an event's does.
        std::vector<uint8_t> receiving_from;
        if (!facts.receiving_unknown)
          receiving_from = part == 0 ? receiving.sources(h, member) : receiving.person_sources(e.own.from[h]);
        e.acted.push_back({part, static_cast<uint32_t>(h), t.action, facts, std::move(receiving_from), std::move(concerned),
                           std::move(refusal_replaced_on)});
      }
    }
    report.programs.push_back(std::move(counts));
    e.known = std::move(*known);
    evaluated.push_back(std::move(e));
  }

  // The subjects acted on (those granted), and the household a person of
  // their own foyer lives in: written to at its address, under their own
  // name. Their contact details, and identities, are read; no one else's.
  auto subjects_acted = [&](bool granted) {
    std::unordered_set<std::string> subjects;
    for (const Evaluated& e : evaluated)
      for (const Acted& a : e.acted) {
        if (granted && a.action != ActionKind::kGrant) continue;
        subjects.insert((a.part == 0 ? batch : e.own.batch).household_ids[a.household]);
        if (a.part == 1 && !granted) subjects.insert(household_of(batch, e.own.from[a.household]));
      }
    return subjects;
  };
  std::unordered_set<std::string> wanted = subjects_acted(false), transmitted = subjects_acted(true);
  // The identities of the persons acted on: a request names its members
  // (CASF R262-103), and every decision keeps its persons' keyed NIRs
  // (person_key.hpp), by which an objection made under other numbers
  // reaches them. Read once, for every household acted on where the main
  // extract gives NIRs. Only the main extract's NIRs are keyed: a NIR
  // another extract gives is looked for where a request is made only, and
  // a household requested would otherwise be keyed apart from the same
  // one told (a foyer is recognised by the same keys).
  std::unordered_map<std::string, std::vector<PersonIdentity>> identities;  // the transmitted households'
  std::unordered_map<std::string, std::string> nir_refused;  // member -> the extract whose NIR was not certainly theirs
  std::unordered_map<std::string, std::string> key_of;       // person id -> their keyed NIR
  const bool gives_nirs = !contact_mapping.person_id.empty() &&
                          std::any_of(contact_mapping.columns.begin(), contact_mapping.columns.end(),
                                      [](const ColumnMapping& c) { return c.variable == "nir"; });
  std::unordered_set<std::string> identified = gives_nirs ? wanted : transmitted;
  identified.insert(refusing.begin(), refusing.end());
  if (!identified.empty()) {
    auto secret = person_key_secret(store);
    if (!secret) return secret.error();
    auto read = read_identities(contact_mapping, identified);
    if (!read) return read.error();
    for (auto& [household, persons] : *read) {
      for (PersonIdentity& person : persons) {
        if (person.nir.empty()) continue;
        person.nir_source = extract_title(contact_mapping);
        if (std::string key = person_key(*secret, person.nir); !key.empty()) key_of[person.person] = key;
      }
      if (transmitted.count(household) || refusing.count(household)) identities.emplace(household, std::move(persons));
    }
  }
  auto keys_of = [&](const std::vector<std::string>& persons) { return keyed_entries(persons, key_of); };

  // An objection, a refusal or an action within the year made under other
  // numbers is found by the keyed NIRs: those subjects are skipped here,
  // before any contact detail of theirs, or NIR of another extract, is read.
  for (size_t i = 0; i < evaluated.size(); ++i) {
    Evaluated& e = evaluated[i];
    std::string replaced;  // for the audit trail (campaign_run.cpp), as an event's
    for (const Acted& a : e.acted) {
      if (a.refusal_replaced_on.empty()) continue;
      const std::string& household = batch.household_ids[a.household];
      std::vector<std::string> subjects = a.concerned;
      subjects.push_back(household);
      for (const std::string& entry : keys_of(a.concerned)) subjects.push_back(entry_key(entry));
      // One at a time with events and objections, as an event's lift.
      auto lifted_in = store.deciding_requests([&]() -> Result<void> {
        auto lifted = store.lift_earlier_refusals(subjects, household, e.config->id, a.refusal_replaced_on);
        if (!lifted) return lifted.error();
        report.programs[i].refusals_replaced += static_cast<int64_t>(lifted->lifted.size());
        for (const std::string& earlier : lifted->lifted)
          replaced += "; " + e.config->id + ": the refusal recorded for " + earlier +
                      " with an earlier claim, replaced by the acceptance of the claim of " + a.refusal_replaced_on;
        for (const std::string& s : subjects) {
          auto still = store.has_objected(s, e.config->id);
          if (!still) return still.error();
          if (!*still) e.known.objectors.erase(s);
        }
        return {};
      });
      if (!lifted_in.ok()) return lifted_in.error();
    }
    if (!replaced.empty()) report.refusals_replaced.push_back(replaced.substr(2));
    std::erase_if(e.acted, [&](const Acted& a) {
      SubjectFacts facts = a.facts;
      add_store_facts(facts, e.known, (a.part == 0 ? batch : e.own.batch).household_ids[a.household], a.concerned,
                      keys_of(a.concerned));
      const Targeting t = target(*e.config, facts);
      if (t.skip != Skip::kNone) ++report.programs[i].skipped[skip_reason(t.skip)];
      return t.skip != Skip::kNone;
    });
  }
  wanted = subjects_acted(false);
  transmitted = subjects_acted(true);
  std::erase_if(identities, [&](const auto& entry) { return !transmitted.count(entry.first) && !refusing.count(entry.first); });
  if (!identities.empty()) {
    // Another extract's NIR is confirmed against the main extract's rows
    // as they are (a date the NIR settled would confirm itself), then the
    // request carries the date the decisions read.
    auto refused = nirs_elsewhere(snapshot, batch, nir_mappings, identities);
    if (!refused) return refused.error();
    nir_refused = std::move(*refused);
    take_settled_birth_dates(snapshot, identities);
  }
  if (!refusals.empty()) {
    // A refusal tells the person nothing (they chose it) and keeps no
    // decision: the transmission alone, in one transaction. Where a request
    // transmitted within the year stands, the refusal of a later claim is
    // the person's objection to it, which withdraws it naming its code: an
    // event's (`refuses`) or `object` records it; a campaign plans and
    // withdraws nothing of another run, and says so (its --plan-only is
    // undone by `campaign withdraw`, which an objection is not).
    std::vector<PlannedAction> sent;
    for (RefusalToSend& r : refusals) {
      const Program& program = *evaluated[r.program].bound.plan->program;
      ProgramPlan& counts = report.programs[r.program];
      Transmission& t = r.transmission;
      // Where the request would have gone: its members known to the
      // paying body, none who objected under another number.
      auto known = identities.find(t.household);
      for (const std::string& person : r.members) {
        PersonIdentity member{person, "", "", "", "", "", ""};
        if (known != identities.end())
          for (const auto& id : known->second)
            if (id.person == person) member = id;
        t.members.push_back(std::move(member));
      }
      const Evaluated& e = evaluated[r.program];
      const std::vector<std::string> keys = keys_of(r.members);
      if (objected_among(e.known.objectors, t.household, r.members, keys)) {
        ++counts.skipped[skip_reason(Skip::kObjected)];
        continue;
      }
      SubjectFacts standing;
      add_store_facts(standing, e.known, t.household, r.members, keys);
      auto granted_now = store.has_acted_on(program.id, t.household, campaign.period, "grant");
      if (!granted_now) return granted_now.error();
      if (standing.already_requested || *granted_now) {
        ++counts.skipped["refused with a later claim while a request transmitted within 12 months stands: record the "
                         "refusal with `proactif object` or the claim's event, which withdraws the request"];
        ++report.refusals_for_an_agent;
        continue;
      }
      if (!std::all_of(t.members.begin(), t.members.end(), identifies)) {
        ++counts.skipped[std::string("refusal not transmitted: ") + skip_reason(Skip::kIdentityUnknown)];
        ++report.refusals_for_an_agent;
        continue;
      }
      t.code = new_verification_code();
      ++counts.planned["refusal by transmission"];
      PlannedAction transmit;
      transmit.key = {program.id, t.household, t.choice_date.substr(0, 7), "refusal"};
      transmit.channel = "transmission";
      transmit.run_id = run_id;
      transmit.verification_code = t.code;
      transmit.recipient = campaign.delivery.transmission_to;
      transmit.message_json = transmission_json(campaign, program, t);
      sent.push_back(std::move(transmit));
    }
    auto stored = store.deciding_requests([&]() -> Result<void> { return store.store_plan({}, sent); });
    if (!stored.ok()) return stored.error();
  }
  // The names of the members a right decided person by person may be told
  // of (the notice says whose it is): their names only are kept.
  std::unordered_set<std::string> named_only;
  for (const Evaluated& e : evaluated)
    if (e.bound.plan->program->entity == Entity::kPerson)
      for (const Acted& a : e.acted)
        for (const std::string& person : a.concerned)
          if (!wanted.count(person)) named_only.insert(person);
  std::unordered_set<std::string> read_for = wanted;
  read_for.insert(named_only.begin(), named_only.end());
  auto contacts = read_contacts(contact_mapping, read_for);
  if (!contacts) return contacts.error();
  report.contacts_read = 0;
  for (auto& [subject, contact] : *contacts) {
    if (!named_only.count(subject)) {
      ++report.contacts_read;
      continue;
    }
    Contact name_only;
    name_only.first_names = contact.first_names;
    name_only.name = contact.name;
    name_only.usage_name = contact.usage_name;
    name_only.person = contact.person;
    contact = std::move(name_only);
  }
  // A subject's contact, its postal address checked against the commune
  // its household lives in (the programs that read no commune load no
  // territory: their decisions hold wherever the person lives).
  auto checked_contact_of = [&](const std::string& subject, const std::string& home_id, size_t home) {
    std::optional<Contact> c = subject_contact(*contacts, subject, home_id);
    if (c && engine.territory) set_aside_address_outside(*c, *engine.territory, commune_of(snapshot, home));
    return c;
  };
  // Who the main extract gives no postal address for is written to at the
  // address another linked extract holds for them.
  // Only for whom no channel of the campaign reaches otherwise, and only the
  // address of the person the letter is addressed to (the allocataire, or
  // the person of their own foyer): never another member's.
  std::unordered_map<std::string, uint32_t> lacking;  // subject -> the person in the snapshot
  // The postcode of the main extract's address set aside as in another
  // commune: an address found elsewhere does not lift that doubt.
  std::unordered_map<std::string, std::string> moved_postcode;
  const bool letters = std::find(campaign.channels.begin(), campaign.channels.end(), "letter") != campaign.channels.end();
  for (const Evaluated& e : evaluated)
    for (const Acted& a : e.acted) {
      if (!letters) break;
      const std::string& subject = (a.part == 0 ? batch : e.own.batch).household_ids[a.household];
      const std::string home = a.part == 1 ? household_of(batch, e.own.from[a.household]) : "";
      std::optional<Contact> known = checked_contact_of(
          subject, home, a.part == 0 ? a.household : household_index(batch, e.own.from[a.household]));
      if (known && !reachable_channel(campaign.channels, *known).empty()) continue;
      if (known && !known->postcode_elsewhere.empty()) moved_postcode.emplace(subject, known->postcode_elsewhere);
      lacking.emplace(subject, a.part == 1 ? e.own.from[a.household]
                                           : applicant_of(snapshot, a.household)
                                                 .value_or(snapshot.person_offsets[a.household]));
    }
  // Their own rows in the main extract, to confirm that a row elsewhere is theirs.
  // A main extract that names no persons with their identity confirms none.
  std::unordered_map<uint32_t, PersonIdentity> lacking_identity;
  const bool identities_known =
      !contact_mapping.person_id.empty() &&
      std::any_of(contact_mapping.columns.begin(), contact_mapping.columns.end(), [](const ColumnMapping& c) {
        return c.variable == "nir" || c.variable == "birth_name" || c.variable == "birth_date";
      });
  if (!lacking.empty() && contact_mappings.size() > 1 && identities_known) {
    std::unordered_set<std::string> households;
    std::unordered_map<std::string, uint32_t> person_index;
    for (const auto& [subject, p] : lacking) {
      households.insert(batch.household_ids[household_index(batch, p)]);
      person_index.emplace(batch.person_ids[p], p);
    }
    auto read = read_identities(contact_mapping, households);
    if (!read) return read.error();
    for (const auto& [household, persons] : *read)
      for (const PersonIdentity& person : persons)
        if (auto at = person_index.find(person.person); at != person_index.end()) lacking_identity[at->second] = person;
  }
  auto found = addresses_elsewhere(snapshot, contact_mappings, lacking, lacking_identity,
                                   report.addresses_elsewhere_unconfirmed);
  if (!found) return found.error();
  for (auto& [subject, elsewhere] : *found) {
    Contact& c = (*contacts)[subject];
    if (c.name.empty()) {
      c.first_names = elsewhere.contact.first_names;
      c.name = elsewhere.contact.name;
      c.usage_name = elsewhere.contact.usage_name;
    }
    c.address = elsewhere.contact.address;
    c.town = elsewhere.contact.town;
    c.address_source = elsewhere.contact.address_source;
    if (auto moved = moved_postcode.find(subject); moved != moved_postcode.end()) c.postcode_elsewhere = moved->second;
    if (c.source.empty()) c.source = elsewhere.contact.source;
  }

  std::map<std::string, LeftOut> left_out;                           // subject -> why no one could be told
  std::map<std::string, std::unordered_set<std::string>> reached;     // channel -> subjects
  std::vector<bool> person_columns;
  for (const auto& slot : engine.schema.slots) person_columns.push_back(slot.entity == Entity::kPerson);
  std::vector<StoredDecision> decisions;
  std::vector<PlannedAction> actions;
  PlanningProgress progress;
  for (const Evaluated& e : evaluated) progress.due += static_cast<int64_t>(e.acted.size());
  const auto storing = std::chrono::steady_clock::now();
  auto tell = [&](int64_t done, bool finished) {
    if (!observe) return;
    progress.done += done;
    progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - storing).count();
    progress.finished = finished;
    observe(progress);
  };
  tell(0, false);
  for (size_t i = 0; i < evaluated.size(); ++i) {
    Evaluated& e = evaluated[i];
    const Program& program = *e.bound.plan->program;
    ProgramPlan& counts = report.programs[i];
    for (uint8_t part = 0; part < 2; ++part) {
      const Batch& b = part == 0 ? batch : e.own.batch;
      std::vector<const Acted*> mine;
      for (const Acted& a : e.acted)
        if (a.part == part) mine.push_back(&a);
      for (size_t first = 0; first < mine.size(); first += kSubjectsPerTransaction) {
        const size_t last = std::min(mine.size(), first + kSubjectsPerTransaction);
        std::vector<size_t> households;
        for (size_t k = first; k < last; ++k) households.push_back(mine[k]->household);
        Batch sub = select_households(b, households, person_columns);
        Outcome outcome = evaluate(e.bound, sub, engine.codes, explain);
        // Each subject's contact, and what a postal address in another
        // commune changes (address_elsewhere.hpp), found before the store's
        // transaction: evaluating again holds no lock.
        std::vector<std::optional<Contact>> contact_of(households.size());
        std::vector<AddressDoubt> doubt_of(households.size());
        // It may live where the claim's body does not serve (its postal
        // address, another extract's commune): sent to the body where it lives.
        std::vector<uint8_t> claim_elsewhere(households.size(), 0);
        const std::vector<std::string>& claim_served = e.config->claim.departements;
        std::vector<size_t> home_of(households.size());  // the household in the snapshot it lives in
        for (size_t j = 0; j < households.size(); ++j) {
          home_of[j] = part == 0 ? households[j] : household_index(batch, e.own.from[mine[first + j]->household]);
          contact_of[j] = checked_contact_of(sub.household_ids[j],
                                             part == 1 ? household_of(batch, e.own.from[mine[first + j]->household]) : "",
                                             home_of[j]);
          const std::vector<std::string>& served =
              e.config->eligible == ActionKind::kGrant ? campaign.transmission_departements : std::vector<std::string>{};
          if (contact_of[j] && !contact_of[j]->postcode_elsewhere.empty()) {
            doubt_of[j] = weigh_address_elsewhere(contact_of[j]->postcode_elsewhere, engine, e.bound, sub, outcome, j,
                                                  served);
            if (!claim_served.empty() && engine.territory)
              claim_elsewhere[j] |= may_live_outside(
                  claim_served, engine, engine.territory->communes_near_postcode(contact_of[j]->postcode_elsewhere));
          }
          // Another administration's commune for a member: the household
          // may live there (the CAF's may be a former address).
          // Or members' rows of one extract gave several communes: the
          // commune read is unknown, and the decision with it.
          if (const std::vector<std::string> communes = communes_in_doubt(snapshot, engine, home_of[j]); !communes.empty()) {
            if (!claim_served.empty()) claim_elsewhere[j] |= may_live_outside(claim_served, engine, communes);
            if (commune_of(snapshot, home_of[j]).empty()) {
              doubt_of[j].not_eligible_in_any = not_eligible_in_each(communes, engine, e.bound, sub, outcome, j);
            } else {
              const AddressDoubt doubt = weigh_communes(communes, engine, e.bound, sub, outcome, j, served);
              doubt_of[j].commune_elsewhere = doubt.decided_otherwise;
              doubt_of[j].outside_area |= doubt.outside_area;
            }
          }
        }
        // What was recorded since the planning began is read in the
        // transaction that stores this part, one at a time with events,
        // requeues and objections (Store::deciding_requests).
        auto stored = store.deciding_requests([&]() -> Result<void> {
          auto since = read_store_facts(store, program.id, campaign.period, run_id, planning_began - kRecordedBeforeMs);
          if (!since) return since.error();
          for (size_t j = 0; j < households.size(); ++j) {
            const std::string& subject = sub.household_ids[j];
            SubjectFacts facts = mine[first + j]->facts;
            const std::vector<std::string> concerned = persons_concerned(outcome, sub, j);
            const std::vector<std::string> keys = keys_of(concerned);
            add_store_facts(facts, e.known, subject, concerned, keys);
            add_store_facts(facts, *since, subject, concerned, keys);
            // A member the request would name with neither a NIR nor names
            // (an extract without them): the paying body could not tell who
            // they are, as for an event's.
            if (mine[first + j]->action == ActionKind::kGrant) {
              auto known = identities.find(subject);
              for (uint32_t p = sub.person_offsets[j]; p < sub.person_offsets[j + 1]; ++p) {
                if (!outcome.foyer.empty() && outcome.foyer[p] != Membership::kMember) continue;
                bool identified = false;
                if (known != identities.end())
                  for (const auto& id : known->second)
                    identified |= id.person == sub.person_ids[p] && identifies(id);
                facts.identity_unknown |= !identified;
              }
            }
            facts.decided_otherwise_at_address = doubt_of[j].decided_otherwise;
            facts.decided_otherwise_in_commune_elsewhere = doubt_of[j].commune_elsewhere;
            facts.not_eligible_in_any_commune_given = doubt_of[j].not_eligible_in_any;
            facts.outside_area |= doubt_of[j].outside_area;
            const Targeting targeted = target(*e.config, facts);
            if (targeted.skip != Skip::kNone) {
              ++counts.skipped[skip_reason(targeted.skip)];
              continue;
            }
            const ActionKind action = targeted.action;
            const size_t home = home_of[j];
            const std::optional<Contact>& contact = contact_of[j];
            const bool grant = action == ActionKind::kGrant;
            const std::string channel = contact ? reachable_channel(campaign.channels, *contact) : "";
            const size_t row = representative_row(program, sub, outcome, j);
            StoredDecision d;
            d.program = program.id;
            d.subject = subject;
            d.period = campaign.period;
            d.run_id = run_id;
            d.persons = concerned;
            d.person_keys = keys_of(concerned);
            d.outside = persons_outside(outcome, sub, j);
            d.status = status_name(outcome.status[row]);
            if (program.entity == Entity::kHousehold) {
              append_decision(d.decision_json, subject, nullptr, e.bound, sub, outcome, j, engine.codes, false);
            } else {
              for (uint32_t p = sub.person_offsets[j]; p < sub.person_offsets[j + 1]; ++p)
                append_decision(d.decision_json, subject, &sub.person_ids[p], e.bound, sub, outcome, p, engine.codes, false);
            }
            while (!d.decision_json.empty() && d.decision_json.back() == '\n') d.decision_json.pop_back();
            if (outcome.explanations[row]) append_kept_explanation_json(d.explanation_json, *outcome.explanations[row]);
            d.program_hash = e.hash;
            d.evaluation_date = campaign.date;
            // A notice needs a way to reach the person, and so does a grant:
            // they are told of the request, and may refuse it. Who no channel
            // reaches is listed for the social services, and the decision is
            // kept all the same: the person may ask for it, and object.
            if (channel.empty()) {
              const std::string why = unreachable_reason(contact ? *contact : Contact{}, grant);
              ++counts.skipped[why];
              // By its subject: a person of their own foyer on a line of their
              // own, under their name, at the commune of the household they
              // live in.
              LeftOut& left = left_out[subject];
              left.commune = commune_of(snapshot, home);
              if (contact && left.name.empty()) left.name = contact->display_name();
              left.rights.push_back(program.title);
              left.programs.push_back(program.id);
              left.reasons.push_back(reason_for_social_services(
                  contact ? &*contact : nullptr, grant,
                  snapshot.strings.at(snapshot.household_ids[home]).starts_with(kAloneHousehold)));
              // Found whatever folder an objection is recorded from.
              d.listed_in = std::filesystem::absolute(social_services_list(social_services_folder(campaign, run_id),
                                                                           left.commune))
                                .lexically_normal()
                                .string();
              d.listed_as = subject;
              decisions.push_back(std::move(d));
              continue;
            }
            reached[channel].insert(subject);
            if (targeted.not_granted != Skip::kNone) ++counts.told_not_granted[skip_reason(targeted.not_granted)];
            std::string request_code;
            std::vector<PersonIdentity> members;
            if (grant) {
              Transmission t;
              t.code = request_code = new_verification_code();
              t.household = subject;
              t.event = "campaign " + campaign.id;
              t.event_date = campaign.date;
              // Granted only where the household accepted (targeting): the day it did.
              Days accepted_on = 0;
              if (AcceptanceTest(snapshot, e.config->acceptance, date).of(home, accepted_on) == AcceptanceTest::Choice::kAccepted)
                t.choice_date = format_iso_date(accepted_on);
              t.family_since = family_since_of(snapshot, e.config->family_situation_since, home);
              // The decision, without the explanation and its data on every
              // person of the household: the request carries the members'.
              t.decision_json = d.decision_json;
              auto known = identities.find(subject);
              for (uint32_t p = sub.person_offsets[j]; p < sub.person_offsets[j + 1]; ++p) {
                if (!outcome.foyer.empty() && outcome.foyer[p] != Membership::kMember) continue;
                PersonIdentity member{sub.person_ids[p], "", "", "", "", "", ""};
                if (known != identities.end())
                  for (const auto& id : known->second)
                    if (id.person == sub.person_ids[p]) member = id;
                if (auto refused = nir_refused.find(member.person); member.nir.empty() && refused != nir_refused.end())
                  ++report.nirs_elsewhere_unconfirmed[refused->second];
                t.members.push_back(std::move(member));
              }
              members = t.members;
              family_situation(*e.bound.plan, engine.codes, sub, outcome, j, t);
              PlannedAction transmit;
              transmit.key = {program.id, subject, campaign.period, "grant"};
              transmit.channel = "transmission";
              transmit.run_id = run_id;
              transmit.verification_code = t.code;
              transmit.recipient = campaign.delivery.transmission_to;
              transmit.message_json = transmission_json(campaign, program, t);
              if (told_in_the_period(facts)) {
                transmit.replaces = kNoticesARequestReplaces;
                transmit.replaces_under = facts.told_this_period_under;
              }
              ++counts.planned["grant by transmission"];
              actions.push_back(std::move(transmit));
            }
            {
              PlannedAction notice;
              const std::string what = grant ? "grant_notice" : action_name(action);
              notice.key = {program.id, subject, campaign.period, what};
              notice.channel = channel;
              notice.run_id = run_id;
              notice.verification_code = new_verification_code();
              notice.recipient = recipient_for(channel, *contact);
              // One message per subject and channel, listing each right found.
              notice.envelope = run_id + "|" + subject + "|" + channel;
              std::vector<std::string> receiving_from;
              for (uint8_t s : mine[first + j]->receiving_from)
                if (s < batch.origin_titles.size()) add_once(receiving_from, batch.origin_titles[s]);
              // Living where the paying body the rules grant through does not
              // serve: not sent to that body to claim, whatever else kept
              // the request from going or the right is only possible.
              CampaignProgram told = *e.config;
              const bool grant_outside = e.config->eligible == ActionKind::kGrant && facts.outside_area;
              told.claim = claim_for(told.claim, grant_outside || claim_elsewhere[j], engine.territory.get(),
                                     commune_of(snapshot, home_of[j]));
              // Told to claim what it accepted, with its claim, to be
              // requested for it: the request may be on its way. Only a
              // route in law transmits one (a fare's program has none).
              std::optional<AcceptedWithClaim> accepted;
              if (!grant && part == 0 && !program.automatic_routes.empty() && program.entity == Entity::kHousehold) {
                const AcceptanceTest acceptance(snapshot, e.config->acceptance, date);
                Days on = 0;
                if (acceptance.of(home, on) == AcceptanceTest::Choice::kAccepted) {
                  const uint8_t from = acceptance.source(home);
                  accepted = AcceptedWithClaim{format_iso_date(on), from < batch.origin_titles.size() ? batch.origin_titles[from] : ""};
                  ++counts.told_request_accepted;
                }
              }
              notice.message_json = notice_json(campaign, told, data_date, program, e.bound, engine.codes, sub, outcome,
                                                row, what, *contact, notice.verification_code, request_code, members,
                                                receiving_from, accepted ? &*accepted : nullptr, &*contacts,
                                                grant && told_in_the_period(facts));
              notice.told = told_of(notice.message_json);
              ++counts.planned[what + " by " + channel];
              actions.push_back(std::move(notice));
            }
            decisions.push_back(std::move(d));
          }
          return store.store_plan(decisions, actions);
        });
        if (!stored.ok()) {
          tell(0, true);  // the line ended, so that the error reads on its own
          return stored.error();
        }
        decisions.clear();
        actions.clear();
        tell(static_cast<int64_t>(households.size()), false);
      }
    }
  }
  tell(0, true);
  for (const auto& [channel, subjects] : reached) report.reached[channel] = static_cast<int64_t>(subjects.size());
  for (const auto& subject : reached["letter"])
    if (auto elsewhere = found->find(subject); elsewhere != found->end())
      ++report.letters_at_address_elsewhere[elsewhere->second.source];
  for (const auto& [subject, left] : left_out) ++report.left_for_social_services[left.reasons.front()];
  if (!left_out.empty()) {
    report.social_services_list = social_services_folder(campaign, run_id);
    // One at a time with objections: a right whose decision an objection
    // deleted since it was planned is not listed (an objection after this
    // takes it out of the list written).
    auto written = store.deciding_requests([&]() -> Result<void> {
      auto listed = store.listed_in_run(run_id);
      if (!listed) return listed.error();
      std::map<std::string, LeftOut> still;
      for (const auto& [subject, left] : left_out)
        for (size_t k = 0; k < left.rights.size(); ++k) {
          if (!listed->count({left.programs[k], subject})) continue;
          LeftOut& kept = still[subject];
          kept.commune = left.commune;
          kept.name = left.name;
          kept.rights.push_back(left.rights[k]);
          kept.programs.push_back(left.programs[k]);
          kept.reasons.push_back(left.reasons[k]);
        }
      return write_social_services_lists(report.social_services_list, still);
    });
    if (!written.ok()) return written.error();
  }
  return report;
}

}  // namespace proactif
