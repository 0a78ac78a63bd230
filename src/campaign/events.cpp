#include "campaign/events.hpp"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <unordered_map>

#include "actions/verification_code.hpp"
#include "campaign/acting_day.hpp"
#include "campaign/address_elsewhere.hpp"
#include "campaign/citizen_requests.hpp"
#include "campaign/event_lines.hpp"
#include "campaign/message_sources.hpp"
#include "campaign/refusal_transmission.hpp"
#include "campaign/retention.hpp"
#include "campaign/store_facts.hpp"
#include "campaign/targeting.hpp"
#include "core/byte_order_mark.hpp"
#include "core/contact_syntax.hpp"
#include "core/date.hpp"
#include "core/hidden_characters.hpp"
#include "core/json_text.hpp"
#include "campaign/person_key.hpp"
#include "core/nir.hpp"
#include "eval/decision_json.hpp"
#include "identity/normalise.hpp"
#include "sources/extract_reader.hpp"
#include "sources/situation_reader.hpp"

namespace proactif {

namespace {

Failure bad(std::string message) { return {Error(ErrorKind::kInput, std::move(message))}; }

// An event is read exactly or not at all: a key given twice (a second,
// empty "refuses"), a key the format does not have (a misspelt "refuse")
// or text after the object would let a refusal go unread.
void check_keys(simdjson::ondemand::object& o, const std::vector<std::string_view>& allowed, const std::string& where) {
  std::vector<std::string_view> seen;
  for (auto field : o) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) throw bad(where + "a key that is not a string");
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw bad(where + quoted_value(key) + " is not a field of an event (CONTRACT.md)");
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw bad(where + "field " + quoted_value(key) + " is given twice");
    seen.push_back(key);
  }
  o.reset();
}

std::string text_field(simdjson::ondemand::object& o, const char* key, bool required) {
  std::string_view v;
  auto field = o[key];
  if (field.error() == simdjson::NO_SUCH_FIELD) {
    if (required) throw bad("field '" + std::string(key) + "' is missing");
    return "";
  }
  if (field.get_string().get(v) != simdjson::SUCCESS) throw bad("field '" + std::string(key) + "' must be a string");
  return std::string(v);
}

// What the situation says beyond the inputs the programs read: each
// person's identity, for a request transmitted to the paying body, and the
// values `already_receiving` looks at (household.x, persons[].x), as text
// ("" for null).
struct SituationFacts {
  std::vector<PersonIdentity> persons;
  std::map<std::string, std::string> household;
  std::vector<std::map<std::string, std::string>> person_values;  // in the situation's order
};

std::string scalar_text(simdjson::ondemand::value v) {
  switch (v.type()) {
    case simdjson::ondemand::json_type::string: return std::string(std::string_view(v.get_string()));
    case simdjson::ondemand::json_type::boolean: return bool(v.get_bool()) ? "true" : "false";
    case simdjson::ondemand::json_type::number: return std::string(std::string_view(v.raw_json_token()));
    default: return "";
  }
}

SituationFacts situation_facts(const std::string& json) {
  SituationFacts facts;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  auto doc = parser.iterate(padded);
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    if (key == "household") {
      for (auto f : field.value().get_object())
        facts.household[std::string(std::string_view(f.unescaped_key()))] = scalar_text(f.value());
    } else if (key == "persons") {
      for (auto item : field.value().get_array()) {
        PersonIdentity p;
        auto& values = facts.person_values.emplace_back();
        for (auto f : item.get_object()) {
          std::string name(std::string_view(f.unescaped_key()));
          std::string value = scalar_text(f.value());
          values[name] = value;
          if (name == "id") p.person = value;
          else if (name == "nir") p.nir = value;
          else if (name == "birth_name") p.birth_name = value;
          else if (name == "usage_name") p.usage_name = value;
          else if (name == "first_names") p.first_names = value;
          else if (name == "birth_date") p.birth_date = value;
          else if (name == "sex") p.sex = value;
        }
        facts.persons.push_back(std::move(p));
      }
    }
  }
  return facts;
}

// A person on a day, for comparing their family situations: by their id
// (never another person's: formats.md), and by their NIR where given (the
// family numbered anew keeps it).
std::vector<std::string> place_keys(const PersonIdentity& p, Days day) {
  std::vector<std::string> keys{"id " + p.person + " " + std::to_string(day)};
  if (!p.nir.empty()) keys.push_back(p.nir + " " + std::to_string(day));
  return keys;
}

// The role the situation gives its k-th person ("" when none).
std::string role_in(const SituationFacts& facts, size_t k) {
  auto role = facts.person_values[k].find("role");
  return role == facts.person_values[k].end() ? "" : role->second;
}

// The values CONTRACT.md lists for a field `already_receiving` may read: a
// value outside them ("Free", "oui") says nothing, and read as "not
// receiving" it would send a request for a person already covered.
const std::map<std::string, std::vector<std::string>>& contract_codes() {
  static const std::map<std::string, std::vector<std::string>> codes = {{"c2s", {"none", "free", "participation"}}};
  return codes;
}

std::string codes_text(const std::vector<std::string>& codes) {
  std::string text;
  for (const auto& c : codes) text += (text.empty() ? "" : ", ") + c;
  return text;
}

// What makes a situation unfit to act on, "" when nothing does: an
// identifier that is not exactly one; an identity a request to the paying
// body could not carry as it is (CASF R262-103: the members' identity and
// NIR): a NIR that is not one, that contradicts the person's sex or birth
// date, or that two persons share, a name with a control character; a
// value outside CONTRACT.md's codes. The extracts' reader refuses the same.
// A household without one applicant, or with two spouses, the situation
// reader refuses. The message, which goes to the log, does not repeat the
// values of a person's fields.
std::string situation_problem(const std::string& household, SituationFacts& facts) {
  if (std::string p = identifier_problem(household); !p.empty()) return "id: " + quoted_value(household) + " " + p;
  std::map<std::string, size_t> nirs;
  for (size_t k = 0; k < facts.persons.size(); ++k) {
    PersonIdentity& p = facts.persons[k];
    const std::string where = "persons[" + std::to_string(k) + "].";
    if (std::string why = identifier_problem(p.person); !why.empty()) return where + "id: " + quoted_value(p.person) + " " + why;
    for (const auto& [field, value] : {std::pair<const char*, std::string*>{"birth_name", &p.birth_name},
                                       {"usage_name", &p.usage_name},
                                       {"first_names", &p.first_names}}) {
      *value = trimmed_value(*value);
      if (!is_postal_line(*value)) return where + field + ": holds a control or invisible character";
      if (std::string why = value->empty() ? "" : name_problem(*value); !why.empty()) return where + field + ": " + why;
    }
    if (!p.sex.empty() && p.sex != "M" && p.sex != "F") return where + "sex: neither M nor F";
    for (const auto& [field, allowed] : contract_codes()) {
      auto value = facts.person_values[k].find(field);
      if (value != facts.person_values[k].end() && !value->second.empty() &&
          std::find(allowed.begin(), allowed.end(), value->second) == allowed.end())
        return where + field + ": not one of " + codes_text(allowed) + " (CONTRACT.md)";
    }
    if (p.nir.empty()) continue;
    NirCheck nir = check_nir(p.nir);
    if (!nir.ok()) return where + "nir: " + nir.reason;
    p.nir = nir.nir;
    if (!nir_agrees(p.nir, p)) return where + "nir: its sex or year and month of birth are not the person's";
    auto [other, fresh] = nirs.emplace(p.nir, k);
    if (!fresh) return where + "nir: the same as persons[" + std::to_string(other->second) + "]'s";
  }
  for (const auto& [field, allowed] : contract_codes()) {
    auto value = facts.household.find(field);
    if (value != facts.household.end() && !value->second.empty() &&
        std::find(allowed.begin(), allowed.end(), value->second) == allowed.end())
      return "household." + field + ": not one of " + codes_text(allowed) + " (CONTRACT.md)";
  }
  return "";
}

