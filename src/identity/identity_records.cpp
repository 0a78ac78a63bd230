#include "identity/identity_records.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "identity/normalise.hpp"

namespace proactif {

bool identity_variable(const std::string& variable) {
  static const char* const kTraits[] = {"nir", "ine", "birth_name", "usage_name", "first_names", "birth_date", "sex",
                                        "birth_place", "insured_nir"};
  return std::find(std::begin(kTraits), std::end(kTraits), variable) != std::end(kTraits);
}

IdentityReader::IdentityReader(const SourceMapping& m, uint32_t source) : source_(source), person_rows_(!m.person_id.empty()) {
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const std::string& v = m.columns[i].variable;
    int at = static_cast<int>(i);
    if (v == "nir") nir_ = at;
    else if (v == "ine") ine_ = at;
    else if (v == "birth_name") birth_name_ = at;
    else if (v == "usage_name") usage_name_ = at;
    else if (v == "first_names") first_names_ = at;
    else if (v == "birth_date") birth_date_ = at;
    else if (v == "sex") sex_ = at;
    else if (v == "birth_place") birth_place_ = at;
    else if (v == "commune") commune_ = at;
    else if (v == "insured_nir") insured_nir_ = at;
  }
}

IdentityRecord IdentityReader::read(const ExtractRow& row, StringPool& strings) const {
  IdentityRecord r;
  r.source = source_;
  auto value = [&](int at) -> const FieldValue* {
    return at >= 0 && row.values[static_cast<size_t>(at)].known ? &row.values[static_cast<size_t>(at)] : nullptr;
  };
  if (auto v = value(nir_)) r.nir = strings.intern("nir:" + v->text);
  if (auto v = value(insured_nir_)) r.insured_nir = strings.intern("nir:" + v->text);
  if (auto v = value(ine_)) r.ine = strings.intern("ine:" + v->text);
  size_t family = 0;
  for (int at : {birth_name_, usage_name_})
    if (auto v = value(at)) {
      std::string key = family_name_key(v->text);
      if (key.empty()) continue;
      uint32_t id = strings.intern(key);
      if (family == 0 || r.family_names[0] != id) r.family_names[family++] = id;
    }
  if (auto v = value(first_names_)) {
    size_t i = 0;
    for (const auto& name : first_name_keys(v->text))
      if (i < 3) r.first_names[i++] = strings.intern(name);
  }
  if (auto v = value(birth_date_)) {
    r.birth = static_cast<Days>(v->number);
    r.has_birth = true;
  }
  if (auto v = value(sex_)) r.sex = v->text == "M" ? 'M' : v->text == "F" ? 'F' : 0;
  if (auto v = value(birth_place_)) r.birth_place = strings.intern(v->text);
  if (auto v = value(nir_); v && v->text.size() >= 10) {
    // The NIR says what an extract without those columns does not: the sex
    // (first digit: odd for men, even for women) and the place of birth
    // (digits 6 to 10: the commune's INSEE code, or 99 and the country).
    if (!r.sex) r.sex = (v->text[0] - '0') % 2 ? 'M' : 'F';
    if (r.birth_place == IdentityRecord::kNone) r.birth_place = strings.intern(v->text.substr(5, 5));
  }
  if (auto v = value(commune_)) r.commune = strings.intern(v->text);
  return r;
}

LinkageQuality linkage_quality(const std::vector<std::string>& keys, const LinkageResult& linkage,
                               const std::unordered_map<std::string, uint64_t>& truth) {
  LinkageQuality q;
  auto pairs = [](size_t k) { return k * (k - 1) / 2; };
  std::unordered_map<uint64_t, size_t> per_true_person;
  std::unordered_map<uint32_t, std::unordered_map<uint64_t, size_t>> per_linked_person;
  std::unordered_map<uint32_t, size_t> linked_size;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto it = truth.find(keys[i]);
    if (it == truth.end()) {
      ++q.records_not_in_truth;
      continue;
    }
    ++q.records_in_truth;
    ++per_true_person[it->second];
    ++per_linked_person[linkage.person[i]][it->second];
    ++linked_size[linkage.person[i]];
  }
  for (const auto& [person, count] : per_true_person) q.true_pairs += pairs(count);
  for (const auto& [person, size] : linked_size) q.linked_pairs += pairs(size);
  for (const auto& [person, by_truth] : per_linked_person)
    for (const auto& [truth_person, count] : by_truth) q.correct_pairs += pairs(count);
  return q;
}

}  // namespace proactif
