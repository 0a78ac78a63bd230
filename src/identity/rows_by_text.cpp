#include "identity/rows_by_text.hpp"

#include <algorithm>
#include <cstdio>

#include "core/date.hpp"
#include "identity/normalise.hpp"

namespace proactif {

namespace {

// Names shorter than this are found in too many texts by chance.
constexpr size_t kShortest = 3, kLongest = 40;

// A birth date as extracts write it, with or without separators.
std::vector<std::string> date_forms(Days day) {
  const CivilDate d = civil_from_days(day);
  char iso[16], french[16], compact[16], compact_french[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.year, d.month, d.day);
  std::snprintf(french, sizeof french, "%02d/%02d/%04d", d.day, d.month, d.year);
  std::snprintf(compact, sizeof compact, "%04d%02d%02d", d.year, d.month, d.day);
  std::snprintf(compact_french, sizeof compact_french, "%02d%02d%04d", d.day, d.month, d.year);
  return {iso, french, compact, compact_french};
}

}  // namespace

RowsByText::RowsByText(const std::vector<IdentityRecord>& records, const StringPool& texts, const LinkageResult& linkage)
    : records_(records), texts_(texts), linkage_(linkage), sources_(linkage.persons, 0) {
  for (uint32_t r = 0; r < records.size(); ++r) sources_[linkage.person[r]] |= uint64_t{1} << (records[r].source % 64);
  for (uint32_t r = 0; r < records.size(); ++r)
    for (uint32_t name : records[r].family_names)
      if (name != IdentityRecord::kNone) {
        const std::string_view key = texts.at(name);
        if (key.size() >= kShortest && key.size() <= kLongest) by_family_name_[key].push_back(r);
      }
}

std::vector<uint32_t> RowsByText::persons_named_in(std::string_view text, uint32_t source) const {
  std::string letters = fold_name(text);
  std::erase(letters, ' ');
  std::vector<uint32_t> candidates;
  for (size_t from = 0; from < letters.size(); ++from)
    for (size_t length = kShortest; length <= kLongest && from + length <= letters.size(); ++length)
      if (auto found = by_family_name_.find(std::string_view(letters).substr(from, length)); found != by_family_name_.end())
        candidates.insert(candidates.end(), found->second.begin(), found->second.end());
  std::vector<uint32_t> persons;
  for (uint32_t r : candidates) {
    const IdentityRecord& record = records_[r];
    bool named = false;
    for (uint32_t first : record.first_names)
      named |= first != IdentityRecord::kNone && texts_.at(first).size() >= kShortest &&
               letters.find(texts_.at(first)) != std::string::npos;
    if (record.has_birth)
      for (const std::string& form : date_forms(record.birth)) named |= text.find(form) != std::string_view::npos;
    if (named) persons.push_back(linkage_.person[r]);
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  // Not one the row's extract lists: that person's row was not set aside.
  std::erase_if(persons, [&](uint32_t p) { return (sources_[p] >> (source % 64)) & 1; });
  return persons;
}

}  // namespace proactif
