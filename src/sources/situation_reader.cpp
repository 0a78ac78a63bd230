#include "sources/situation_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/hidden_characters.hpp"

namespace proactif {

namespace {

Failure bad_field(std::string message) { return {Error(ErrorKind::kInput, std::move(message))}; }

std::string allowed_list(const InputSlot& slot, const CodeTable& codes) {
  std::string list;
  for (int32_t id : slot.allowed) list += (list.empty() ? "" : ", ") + codes.name(id);
  return list;
}

}  // namespace

SituationReader::SituationReader(const InputSchema& schema, const CodeTable& codes) : schema_(schema), codes_(codes) {
  for (size_t s = 0; s < schema.slots.size(); ++s) {
    const InputSlot& slot = schema.slots[s];
    if (slot.entity != Entity::kPerson || slot.name != "role" || slot.type != Type::kCode) continue;
    auto applicant = codes.find("applicant"), spouse = codes.find("spouse");
    if (!applicant || !spouse) continue;
    role_slot_ = static_cast<int>(s);
    applicant_ = *applicant;
    spouse_ = *spouse;
  }
}

void SituationReader::check_roles(const Batch& batch, size_t first_person) const {
  if (role_slot_ < 0) return;
  const auto& role = batch.inputs[static_cast<size_t>(role_slot_)].value;
  size_t applicants = 0, spouses = 0, unknown = 0;
  // A second applicant or spouse would make another household's foyer, or
  // a couple of three; none, a household without the person it is about.
  // The second is named, so that a form marks its field.
  for (size_t p = first_person; p < batch.person_ids.size(); ++p) {
    if (role[p] == applicant_ && ++applicants > 1)
      throw bad_field("persons." + batch.person_ids[p] + ".role: a second person with the role applicant (a household has one)");
    if (role[p] == spouse_ && ++spouses > 1)
      throw bad_field("persons." + batch.person_ids[p] + ".role: a second person with the role spouse (an applicant has at most one)");
    unknown += std::isnan(role[p]);
  }
  if (applicants == 0 && unknown == 0) throw bad_field("persons: no person has the role applicant (a household has one)");
}

void SituationReader::reset(Batch& batch) const {
  batch.person_offsets.assign(1, 0);
  batch.household_ids.clear();
  batch.person_ids.clear();
  batch.inputs.assign(schema_.slots.size(), Column{});
}

void SituationReader::read_object(simdjson::ondemand::object obj, Entity entity, Batch& batch, size_t row,
                                  const std::string& where) {
  using namespace simdjson;
  const size_t keys_before = keys_.size();
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    // A key given twice would leave the value to the reader's order.
    for (size_t k = keys_before; k < keys_.size(); ++k)
      if (keys_[k] == key) throw bad_field(where + std::string(key) + ": given twice");
    keys_.push_back(key);
    const InputSlot* slot = nullptr;
    size_t s = 0;
    for (; s < schema_.slots.size(); ++s)
      if (schema_.slots[s].entity == entity && schema_.slots[s].name == key) {
        slot = &schema_.slots[s];
        break;
      }
    if (!slot) continue;  // not read by any program: never stored
    ondemand::value v = field.value();
    Column& col = batch.inputs[s];
    std::string name = where + std::string(key);
    if (v.is_null()) continue;  // unknown
    double out = 0;
    switch (slot->type) {
      case Type::kBool: {
        if (v.type() != ondemand::json_type::boolean) throw bad_field(name + ": expected true, false or null");
        out = bool(v.get_bool()) ? 1 : 0;
        break;
      }
      case Type::kNumber: {
        if (v.type() != ondemand::json_type::number) throw bad_field(name + ": expected a number or null");
        out = double(v.get_double());
        if (std::string fault = domain_fault(out, slot->value_domain); !fault.empty())
          throw bad_field(name + ": " + fault);
        break;
      }
      case Type::kDate: {
        if (v.type() != ondemand::json_type::string) throw bad_field(name + ": expected a date \"YYYY-MM-DD\"");
        std::string_view text = v.get_string();
        auto d = parse_iso_date(text);
        if (!d) throw bad_field(name + ": " + quoted_value(text) + " is not a valid date (YYYY-MM-DD)");
        out = *d;
        // Checked now when the situation's date is known (it usually comes
        // first), else once it is.
        if (window_) {
          if (!window_->holds(*d)) throw bad_field(name + ": " + window_->fault(*d));
        } else {
          dates_.emplace_back(name, *d);
        }
        break;
      }
      case Type::kCodeList: {
        if (v.type() != ondemand::json_type::array) throw bad_field(name + ": expected a list of codes [\"...\"] or null");
        uint64_t bits = 0;
        for (ondemand::value item : v.get_array()) {
          std::string_view text;
          if (item.type() != ondemand::json_type::string || item.get_string().get(text) != SUCCESS)
            throw bad_field(name + ": expected codes in quotes in the list");
          auto id = codes_.find(text);
          double bit = id ? code_bit(*slot, *id) : 0;
          if (bit == 0) throw bad_field(name + ": " + quoted_value(text) + " is not one of " + allowed_list(*slot, codes_));
          bits |= static_cast<uint64_t>(bit);
        }
        out = static_cast<double>(bits);
        break;
      }
      default: {
        std::string_view text;
        std::string number_text;
        if (v.type() == ondemand::json_type::string) {
          text = v.get_string();
        } else if (v.type() == ondemand::json_type::number) {
          // scholarship echelons are sometimes sent as numbers: 3 means "3"
          number_text = std::string(v.raw_json_token());
          while (!number_text.empty() && number_text.back() == ' ') number_text.pop_back();
          text = number_text;
        } else {
          throw bad_field(name + ": expected a code in quotes or null");
        }
        auto id = codes_.find(text);
        bool ok = id.has_value();
        if (ok && slot->domain == CodeDomain::kListed)
          ok = std::binary_search(slot->allowed.begin(), slot->allowed.end(), *id);
        if (!ok) {
          if (slot->domain == CodeDomain::kCommune)
            throw bad_field(name + ": " + quoted_value(text) + " is not a commune code of the INSEE COG");
          throw bad_field(name + ": " + quoted_value(text) + " is not one of " + allowed_list(*slot, codes_));
        }
        out = *id;
      }
    }
    col.value[row] = out;
  }
}

