#include "identity/insured_dependants.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace proactif {

std::vector<UnlistedDependant> unlisted_dependants(const std::vector<IdentityRecord>& records,
                                                   const std::vector<IdentityRecord>& rejected,
                                                   const LinkageResult& linkage, uint64_t grouping_sources,
                                                   size_t* unresolved) {
  std::vector<UnlistedDependant> out;
  size_t named_nobody = 0;
  auto names_insured = [](const IdentityRecord& r) { return r.insured_nir != IdentityRecord::kNone; };
  if (std::none_of(records.begin(), records.end(), names_insured) &&
      std::none_of(rejected.begin(), rejected.end(), names_insured))
    return out;
  std::vector<uint8_t> placed(linkage.persons, 0);
  for (size_t i = 0; i < records.size(); ++i)
    if (grouping_sources >> (records[i].source % 64) & 1) placed[linkage.person[i]] = 1;
  std::unordered_multimap<uint32_t, uint32_t> persons_of_nir;  // NIR -> placed persons whose records carry it
  for (size_t i = 0; i < records.size(); ++i) {
    const uint32_t person = linkage.person[i];
    if (records[i].nir == IdentityRecord::kNone || !placed[person]) continue;
    auto [first, last] = persons_of_nir.equal_range(records[i].nir);
    if (std::none_of(first, last, [&](const auto& entry) { return entry.second == person; }))
      persons_of_nir.emplace(records[i].nir, person);
  }
  std::unordered_set<uint64_t> named;  // (insured, dependant): a dependant's second record says it again
  for (size_t i = 0; i < records.size(); ++i) {
    const IdentityRecord& r = records[i];
    const uint32_t dependant = linkage.person[i];
    if (!names_insured(r) || placed[dependant]) continue;
    auto [first, last] = persons_of_nir.equal_range(r.insured_nir);
    named_nobody += first == last;
    for (auto it = first; it != last; ++it)
      if (it->second != dependant && named.insert(uint64_t{it->second} << 32 | dependant).second)
        out.push_back({it->second, static_cast<uint32_t>(i), false});
  }
  for (size_t i = 0; i < rejected.size(); ++i) {
    if (!names_insured(rejected[i])) continue;
    auto [first, last] = persons_of_nir.equal_range(rejected[i].insured_nir);
    named_nobody += first == last;
    for (auto it = first; it != last; ++it) out.push_back({it->second, static_cast<uint32_t>(i), true});
  }
  if (unresolved) *unresolved = named_nobody;
  return out;
}

}  // namespace proactif
