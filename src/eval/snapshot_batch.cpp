#include "eval/snapshot_batch.hpp"

#include <algorithm>
#include <cmath>

#include "core/api_particulier_data.hpp"
#include "core/value_domain.hpp"

namespace proactif {

namespace {

// Why a number is outside the slot's domain; empty when it is inside.
std::string outside_domain(const InputSlot& slot, double value, const DateWindow& dates) {
  switch (slot.type) {
    case Type::kBool: return value == 0 || value == 1 ? "" : "not true or false";
    case Type::kDate:
      if (value != std::floor(value)) return "not a date";
      return dates.fault(static_cast<Days>(value));
    case Type::kNumber: return domain_fault(value, slot.value_domain);
    default: return "";
  }
}

// "aah,aspa" (codes separated by commas, as extracts' lists are kept) as the
// slot's bits; a code the slot does not list makes the list unknown.
double code_list_bits(const InputSlot& slot, const CodeTable& codes, std::string_view text, size_t& unknown_codes) {
  uint64_t bits = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view code = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto id = codes.find(code);
    double bit = id ? code_bit(slot, *id) : 0;
    if (bit == 0) {
      ++unknown_codes;
      return kUnknown;
    }
    bits |= static_cast<uint64_t>(bit);
  }
  return static_cast<double>(bits);
}

}  // namespace

std::string SnapshotReading::summary() const {
  std::string out;
  if (unknown_codes)
    out += std::to_string(unknown_codes) + " values were codes the programs do not know; read as unknown";
  if (out_of_domain)
    out += std::string(out.empty() ? "" : "; ") + std::to_string(out_of_domain) +
           " values were outside their domain, read as unknown (the first: " + first_out_of_domain + ")";
  return out;
}

Batch batch_of_snapshot(const Snapshot& snap, const Engine& engine, Days date, SnapshotReading& reading) {
  size_t& unknown_codes = reading.unknown_codes;
  const DateWindow dates = date_window(date);
  Batch b;
  b.person_offsets = snap.person_offsets;
  b.under_review = snap.under_review;
  for (uint32_t id : snap.household_ids) b.household_ids.emplace_back(snap.strings.at(id));
  for (uint32_t id : snap.person_ids) b.person_ids.emplace_back(snap.strings.at(id));
  for (size_t i = 0; i < snap.incomplete_households.size(); ++i)
    b.incomplete.emplace_back(snap.incomplete_households[i], std::string(snap.strings.at(snap.incomplete_reasons[i])));
  b.source = "population snapshot";
  for (const auto& s : snap.sources) {
    auto on = parse_iso_date(s.extracted_on);
    b.origin_sources.push_back(s.source);
    if (!s.route.empty()) {
      b.origin_labels.push_back(fetched_from(s.source, s.route, s.extracted_on));
      b.origin_titles.push_back(s.source + " (par API Particulier" + (on ? ", " + format_french_date(*on) : "") + ")");
      continue;
    }
    b.origin_labels.push_back(s.source + ", extrait « " + s.extract + " » du " + s.extracted_on + " (" + s.file + ")");
    b.origin_titles.push_back(s.source + " (" + s.extract + (on ? ", " + format_french_date(*on) : "") + ")");
  }
  for (const InputSlot& slot : engine.schema.slots) {
    bool per_person = slot.entity == Entity::kPerson;
    Column col;
    col.value.assign(per_person ? snap.persons() : snap.households(), kUnknown);
    std::vector<ValueOrigin> origins(col.value.size());
    if (const SnapshotColumn* c = snap.column(slot.name, per_person)) {
      for (size_t i = 0; i < origins.size(); ++i) origins[i] = {c->source[i], false, c->line[i]};
      for (size_t i = 0; i < col.value.size(); ++i) {
        if (!c->text) {
          const double value = c->number[i];
          if (value != value) continue;
          if (std::string fault = outside_domain(slot, value, dates); !fault.empty()) {
            if (!reading.out_of_domain++) {
              const uint8_t from = c->source[i];
              reading.first_out_of_domain =
                  (from < snap.sources.size() ? snap.sources[from].file + " line " + std::to_string(c->line[i]) + ", "
                                              : std::string()) + slot.name + ": " + fault;
            }
            continue;
          }
          col.value[i] = value;
          continue;
        }
        if (c->string[i] == UINT32_MAX) continue;
        if (slot.type == Type::kCodeList) {
          col.value[i] = code_list_bits(slot, engine.codes, snap.strings.at(c->string[i]), unknown_codes);
          continue;
        }
        auto id = engine.codes.find(snap.strings.at(c->string[i]));
        bool allowed = id && (slot.domain != CodeDomain::kListed ||
                              std::binary_search(slot.allowed.begin(), slot.allowed.end(), *id));
        if (allowed) col.value[i] = *id;
        else ++unknown_codes;
      }
    }
    b.inputs.push_back(std::move(col));
    b.origins.push_back(std::move(origins));
    b.own_foyer_inputs.emplace_back();
    b.own_foyer_origins.emplace_back();
    const SnapshotColumn* alone = per_person ? nullptr : snap.own_foyer_column(slot.name);
    if (!alone || (slot.type != Type::kBool && slot.type != Type::kNumber)) continue;
    Column& values = b.own_foyer_inputs.back();
    values.value.assign(snap.persons(), kUnknown);
    for (size_t p = 0; p < snap.persons(); ++p)
      if (outside_domain(slot, alone->number[p], dates).empty()) values.value[p] = alone->number[p];
    for (size_t p = 0; p < snap.persons(); ++p) b.own_foyer_origins.back().push_back({alone->source[p], true, alone->line[p]});
  }
  return b;
}

}  // namespace proactif