bool SituationReader::new_person_id(std::string_view id) {
  // A few persons: a scan is fastest; a line of thousands: a hash set, so
  // that the check stays linear.
  if (!many_person_ids_.empty() || person_ids_.size() >= 32) {
    if (many_person_ids_.empty()) many_person_ids_.insert(person_ids_.begin(), person_ids_.end());
    return many_person_ids_.insert(id).second;
  }
  for (std::string_view seen : person_ids_)
    if (seen == id) return false;
  person_ids_.push_back(id);
  return true;
}

std::optional<std::string> SituationReader::append(std::string_view line, size_t capacity, Batch& batch,
                                                   std::optional<Days> date_override, Days& date) {
  using namespace simdjson;
  const size_t households = batch.households();
  const size_t persons = batch.persons();
  auto grow = [&](Entity e, size_t rows) {
    for (size_t s = 0; s < schema_.slots.size(); ++s) {
      if (schema_.slots[s].entity != e) continue;
      batch.inputs[s].value.resize(rows, kUnknown);
    }
  };
  auto rollback = [&] {
    grow(Entity::kHousehold, households);
    grow(Entity::kPerson, persons);
    batch.household_ids.resize(households);
    batch.person_ids.resize(persons);
  };
  try {
    ondemand::document doc = parser_.iterate(line.data(), line.size(), capacity);
    ondemand::object root = doc.get_object();
    keys_.clear();
    top_keys_.clear();
    dates_.clear();
    person_ids_.clear();
    many_person_ids_.clear();
    window_.reset();
    if (date_override) window_ = date_window(*date_override);
    std::string id;
    std::optional<Days> own_date;
    bool has_household = false, has_persons = false;
    grow(Entity::kHousehold, households + 1);
    for (auto field : root) {
      std::string_view key = field.unescaped_key();
      for (std::string_view seen : top_keys_)
        if (seen == key) throw bad_field(std::string(key) + ": given twice");
      top_keys_.push_back(key);
      if (key == "id") {
        ondemand::value v = field.value();
        if (v.type() != ondemand::json_type::string) throw bad_field("id: expected a string");
        id = std::string(std::string_view(v.get_string()));
        if (id.empty()) throw bad_field("id: empty");
      } else if (key == "date") {
        ondemand::value v = field.value();
        std::string_view text;
        if (v.is_null()) continue;  // null is absent (CONTRACT.md): --date may give it
        if (v.type() != ondemand::json_type::string) throw bad_field("date: expected \"YYYY-MM-DD\"");
        text = v.get_string();
        own_date = parse_iso_date(text);
        if (!own_date) throw bad_field("date: " + quoted_value(text) + " is not a valid date (YYYY-MM-DD)");
        if (!date_override) window_ = date_window(*own_date);
      } else if (key == "household") {
        ondemand::value v = field.value();
        if (v.type() != ondemand::json_type::object) throw bad_field("household: expected an object");
        read_object(v.get_object(), Entity::kHousehold, batch, households, "household.");
        has_household = true;
      } else if (key == "persons") {
        ondemand::value v = field.value();
        if (v.type() != ondemand::json_type::array) throw bad_field("persons: expected an array");
        size_t index = 0;
        for (ondemand::value pv : v.get_array()) {
          if (pv.type() != ondemand::json_type::object)
            throw bad_field("persons[" + std::to_string(index) + "]: expected an object");
          size_t row = batch.person_ids.size();
          grow(Entity::kPerson, row + 1);
          batch.person_ids.emplace_back();
          // The person's id may come after its fields: read it first.
          ondemand::object po = pv.get_object();
          std::string_view pid;
          if (po["id"].get_string().get(pid) != SUCCESS)
            throw bad_field("persons[" + std::to_string(index) + "].id: expected a string");
          if (pid.empty()) throw bad_field("persons[" + std::to_string(index) + "].id: empty");
          if (!new_person_id(pid)) throw bad_field("persons: two persons have the id " + quoted_value(pid));
          batch.person_ids.back() = std::string(pid);
          po.reset();
          read_object(po, Entity::kPerson, batch, row, "persons." + std::string(pid) + ".");
          ++index;
        }
        has_persons = true;
      }
    }
    if (id.empty()) throw bad_field("id: missing");
    if (!has_household) throw bad_field("household: missing");
    if (!has_persons || batch.person_ids.size() == persons) throw bad_field("persons: missing or empty");
    check_roles(batch, persons);
    if (!own_date && !date_override) throw bad_field("date: missing (or give --date)");
    date = date_override ? *date_override : *own_date;
    const DateWindow window = date_window(date);
    for (const auto& [name, value] : dates_)
      if (!window.holds(value)) throw bad_field(name + ": " + window.fault(value));
    // One situation per line: anything after its object is refused, not ignored.
    const char* rest = nullptr;
    if (doc.current_location().get(rest) == SUCCESS) throw bad_field("text after the situation's object on the same line");
    batch.household_ids.push_back(std::move(id));
    batch.person_offsets.push_back(static_cast<uint32_t>(batch.person_ids.size()));
    return std::nullopt;
  } catch (const Failure& f) {
    rollback();
    return f.error.message;
  } catch (const simdjson_error& e) {
    rollback();
    return std::string("not valid JSON: ") + error_message(e.error());
  }
}

}  // namespace proactif
