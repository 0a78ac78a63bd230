#include "identity/rows_by_text.hpp"

#include <algorithm>
#include <cctype>

#include "core/date.hpp"
#include "identity/normalise.hpp"

namespace proactif {

namespace {

// Names shorter than this are found in too many texts by chance; a row's
// text is read this far (a person's row is a few hundred bytes).
constexpr size_t kShortest = 3, kLongest = 40, kLongestText = 2048;

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}
int number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// The dates a text holds as extracts write them: 1980-06-05, 05/06/1980,
// and eight digits run together either way (19800605, 05061980).
std::vector<Days> dates_in(std::string_view text) {
  std::vector<Days> found;
  auto add = [&](int year, int month, int day) {
    if (year < 1850 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return;
    const Days d = days_from_civil({year, month, day});
    if (civil_from_days(d).day == day) found.push_back(d);
  };
  for (size_t at = 0; at + 8 <= text.size(); ++at) {
    const std::string_view s = text.substr(at, std::min<size_t>(10, text.size() - at));
    if (s.size() == 10 && digits(s.substr(0, 4)) && s[4] == '-' && digits(s.substr(5, 2)) && s[7] == '-' && digits(s.substr(8, 2)))
      add(number(s.substr(0, 4)), number(s.substr(5, 2)), number(s.substr(8, 2)));
    if (s.size() == 10 && digits(s.substr(0, 2)) && s[2] == '/' && digits(s.substr(3, 2)) && s[5] == '/' && digits(s.substr(6, 4)))
      add(number(s.substr(6, 4)), number(s.substr(3, 2)), number(s.substr(0, 2)));
    if (digits(s.substr(0, 8))) {
      add(number(s.substr(0, 4)), number(s.substr(4, 2)), number(s.substr(6, 2)));
      add(number(s.substr(4, 4)), number(s.substr(2, 2)), number(s.substr(0, 2)));
    }
  }
  std::sort(found.begin(), found.end());
  return found;
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
  text = text.substr(0, kLongestText);
  std::string letters = fold_name(text);
  std::erase(letters, ' ');
  const std::vector<Days> dates = dates_in(text);
  std::vector<uint32_t> persons;
  for (size_t from = 0; from < letters.size(); ++from)
    for (size_t length = kShortest; length <= kLongest && from + length <= letters.size(); ++length) {
      const std::string_view name = std::string_view(letters).substr(from, length);
      auto found = by_family_name_.find(name);
      if (found == by_family_name_.end()) continue;
      for (uint32_t r : found->second) {
        // The family name with the birth date anywhere in the row, or
        // with a first name right before or after it ("BERNETSIXTE"): a
        // first name elsewhere in the row (a street's) says nothing.
        const IdentityRecord& record = records_[r];
        bool named = record.has_birth && std::binary_search(dates.begin(), dates.end(), record.birth);
        for (uint32_t first : record.first_names) {
          if (named || first == IdentityRecord::kNone) continue;
          std::string key(texts_.at(first));
          std::erase(key, ' ');  // a compound first name, as the row's letters are read
          if (key.size() < kShortest) continue;
          const std::string_view after = std::string_view(letters).substr(from + length);
          const std::string_view before = std::string_view(letters).substr(0, from);
          named = after.starts_with(key) || before.ends_with(key);
        }
        if (named) persons.push_back(linkage_.person[r]);
      }
    }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  // Not one the row's extract lists: that person's row was not set aside.
  std::erase_if(persons, [&](uint32_t p) { return (sources_[p] >> (source % 64)) & 1; });
  return persons;
}

}  // namespace proactif
