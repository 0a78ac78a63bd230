#include "identity/unhoused_rows.hpp"

#include <algorithm>
#include <unordered_map>

#include "identity/normalise.hpp"

namespace proactif {

std::vector<std::vector<uint32_t>> persons_of_its_name(const std::vector<UnhousedRow>& rows,
                                                       const std::vector<IdentityRecord>& records,
                                                       const StringPool& texts, const LinkageResult& linkage) {
  std::vector<std::vector<uint32_t>> out(rows.size());
  if (rows.empty()) return out;
  // The records of the rows' extracts by family name: one pass over them,
  // whatever the number of rows.
  std::vector<uint32_t> sources;
  for (const UnhousedRow& row : rows) sources.push_back(row.who.source);
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  auto key = [](uint32_t source, uint32_t name) { return uint64_t{source} << 32 | name; };
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_name;  // (source, family name) -> records
  for (uint32_t r = 0; r < records.size(); ++r) {
    if (!std::binary_search(sources.begin(), sources.end(), records[r].source)) continue;
    for (uint32_t name : records[r].family_names)
      if (name != IdentityRecord::kNone) by_name[key(records[r].source, name)].push_back(r);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const IdentityRecord& who = rows[i].who;
    std::vector<uint32_t> names;
    for (uint32_t name : who.family_names)
      if (name != IdentityRecord::kNone) names.push_back(name);
    if (names.empty() && !rows[i].unread_family_names.empty()) {
      std::vector<std::string> keys;
      for (size_t from = 0; from < rows[i].unread_family_names.size();) {
        const size_t end = rows[i].unread_family_names.find('\n', from);
        std::string k = family_name_key(std::string_view(rows[i].unread_family_names).substr(from, end - from));
        if (k.size() >= 3) keys.push_back(std::move(k));
        from = end == std::string::npos ? end : end + 1;
      }
      for (const auto& [k, found] : by_name)
        if (k >> 32 == who.source &&
            std::find(keys.begin(), keys.end(), texts.at(static_cast<uint32_t>(k))) != keys.end())
          names.push_back(static_cast<uint32_t>(k));
    }
    std::vector<uint32_t>& persons = out[i];
    for (uint32_t name : names) {
      auto found = by_name.find(key(who.source, name));
      if (found == by_name.end()) continue;
      for (uint32_t r : found->second) {
        const uint32_t commune = records[r].commune;
        if (who.commune != IdentityRecord::kNone && commune != IdentityRecord::kNone && commune != who.commune) continue;
        persons.push_back(linkage.person[r]);
      }
    }
    std::sort(persons.begin(), persons.end());
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  }
  return out;
}

}  // namespace proactif