// Whether the situation says the household, or a person of its foyer
// (`member`), receives the benefit: yes, no, or not known (a value null or
// absent where a rule looks).
enum class Receiving { kNo, kYes, kUnknown };

template <typename Member>
Receiving already_receiving(const std::vector<AlreadyReceiving>& rules, const SituationFacts& facts, Member member) {
  bool unknown = false;
  auto look = [&](const std::map<std::string, std::string>& values, const AlreadyReceiving& rule) {
    auto it = values.find(rule.variable);
    if (it == values.end() || it->second.empty()) {
      unknown = true;
      return false;
    }
    return std::find(rule.values.begin(), rule.values.end(), it->second) != rule.values.end();
  };
  for (const auto& rule : rules) {
    // The household's value and each member's, where the situation gives
    // the variable: one that says so is enough (campaign-file.md).
    const bool per_household = facts.household.count(rule.variable) > 0;
    const bool per_person = std::any_of(facts.person_values.begin(), facts.person_values.end(),
                                        [&](const auto& v) { return v.count(rule.variable) > 0; });
    if (!per_household && !per_person) unknown = true;
    if (per_household && look(facts.household, rule)) return Receiving::kYes;
    for (size_t p = 0; per_person && p < facts.person_values.size(); ++p)
      if (member(p) && look(facts.person_values[p], rule)) return Receiving::kYes;
  }
  return unknown ? Receiving::kUnknown : Receiving::kNo;
}

// The programs an event refuses (`refuses`), read exactly or the line
// refused.
std::vector<std::string> read_refuses(simdjson::ondemand::object& event, const Engine& engine) {
  std::vector<std::string> refuses;
  simdjson::ondemand::value refused_value;
  if (event["refuses"].get(refused_value) != simdjson::SUCCESS) return refuses;
  simdjson::ondemand::array refused;
  if (refused_value.get_array().get(refused) != simdjson::SUCCESS)
    throw bad("field 'refuses' must be a list of program ids, as [\"c2s\"]");
  for (auto r : refused) {
    std::string_view v;
    if (r.get_string().get(v) != simdjson::SUCCESS) throw bad("field 'refuses' must list program ids");
    const bool known =
        std::any_of(engine.plans.begin(), engine.plans.end(), [&](const auto& p) { return p->program->id == v; });
    if (!known) {
      std::string acted_on;
      for (const auto& plan : engine.plans) acted_on += (acted_on.empty() ? "" : ", ") + plan->program->id;
      throw bad("field 'refuses': " + quoted_value(v) + " is not a program these rules act on (" + acted_on +
                "): a refusal is of a right the event may grant or tell");
    }
    if (std::find(refuses.begin(), refuses.end(), v) == refuses.end()) refuses.emplace_back(v);  // said twice, once
  }
  return refuses;
}

// The commune (INSEE code) the event's household lives in, as its situation
// says; empty when it does not.
std::string commune_of(const Engine& engine, const Batch& batch) {
  for (size_t s = 0; s < engine.schema.slots.size() && s < batch.inputs.size(); ++s) {
    const InputSlot& slot = engine.schema.slots[s];
    if (slot.name != "commune" || slot.entity != Entity::kHousehold || batch.inputs[s].value.empty()) continue;
    const double code = batch.inputs[s].value[0];
    if (is_known(code)) return engine.codes.name(static_cast<int32_t>(code));
  }
  return "";
}

}  // namespace

std::string event_runs(const Campaign& rules) { return rules.id + ":%"; }

Result<EventReport> process_events(const Campaign& rules, const Engine& engine, Store& store, const std::string& path,
                                   bool past_date, std::ostream& err) {
  for (const auto& [kind, programs] : rules.events)
    if (auto e = check_grants(rules.file, programs, engine, kind); !e.ok()) return e.error();
  EventReport report;
  std::map<std::string, size_t> report_index;
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) return Error{ErrorKind::kNotFound, path + ": cannot read the events"};
  }
  std::istream& in = path == "-" ? std::cin : file;
  SituationReader reader(engine.schema, engine.codes);
  simdjson::ondemand::parser parser;
  std::map<std::string, bool> runs_started;
  std::map<std::string, std::string> hashes;  // per program: its files are read once, not per event
  EvalOptions eval;
  eval.explain = true;

  std::unordered_map<std::string, std::pair<PersonIdentity, size_t>> nir_owners;  // NIR -> its person, the line that gave it
  std::unordered_map<std::string, std::pair<std::string, size_t>> nir_of_person;  // person id -> their NIR, that line
  // A person and a day (place_keys) -> the household whose line gave them
  // that day (its latest line), their role there, that household's NIRs
  // (sorted) and number of persons, that line
  struct PlaceInFoyer {
    std::string household, role;
    std::vector<std::string> nirs;
    size_t persons;
    size_t line;
  };
  std::unordered_map<std::string, PlaceInFoyer> place_of_person;
  // The persons' keyed NIRs (person_key.hpp): an objection one made under
  // other numbers reaches them, and the decisions kept list them.
  auto secret = person_key_secret(store);
  if (!secret) return secret.error();
  // A line refused holds its household's other lines (RefusedLines): a
  // file's, before or after it, found by a first reading that acts on
  // nothing (`dry`).
  RefusedLines refused_lines;
  std::unordered_map<size_t, std::string> first_refusals;  // line number -> why, on the first reading
  // One day for the whole file: its two readings judge its dates alike,
  // were it read across midnight.
  const Days now = today();
  const bool whole = path != "-";
  std::vector<std::string> lines;
  if (whole)
    for (std::string line; std::getline(in, line);) {
      without_bom(line, lines.empty());
      lines.push_back(std::move(line));
    }
  for (int pass = whole ? 0 : 1; pass < 2; ++pass) {
    const bool dry = pass == 0;
    report.lines = 0;
    nir_owners.clear();
    nir_of_person.clear();
    place_of_person.clear();
    auto say_refused = [&](const std::string& why) {
      ++report.rejected;
      err << "line " << report.lines << ": " << escape_hidden(why) << "\n";
    };
    // A line refused: kept on the first reading, said on the second.
    auto refused = [&](const std::string& line, bool held, const std::string& why) {
      if (!held && (dry || !whole)) refused_lines.add(report.lines, line);
      if (dry) first_refusals.emplace(report.lines, why);
      else say_refused(why);
    };
    auto read_line = [&](std::string& line) -> bool {
      if (whole) {
        if (report.lines == lines.size()) return false;
        line = lines[report.lines];
        return true;
      }
      if (!std::getline(in, line)) return false;
      without_bom(line, report.lines == 0);
      return true;
    };
    for (std::string line; read_line(line);) {
      ++report.lines;
      if (report.lines == 1 && byte_order_mark(line) == ByteOrderMark::kUtf16)
        return Error{ErrorKind::kInput, (path == "-" ? std::string("standard input") : path) + ": the file is in UTF-16 (its byte order mark says so): events are "
                     "read in UTF-8, one JSON object per line; save it again as UTF-8"};
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      // Refused on the first reading: the same, with its reason, and not
      // read again (the lines after it are read as they were then).
      if (auto first = first_refusals.find(report.lines); first != first_refusals.end()) {
        say_refused(first->second);
        continue;
      }
      bool held = false;  // refused for another line's sake: holds no other
      try {
        simdjson::padded_string json(line);
        simdjson::ondemand::document doc;
        if (parser.iterate(json).get(doc) != simdjson::SUCCESS) throw bad("not JSON");
        simdjson::ondemand::object event;
        if (doc.get_object().get(event) != simdjson::SUCCESS) throw bad("not a JSON object");
        check_keys(event, event_keys(), "");
        std::string kind = text_field(event, "event", true);
        std::string date_text = text_field(event, "date", true);
        auto date = parse_iso_date(date_text);
        if (!date) throw bad("field 'date': " + quoted_value(date_text) + " is not a date YYYY-MM-DD that exists");
        // An event reports what happened: a claim granted on a day to come
        // has not been, and a request dated then would carry an acceptance
        // not yet given. One long past is not acted on without the
        // operator's word (acting_day.hpp).
        if (std::string refusal = acting_day_refusal(*date, now, kEventDaysBeforeToday, past_date, "field 'date':");
            !refusal.empty())
          throw bad(refusal);
        // The person accepts or refuses on the claim (CASF R262-104-1: the
        // acceptance or refusal and its date): its day when the event gives
        // it, which comes before the fact it led to, and by less than a year
        // (a claim is decided within months); else the event's. A request
        // transmitted earlier is withdrawn on the day the refusal reached us,
        // the event's, which cannot precede the acceptance it withdraws.
        std::string choice_date = date_text;
        bool claim_dated = false;  // the event says which claim it follows
        if (simdjson::ondemand::value claim; event["claim_date"].get(claim) == simdjson::SUCCESS) {
          std::string_view text;
          if (claim.get_string().get(text) != simdjson::SUCCESS) throw bad("field 'claim_date' must be a string");
          auto claimed = parse_iso_date(text);
          if (!claimed) throw bad("field 'claim_date': " + quoted_value(text) + " is not a date YYYY-MM-DD that exists");
          if (*claimed > *date) throw bad("field 'claim_date': " + std::string(text) + " is after the event's date " + date_text);
          if (*claimed < *date - 366)
            throw bad("field 'claim_date': " + std::string(text) + " is more than a year before the event's date " + date_text);
          choice_date = std::string(text);
          claim_dated = true;
        }
        // The day since which the family situation is what it is, which a
        // request carries (CASF R262-103), when the event gives it.
        std::string family_since;
        if (simdjson::ondemand::value since; event["family_situation_since"].get(since) == simdjson::SUCCESS) {
          std::string_view text;
          if (since.get_string().get(text) != simdjson::SUCCESS) throw bad("field 'family_situation_since' must be a string");
          auto day = parse_iso_date(text);
          if (!day) throw bad("field 'family_situation_since': " + quoted_value(text) + " is not a date YYYY-MM-DD that exists");
          if (*day > *date)
            throw bad("field 'family_situation_since': " + std::string(text) + " is after the event's date " + date_text);
          if (*day < years_before(*date, 130))
            throw bad("field 'family_situation_since': " + std::string(text) + " is more than 130 years before the event's date");
          family_since = std::string(text);
        }
        auto rule = std::find_if(rules.events.begin(), rules.events.end(), [&](const auto& e) { return e.first == kind; });
        if (rule == rules.events.end()) throw bad("field 'event': " + quoted_value(kind) + " is not an event of " + rules.file);
        std::string_view situation_json;
        simdjson::ondemand::object situation_obj;
        if (event["situation"].get_object().get(situation_obj) != simdjson::SUCCESS ||
            situation_obj.raw_json().get(situation_json) != simdjson::SUCCESS)
          throw bad("field 'situation' must be a situation object (CONTRACT.md)");
        std::string situation_text(situation_json);
        Contact contact;
        simdjson::ondemand::object contact_obj;
        if (event["contact"].get_object().get(contact_obj) == simdjson::SUCCESS) {
          check_keys(contact_obj, {"email", "mobile", "address", "town", "first_names", "name"}, "contact: ");
          contact.email = text_field(contact_obj, "email", false);
          contact.mobile = text_field(contact_obj, "mobile", false);
          contact.address = text_field(contact_obj, "address", false);
          contact.town = text_field(contact_obj, "town", false);
          contact.first_names = text_field(contact_obj, "first_names", false);
          contact.name = text_field(contact_obj, "name", false);
          contact = checked_contact(std::move(contact));
        }
        // A refusal is a safety decision: one that cannot be read exactly
        // (a string for a list, a program that does not exist) rejects the
        // whole line, and nothing is done for that person on a guess.
        const std::vector<std::string> refuses = read_refuses(event, engine);

        // Read to its end: one event per line, nothing after it.
        event.reset();
        for (auto field : event) (void)field.unescaped_key();
        const char* rest = nullptr;
        if (doc.current_location().get(rest) == simdjson::SUCCESS) throw bad("text after the event's object on the same line");

        Batch batch;
        reader.reset(batch);
        Days situation_date = *date;
        simdjson::padded_string padded(situation_text);
        if (auto e = reader.append(std::string_view(padded.data(), padded.size()), padded.size() + simdjson::SIMDJSON_PADDING,
                                   batch, *date, situation_date))
          throw bad("situation: " + *e);
        // The situation is the household on the day of the event, which its
        // decision is taken on: one of another day would be decided on the
        // wrong day's data, or the event's data on the wrong day's law.
        {
          simdjson::ondemand::parser own;
          simdjson::ondemand::document situation;
          std::string_view day;
          if (own.iterate(padded).get(situation) == simdjson::SUCCESS &&
              situation["date"].get_string().get(day) == simdjson::SUCCESS && day != date_text)
            throw bad("situation.date: " + quoted_value(day) + " is not the event's date " + date_text +
                      " (the situation describes the household on the day of the event; leave it out to take that day)");
        }
        batch.date = *date;
        // Every value of the situation came with the event, from whoever sent
        // it: not from the sources the program declares (GDPR art. 14).
        batch.source = rules.sender + " (informations transmises le " + french_long_date(date_text) + ")";
        batch.source_exact = true;
        const std::string& household = batch.household_ids.at(0);
        if (engine.territory) set_aside_address_outside(contact, *engine.territory, commune_of(engine, batch));
        SituationFacts facts = situation_facts(situation_text);
        if (std::string problem = situation_problem(household, facts); !problem.empty()) throw bad("situation: " + problem);
        // A right decided person by person names whose each amount is, by
        // the names the situation gives them; the person written to is "vous"
        // where the contact's names are one person's alone (a letter gave
        // three prices, each "pour une personne de votre foyer").
        std::unordered_map<std::string, Contact> persons_named;
        for (const PersonIdentity& p : facts.persons) {
          if (p.first_names.empty() || (p.birth_name.empty() && p.usage_name.empty())) continue;
          Contact named;
          named.first_names = p.first_names;
          named.name = p.birth_name;
          named.usage_name = p.usage_name;
          named.person = p.person;
          persons_named.emplace(p.person, std::move(named));
        }
        contact.person = addressee_among(contact, facts.persons);
        // A NIR names one person: given in this file for two (another birth
        // date, sex or birth name, where both lines give it), it is not one of
        // them's, and a request would open a right under another person's
        // number (CASF R262-103).
        for (size_t k = 0; k < facts.persons.size(); ++k) {
          const PersonIdentity& p = facts.persons[k];
          auto owner = p.nir.empty() ? nir_owners.end() : nir_owners.find(p.nir);
          if (owner == nir_owners.end()) continue;
          const PersonIdentity& o = owner->second.first;
          auto differ = [](const std::string& a, const std::string& b) { return !a.empty() && !b.empty() && a != b; };
          // First names as the CAF writes them may gain or lose one, not all;
          // "Jean-Pierre" and "Jean Pierre" are one man's: compared word by word.
          auto words = [](const std::string& names) {
            std::vector<std::string> out;
            for (const std::string& key : first_name_keys(names))
              for (size_t at = 0; at < key.size();) {
                const size_t space = std::min(key.find(' ', at), key.size());
                if (space > at) out.push_back(key.substr(at, space - at));
                at = space + 1;
              }
            return out;
          };
          auto no_first_name_shared = [&](const std::string& a, const std::string& b) {
            const std::vector<std::string> wa = words(a), wb = words(b);
            return !wa.empty() && !wb.empty() &&
                   std::none_of(wa.begin(), wa.end(), [&](const std::string& n) { return std::count(wb.begin(), wb.end(), n); });
          };
          if (differ(p.birth_date, o.birth_date) || differ(p.sex, o.sex) ||
              differ(family_name_key(p.birth_name), family_name_key(o.birth_name)) ||
              no_first_name_shared(p.first_names, o.first_names))
            throw bad("situation: persons[" + std::to_string(k) + "].nir: given at line " + std::to_string(owner->second.second) +
                      " for another person (another birth date, sex, birth name or first names)");
        }
        // A person's id names one person, whose NIR is one: another NIR for
        // the same id is another person under it, or a mistake in one line.
        for (size_t k = 0; k < facts.persons.size(); ++k) {
          const PersonIdentity& p = facts.persons[k];
          auto known = p.nir.empty() ? nir_of_person.end() : nir_of_person.find(p.person);
          if (known != nir_of_person.end() && known->second.first != p.nir)
            throw bad("situation: persons[" + std::to_string(k) + "].nir: line " + std::to_string(known->second.second) +
                      " gave this person (" + quoted_value(p.person) + ") another NIR");
        }
        // A person is the applicant or the spouse of one household on a day:
        // named so, that day, in another household of other persons (a
        // spouse there, alone here), one of the two family situations is not
        // theirs, and a request would tell the paying body a foyer that does
        // not exist (CASF R262-103: the family situation). The same persons
        // under another number (the CAF numbered the family anew) are the
        // same foyer; a child in two households (shared custody) is in
        // neither role; another day may follow a separation. A line that
        // refuses is read all the same: a refusal grants nothing, and lost it
        // would not be honoured.
        std::vector<std::string> nirs_here;
        for (const PersonIdentity& p : facts.persons)
          if (!p.nir.empty()) nirs_here.push_back(p.nir);
        std::sort(nirs_here.begin(), nirs_here.end());
        for (size_t k = 0; refuses.empty() && k < facts.persons.size(); ++k) {
          const PersonIdentity& p = facts.persons[k];
          auto first = place_of_person.end();
          for (const std::string& key : place_keys(p, *date))
            if (auto found = place_of_person.find(key); found != place_of_person.end() && found->second.household != household)
              first = found;
          if (first == place_of_person.end()) continue;
          const PlaceInFoyer& there = first->second;
          const std::string here = role_in(facts, k);
          // The same persons: as many, each NIR given on both lines the same
          // (one line may leave out a child's; none given proves nothing),
          // this person in the same role.
          auto within = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
            return std::includes(b.begin(), b.end(), a.begin(), a.end());
          };
          if (there.persons == facts.persons.size() && there.role == here && !there.nirs.empty() && !nirs_here.empty() &&
              (within(there.nirs, nirs_here) || within(nirs_here, there.nirs)))
            continue;
          auto heads = [](const std::string& r) { return r == "applicant" || r == "spouse"; };
          if (heads(here) || heads(there.role))
            throw bad("situation: persons[" + std::to_string(k) + (p.nir.empty() ? "].id" : "].nir") + ": given at line " +
                      std::to_string(there.line) +
                      " for a person of another household of other persons on the same day (" +
                      quoted_value(there.household) + ", as " + quoted_value(there.role) + "), here as " +
                      quoted_value(here) + ": one of the two family situations is not theirs");
        }
        // The programs' parameters on that date: a date they have no value
        // for refuses this line, before anything is recorded for it.
        std::vector<BoundPlan> bounds;
        for (const CampaignProgram& config : rule->second) {
          auto plan = std::find_if(engine.plans.begin(), engine.plans.end(),
                                   [&](const auto& p) { return p->program->id == config.id; });
          auto bound = bind(**plan, *date, engine.codes);
          if (!bound) throw bad("field 'date': " + bound.error().message);
          bounds.push_back(std::move(*bound));
        }
        std::vector<Outcome> outcomes;
        for (const BoundPlan& bound : bounds) outcomes.push_back(evaluate(bound, batch, engine.codes, eval));
        // An event that is the moment of a program's routes (the RSA granted)
        // says one of their conditions holds: a situation that gives none as
        // true (its `rsa` false or left out) contradicts it, and either may be
        // wrong. Nothing is done on a guess, for the person or the paying
        // body; but a refusal of that program is read all the same (it grants
        // nothing, and may withdraw a request that went).
        for (size_t k = 0; k < bounds.size(); ++k) {
          const Program& program = *bounds[k].plan->program;
          if (std::find(refuses.begin(), refuses.end(), program.id) != refuses.end()) continue;
          const size_t row = representative_row(program, batch, outcomes[k], 0);
          std::string conditions;
          bool holds = false;
          for (size_t r = 0; r < program.automatic_routes.size(); ++r) {
            const AutomaticRoute& route = program.automatic_routes[r];
            if (std::find(route.events.begin(), route.events.end(), kind) == route.events.end()) continue;
            holds |= outcomes[k].route_holds[r][row] != 0;
            conditions += (conditions.empty() ? "" : ", ") + route.id + " (" +
                          program.variables[static_cast<size_t>(route.condition)].formula.text + ")";
          }
          if (!conditions.empty() && !holds)
            throw bad("situation: the event " + kind + " is the moment of " + program.id + "'s routes " + conditions +
                      ", whose conditions the situation does not give as true: the event and its situation disagree");
        }
        std::unordered_map<std::string, std::string> key_of;  // person id -> their keyed NIR
        for (size_t k = 0; k < facts.persons.size(); ++k) {
          const PersonIdentity& p = facts.persons[k];
          // A household's later line of the day says its situation then.
          PlaceInFoyer here{household, role_in(facts, k), nirs_here, facts.persons.size(), report.lines};
          for (const std::string& key : place_keys(p, *date)) {
            auto [place, fresh] = place_of_person.try_emplace(key, here);
            if (!fresh && place->second.household == household) place->second = here;
          }
          if (p.nir.empty()) continue;
          nir_owners.try_emplace(p.nir, p, report.lines);
          nir_of_person.try_emplace(p.person, p.nir, report.lines);
          if (std::string key = person_key(*secret, p.nir); !key.empty()) key_of[p.person] = key;
        }
        // A person whose identity link is under review is not acted on, as
        // in a campaign, until an agent has decided it.
        bool under_review = false;
        for (const std::string& person : batch.person_ids) {
          auto r = store.under_review(person);
          if (!r) return r.error();
          under_review |= *r;
        }
        // The first reading ends here: the line would be acted on.
        if (dry) continue;
        // A line of the file refused may be this household's refusal: nothing
        // is done for it on a guess. A refusal given here is read all the
        // same (it grants nothing), and only that. Held once its persons are
        // recorded, as on the first reading, so that the lines after it are
        // read alike.
        const std::string held_by = refused_lines.lines_of(household, report.lines);
        const std::string held_why = "held: line " + held_by + ", refused, may be this household's (" +
                                     quoted_value(household) + ") and refuse what this line would do: correct it, "
                                     "then send this line again with it";
        if (!held_by.empty() && refuses.empty()) {
          held = true;
          throw bad(held_why);
        }
        std::string period = date_text.substr(0, 7);
        std::string run_id = rules.id + ":" + period + ":" + rules.hash.substr(0, 12);
        if (!runs_started[run_id]) {
          auto started = store.start_run({run_id, rules.id, period, date_text, rules.hash, rules.sender});
          if (!started) return started.error();
          // Each event's actions are stored in one transaction, whole: they
          // may be delivered as soon as they are.
          if (auto err = store.finish_planning(run_id); !err.ok()) return err.error();
          runs_started[run_id] = true;
        }
        // What was requested and objected to, read, and what follows from it,
        // stored: one transaction, one at a time with a requeue of dead
        // requests and with other events, so that neither asks again for a
        // request the other sends.
        std::vector<std::string> refused_letters;  // deleted once the refusal is committed
        std::vector<ObjectionResult::Listed> refused_listed;  // taken out of the social services' lists then
        // Households a list for the social services names for a right this
        // event acts on: taken out of it once committed (a tester's finding,
        // 2026-12-07: the list went on saying "demande non transmise").
        std::vector<ObjectionResult::Listed> reached_listed;
        // What this line did not do, by program, and why (a request no way
        // to tell the person of, a line held, a refusal not transmitted):
        // named once committed, for an agent to act.
        std::vector<std::pair<std::string, std::string>> untold_grants;  // program, why
        // The refusals of earlier claims this one replaced: program, household.
        std::vector<std::pair<std::string, std::string>> lifted_refusals;
        auto decided = store.deciding_requests([&]() -> Result<void> {
          refused_letters.clear();
          refused_listed.clear();
          reached_listed.clear();
          untold_grants.clear();
          lifted_refusals.clear();
          // A refusal is the objection of the program's foyer, under this case
          // number or another. A request already transmitted for it is
          // withdrawn by the refusal the objection queues, naming it: the event
          // transmits no other.
          std::vector<std::string> withdrawn;
          for (const auto& program_id : refuses) {
            auto k = std::find_if(rule->second.begin(), rule->second.end(), [&](const auto& c) { return c.id == program_id; });
            // Only the persons certainly of the foyer refuse with it, as the
            // refusal transmitted names them.
            std::vector<std::string> foyer;
            if (k != rule->second.end()) {
              const Outcome& o = outcomes[static_cast<size_t>(k - rule->second.begin())];
              for (size_t p = 0; p < batch.persons(); ++p)
                if (o.foyer.empty() || o.foyer[p] == Membership::kMember) foyer.push_back(batch.person_ids[p]);
            }
            // The origin ends with the day of the choice, which a later
            // claim's acceptance is compared with (lift_earlier_refusals).
            const std::string origin = "refused with event " + kind + " of " + date_text +
                                       (claim_dated ? ", with the claim of " + choice_date : "");
            auto r = store.object(household, program_id, origin, now_ms(),
                                  [&](const TransmittedGrant& grant) { return refusal_transmission(grant, date_text, kind); },
                                  foyer, keyed_entries(foyer, key_of));
            if (!r) return r.error();
            bool withdrawing = false;
            for (const ObjectionResult::Transmitted& t : r->transmitted) {
              withdrawing |= !t.withdrawal_blocked;
              if (t.withdrawal_blocked)
                untold_grants.push_back({program_id, "refusal not transmitted: " + blocked_withdrawal_text(t)});
              else if (!t.refused_before && !t.run_id.starts_with(rules.id + ":"))
                report.refusals_queued_elsewhere.push_back(t.program + " request " + t.code + " for " + t.subject +
                                                           " of run " + t.run_id);
            }
            if (!r->transmitted.empty()) withdrawn.push_back(program_id);
            report.refusals_recorded.push_back(household + ": " + program_id + " (line " + std::to_string(report.lines) +
                                               ")" + (withdrawing ? ", the request transmitted withdrawn" : ""));
            refused_letters.insert(refused_letters.end(), r->letter_files.begin(), r->letter_files.end());
            refused_listed.insert(refused_listed.end(), r->listed.begin(), r->listed.end());
          }
          ++report.events;
          report.past_dated += *date < now - kEventDaysBeforeToday;

          std::vector<StoredDecision> decisions;
          std::vector<PlannedAction> actions;
          for (size_t k = 0; k < rule->second.size(); ++k) {
            const CampaignProgram& config = rule->second[k];
            if (!held_by.empty() && std::find(refuses.begin(), refuses.end(), config.id) == refuses.end()) {
              untold_grants.push_back({config.id, held_why});
              continue;
            }
            const BoundPlan* bound = &bounds[k];
            const Program& program = *bound->plan->program;
            const Outcome& outcome = outcomes[k];
            auto [slot, fresh] = report_index.emplace(config.id, report.programs.size());
            if (fresh) report.programs.push_back({config.id, 0, 0, 0, 0, {}, {}});
            ProgramPlan& counts = report.programs[slot->second];
            size_t row = representative_row(program, batch, outcome, 0);
            SubjectFacts subject;
            bool claim_elsewhere = false;  // it may live where the claim's body does not serve (its postal address)
            subject.status = outcome.status[row];
            if (subject.status == Status::kIneligible) {
              ++counts.not_eligible;
              continue;
            }
            ++(subject.status == Status::kEligible ? counts.eligible : counts.undetermined);
            // The persons of the program's foyer: one outside it objects for
            // their own foyer, not for this household's.
            const std::vector<std::string> concerned = persons_concerned(outcome, batch, 0);
            std::vector<std::string> subjects = concerned;
            subjects.push_back(household);
            const std::vector<std::string> concerned_keys = keyed_entries(concerned, key_of);
            for (const std::string& entry : concerned_keys) subjects.push_back(entry_key(entry));
            // A refusal made with an earlier claim stands for that claim (CASF
            // R262-102 1°, R262-104-1: the choice is made with each claim, and
            // dated): a later claim, which does not refuse, accepts. Only an
            // event that dates its claim says it is another (one without may
            // be the same claim, its family numbered anew).
            const bool refusing = std::find(refuses.begin(), refuses.end(), config.id) != refuses.end();
            const bool grant_eligible = config.eligible == ActionKind::kGrant && subject.status == Status::kEligible;
            std::vector<std::string> told;  // the households whose choice an agent is told holds this claim
            if (claim_dated && !refusing) {
              auto lifted = store.lift_earlier_refusals(subjects, household, config.id, choice_date);
              if (!lifted) return lifted.error();
              for (const std::string& earlier : lifted->lifted) lifted_refusals.push_back({config.id, earlier});
              // Another foyer's refusal standing for one of its persons holds
              // this claim, as their own objection would.
              subject.objected |= !lifted->kept.empty();
              told = lifted->kept;
              told.insert(told.end(), lifted->unordered.begin(), lifted->unordered.end());
              // Another foyer's refusal that named one of this claim's persons
              // (a child in two households) is that foyer's choice: this one's
              // request waits, and an agent is told.
              for (const std::string& other : lifted->kept)
                if (grant_eligible)
                  untold_grants.push_back({config.id, "grant not transmitted: the refusal recorded for " + other +
                                                          " covers persons of this claim and others who are not in it (a "
                                                          "child in two households, a member gone since?): ask them, "
                                                          "then send the event again"});
              // Which of the two choices is the person's last is not known: the
              // refusal stands, and an agent is told.
              for (const std::string& earlier : lifted->unordered)
                if (grant_eligible)
                  untold_grants.push_back({config.id, "grant not transmitted: the refusal recorded for " + earlier +
                                                          " stands, since whether it was made before or after the "
                                                          "claim of " + choice_date + " is not known (a claim of the "
                                                          "same day, or an event that did not date its claim): ask "
                                                          "the person, and if they accept, send the event again with "
                                                          "their answer's day as claim_date"});
            }
            for (const auto& s : subjects) {
              auto h = store.has_objected(s, config.id);
              if (!h) return h.error();
              subject.objected |= *h;
            }
            // Another household's refusal or objection that a person of this
            // foyer follows holds the request as their own would (a child in
            // two households): it is not this household's choice, and its
            // other persons would lose the request in silence.
            // Named for an agent once targeted, where the request would go but
            // for them (not for a foyer covered already, say).
            std::vector<std::string> objections_holding;
            if (subject.objected && grant_eligible && !refusing) {
              auto held = store.held_by_others(subjects, household, config.id);
              if (!held) return held.error();
              for (const Store::HeldBy& other : *held)
                if (std::find(told.begin(), told.end(), other.household) == told.end()) {
                  told.push_back(other.household);
                  objections_holding.push_back(
                      "grant not transmitted: the " + std::string(other.refusal ? "refusal" : "objection") +
                      " recorded for " + other.household + " covers persons of this claim, and is another household's "
                      "choice (a child in two households?): ask them");
                }
              // This family's own objection to the processing: the claim's
              // acceptance is the person's later word, which Proactif may not
              // act on while the objection stands (a tester's finding: it was
              // skipped in silence, exit 0).
              auto objecting = store.objected_to_processing(subjects, config.id);
              if (!objecting) return objecting.error();
              for (const std::string& who : *objecting)
                if (std::find(told.begin(), told.end(), who) == told.end())
                  objections_holding.push_back(
                      "grant not transmitted: the objection to the processing (GDPR art. 21) recorded for " + who +
                      " stands, though this claim accepts the request: Proactif acts on nothing it covers while it "
                      "stands; ask the person, and if they confirm, transmit their acceptance by the CAF's own procedure");
            }
            // A second event for the household this month is acted on once (its own run included).
            // A request, sent, withdrawn or cancelled by a refusal, holds
            // another; a notice holds a notice only (targeting.hpp).
            auto requested = store.has_acted_on(config.id, household, period, "grant");
            if (!requested) return requested.error();
            auto acted = store.has_acted_on(config.id, household, period);
            if (!acted) return acted.error();
            subject.already_acted_on = *requested;
            subject.told_this_period = *acted && !*requested;
            // The month's action (a request cancelled by the refusal, or sent
            // and withdrawn) is not made twice: this claim's acceptance then
            // waits, and an agent is told.
            if (subject.already_acted_on && config.eligible == ActionKind::kGrant &&
                std::any_of(lifted_refusals.begin(), lifted_refusals.end(),
                            [&](const auto& l) { return l.first == config.id; }))
              untold_grants.push_back({config.id, "grant not transmitted: the refusal of an earlier claim is replaced by "
                                                  "this one's acceptance, but this month already holds an action for the "
                                                  "household (sent, or cancelled by the refusal): send the event again "
                                                  "next month, or the campaign will"});
            // The same foyer under another household identifier counts too.
            // Or the same persons numbered anew, by their keyed NIRs.
            const auto first_key = concerned.empty() ? key_of.end() : key_of.find(concerned.front());
            auto within_year = store.acted_within_year(config.id, period, household, concerned.empty() ? "" : concerned.front(),
                                                       0, "", first_key == key_of.end() ? "" : first_key->second);
            if (!within_year) return within_year.error();
            add_within_year(subject, *within_year, household, concerned, concerned_keys);
            const Receiving receiving = already_receiving(config.already_receiving, facts, [&](size_t p) {
              return outcome.foyer.empty() || outcome.foyer[p] != Membership::kOutside;
            });
            subject.already_receiving = receiving == Receiving::kYes;
            subject.receiving_unknown = receiving == Receiving::kUnknown;
            subject.foyer_unknown = foyer_unknown(outcome, batch, 0);
            subject.under_review = under_review;
            subject.legal_route = automatic_route_holds(program, outcome, row, engine.codes);
            for (size_t p = 0; p < batch.persons(); ++p) {
              if (!outcome.foyer.empty() && outcome.foyer[p] != Membership::kMember) continue;
              auto id = std::find_if(facts.persons.begin(), facts.persons.end(),
                                     [&](const PersonIdentity& i) { return i.person == batch.person_ids[p]; });
              subject.identity_unknown |= id == facts.persons.end() || !identifies(*id);
            }
            subject.outside_area = !served_by(rules.transmission_departements, engine.territory.get(), commune_of(engine, batch));
            if (!contact.postcode_elsewhere.empty()) {
              const AddressDoubt doubt = weigh_address_elsewhere(
                  contact.postcode_elsewhere, engine, *bound, batch, outcome, 0,
                  config.eligible == ActionKind::kGrant ? rules.transmission_departements : std::vector<std::string>{});
              subject.decided_otherwise_at_address = doubt.decided_otherwise;
              subject.outside_area |= doubt.outside_area;
              if (!config.claim.departements.empty() && engine.territory)
                claim_elsewhere = may_live_outside(config.claim.departements, engine,
                                                   engine.territory->communes_near_postcode(contact.postcode_elsewhere));
            }
            Targeting t = target(config, subject);
            // A refusal is transmitted too (CASF R262-104-1, R262-106 II), given
            // with the claim or after a request went: the paying body knows not
            // to open the right, or to close it. Once per period; only to a
            // body that would have had the request (its départements): another
            // has nothing to do with the person's identity.
            const bool withdrawing = std::find(withdrawn.begin(), withdrawn.end(), config.id) != withdrawn.end();
            // Where the request would have gone had they accepted (targeting.hpp).
            // The objection recorded is this refusal itself.
            SubjectFacts had_accepted = subject;
            had_accepted.objected = false;
            if (t.skip == Skip::kObjected && target(config, had_accepted).action == ActionKind::kGrant)
              for (const std::string& why : objections_holding) untold_grants.push_back({config.id, why});
            bool transmit_refusal = refusing && !withdrawing && refusal_transmitted(config, had_accepted);
            // Recorded, and not transmitted where the route holds: an agent
            // tells the paying body once the persons are known, or the one
            // that serves where the person lives.
            if (refusing && !withdrawing && !transmit_refusal && config.eligible == ActionKind::kGrant &&
                subject.legal_route) {
              const Skip why = subject.under_review       ? Skip::kUnderReview
                               : subject.identity_unknown ? Skip::kIdentityUnknown
                               : subject.incomplete       ? Skip::kIncompleteHousehold
                               : subject.outside_area     ? Skip::kOutsideArea
                                                          : Skip::kIncompleteHousehold;
              untold_grants.push_back({config.id, std::string("refusal recorded, not transmitted: ") + skip_reason(why) +
                                                      (why == Skip::kOutsideArea ? ": tell the paying body where the person lives"
                                                                                 : "")});
            }
            // Once per claim (R262-104-1: the choice is the claim's), keyed by
            // its month as a campaign keys the refusal the extracts record:
            // the two then send it once, whichever comes first.
            const std::string claim_period = choice_date.substr(0, 7);
            if (transmit_refusal) {
              auto sent = store.has_acted_on(config.id, household, claim_period, "refusal");
              if (!sent) return sent.error();
              transmit_refusal = !*sent;
            }
            // An event that does not date its claim may bring again the
            // refusal of one already transmitted; and a refusal transmitted
            // under an undated event's month may be this dated claim's: an
            // agent says which.
            if (transmit_refusal) {
              auto standing = store.refusal_standing(config.id, household, period);
              if (!standing) return standing.error();
              if (!standing->empty() && (!claim_dated || *standing > claim_period)) {
                transmit_refusal = false;
                untold_grants.push_back(
                    {config.id, "refusal recorded, not transmitted: a refusal of " + *standing +
                                    " was transmitted or is queued, with no request since" +
                                    (claim_dated ? ", and may be this claim's (if the event that brought it did not "
                                                   "date its claim): if it is another's, tell the paying body of this one"
                                                 : ", and the event does not date its claim: if it refuses another "
                                                   "claim, send it again with its claim_date")});
              }
            }
            // A request the route gives, withheld for want of data (whether
            // already covered, who is in the foyer, a member's identity, where
            // the person lives): the person accepted it with their claim, and
            // only an agent can complete the data, or send it to the body that
            // serves where they live. Told, whatever the person is told.
            const std::string withheld =
                config.eligible == ActionKind::kGrant && t.not_granted != Skip::kNone &&
                        t.not_granted != Skip::kNoLegalRoute
                    ? std::string("grant not transmitted (") + skip_reason(t.not_granted) + "): " +
                          (t.not_granted == Skip::kOutsideArea
                               ? "transmit it to the paying body where the person lives, or correct their address and "
                                 "send the event again"
                               : "complete the data and send the event again")
                    : "";
            if (t.skip != Skip::kNone && !transmit_refusal) {
              ++counts.skipped[skip_reason(t.skip)];
              if (!withheld.empty())
                untold_grants.push_back({config.id, withheld + "; the person, told of the right " +
                                                        (t.skip == Skip::kAlreadyActedOn ? "this month" : "within 12 months") +
                                                        ", is not told again"});
              continue;
            }
            StoredDecision d;
            d.program = program.id;
            d.subject = household;
            d.period = period;
            d.run_id = run_id;
            d.persons = concerned;
            d.person_keys = concerned_keys;
            d.outside = persons_outside(outcome, batch, 0);
            d.status = status_name(subject.status);
            if (program.entity == Entity::kHousehold) {
              append_decision(d.decision_json, household, nullptr, *bound, batch, outcome, 0, engine.codes, false);
            } else {
              for (size_t p = 0; p < batch.persons(); ++p)
                append_decision(d.decision_json, household, &batch.person_ids[p], *bound, batch, outcome, p, engine.codes, false);
            }
            while (!d.decision_json.empty() && d.decision_json.back() == '\n') d.decision_json.pop_back();
            if (outcome.explanations[row]) append_kept_explanation_json(d.explanation_json, *outcome.explanations[row]);
            auto hash = hashes.find(program.id);
            if (hash == hashes.end()) {
              auto h = program_hash(program);
              if (!h) return h.error();
              hash = hashes.emplace(program.id, *h).first;
            }
            d.program_hash = hash->second;
            d.evaluation_date = date_text;

            const bool grant = transmit_refusal || t.action == ActionKind::kGrant;
            // A notice needs a way to reach the person, and so does a grant:
            // they are told of the request, and may refuse it. A refusal goes.
            const std::string channel = reachable_channel(rules.channels, contact);
            if (channel.empty() && !transmit_refusal) {
              ++counts.skipped[unreachable_reason(contact, grant)];
              if (grant)
                untold_grants.push_back({config.id, unreachable_reason(contact, grant) +
                                                        ": give the person's contact details and send the event again"});
              else if (!withheld.empty())
                untold_grants.push_back({config.id, withheld + "; the person cannot be told of the right either (" +
                                                        unreachable_reason(contact, false) + ")"});
              continue;
            }
            std::string request_code;
            std::vector<PersonIdentity> members;
            if (grant) {
              Transmission tr;
              tr.code = request_code = new_verification_code();
              tr.household = household;
              tr.event = kind;
              tr.event_date = date_text;
              tr.refused = transmit_refusal;
              tr.choice_date = choice_date;
              tr.family_since = family_since;
              tr.decision_json = d.decision_json;  // without the explanation: the request carries the members' data
              for (size_t p = 0; p < batch.persons(); ++p) {
                if (!outcome.foyer.empty() && outcome.foyer[p] != Membership::kMember) continue;
                PersonIdentity member{batch.person_ids[p], "", "", "", "", "", ""};
                for (const auto& id : facts.persons)
                  if (id.person == batch.person_ids[p]) member = id;
                if (!member.nir.empty()) member.nir_source = "event " + kind;
                tr.members.push_back(std::move(member));
              }
              members = tr.members;
              family_situation(*bound->plan, engine.codes, batch, outcome, 0, tr);
              PlannedAction transmit;
              const std::string what = transmit_refusal ? "refusal" : "grant";
              transmit.key = {program.id, household, transmit_refusal ? claim_period : period, what};
              transmit.channel = "transmission";
              transmit.run_id = run_id;
              transmit.verification_code = tr.code;
              transmit.recipient = rules.delivery.transmission_to;
              transmit.message_json = transmission_json(rules, program, tr);
              if (!transmit_refusal && told_in_the_period(subject)) {
                transmit.replaces = kNoticesARequestReplaces;
                transmit.replaces_under = subject.told_this_period_under;
              }
              ++counts.planned[what + " by transmission"];
              actions.push_back(std::move(transmit));
            }
            const std::string notice = transmit_refusal ? "" : grant ? "grant_notice" : action_name(t.action);
            if (!notice.empty()) {
              if (t.not_granted != Skip::kNone) ++counts.told_not_granted[skip_reason(t.not_granted)];
              if (!withheld.empty()) untold_grants.push_back({config.id, withheld + "; the person is told of the right instead"});
              PlannedAction act;
              act.key = {program.id, household, period, notice};
              act.run_id = run_id;
              act.verification_code = new_verification_code();
              act.channel = channel;
              act.recipient = recipient_for(act.channel, contact);
              act.envelope = run_id + "|" + household + "|" + act.channel;
              CampaignProgram told = config;
              told.claim = claim_for(told.claim,
                                     (config.eligible == ActionKind::kGrant && subject.outside_area) || claim_elsewhere,
                                     engine.territory.get(), commune_of(engine, batch));
              act.message_json =
                  notice_json(rules, told, date_text, program, *bound, engine.codes, batch, outcome, row, notice, contact,
                              act.verification_code, request_code, members,
                              !config.already_receiving.empty() && receiving == Receiving::kNo
                                  ? std::vector<std::string>{batch.source}
                                  : std::vector<std::string>{},
                              nullptr, &persons_named, grant && told_in_the_period(subject));
              act.told = told_of(act.message_json);
              ++counts.planned[notice + " by " + act.channel];
              actions.push_back(std::move(act));
            }
            // A refusal is an objection: the decision it declines is not
            // kept (the objection keeps its persons, the transmission what it
            // carries), as `object` deletes those before it.
            if (!transmit_refusal) decisions.push_back(std::move(d));
          }
          // The event's decisions and actions together, or nothing.
          if (auto stored = store.store_plan(decisions, actions); !stored.ok()) return stored;
          for (const PlannedAction& a : actions) {
            if (a.key.action == "refusal") continue;
            auto listed = store.listed_in(a.key.program, a.key.subject, a.key.period);
            if (!listed) return listed.error();
            if (!listed->empty()) reached_listed.push_back({*listed, a.key.subject, a.key.program});
          }
          return {};
        });
        if (!decided.ok()) return decided.error();
        for (const auto& [program, earlier] : lifted_refusals)
          report.refusals_lifted.push_back(program + ": the refusal recorded for " + earlier + " with an earlier claim, "
                                           "replaced by the acceptance of the claim of " + choice_date + " (line " +
                                           std::to_string(report.lines) + ")");
        for (const auto& [program, why] : untold_grants) {
          report.untold_grants.push_back("line " + std::to_string(report.lines) + ": " + program + ": " + why);
          err << report.untold_grants.back() << "\n";
        }
        auto deleted = delete_objected_letters(store, refused_letters);
        if (!deleted) return deleted.error();
        const LettersDeleted& letters = *deleted;
        report.refusal_letters.deleted += letters.deleted;
        report.refusal_letters.left.insert(report.refusal_letters.left.end(), letters.left.begin(), letters.left.end());
        if (!letters.left.empty()) {
          err << "proactif: " << letters.left.size() << " letters to a household that refused could not be deleted "
              << "(permissions?): delete them by hand:";
          for (const std::string& file : letters.left) err << "\n  " << file;
          err << "\n";
        }
        const Unlisted unlisted = unlist_objected(refused_listed, program_title_from_file);
        const Unlisted reached = unlist_objected(reached_listed, program_title_from_file);
        report.unlisted.rights += unlisted.rights + reached.rights;
        report.reached_unlisted += reached.rights;
        for (const Unlisted* u : {&unlisted, &reached})
          report.unlisted.left.insert(report.unlisted.left.end(), u->left.begin(), u->left.end());
        if (!unlisted.left.empty()) {
          err << "proactif: lists for the social services naming a household that refused could not be written again "
              << "(permissions?): take it out by hand:";
          for (const std::string& file : unlisted.left) err << "\n  " << file;
          err << "\n";
        }
        if (!reached.left.empty()) {
          err << "proactif: lists for the social services naming a household this event acted on as not reached could "
              << "not be written again (permissions?): take it out by hand:";
          for (const std::string& file : reached.left) err << "\n  " << file;
          err << "\n";
        }
      } catch (const Failure& f) {
        refused(line, held, f.error.message);
      } catch (const simdjson::simdjson_error& e) {
        refused(line, held, e.what());
      }
    }
  }
  return report;
}

}  // namespace proactif
