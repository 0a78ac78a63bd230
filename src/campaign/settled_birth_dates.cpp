#include "campaign/settled_birth_dates.hpp"

#include <cmath>
#include <string_view>
#include <unordered_map>

#include "core/date.hpp"

namespace proactif {

void take_settled_birth_dates(const Snapshot& snapshot,
                              std::unordered_map<std::string, std::vector<PersonIdentity>>& identities) {
  const SnapshotColumn* birth = snapshot.column("birth_date", true);
  if (!birth || identities.empty()) return;
  std::unordered_map<std::string_view, std::vector<PersonIdentity*>> wanted;
  for (auto& [household, persons] : identities)
    for (PersonIdentity& p : persons) wanted[p.person].push_back(&p);
  for (size_t i = 0; i < snapshot.persons(); ++i) {
    auto at = wanted.find(snapshot.strings.at(snapshot.person_ids[i]));
    if (at == wanted.end()) continue;
    const double day = birth->number[i];
    for (PersonIdentity* p : at->second) p->birth_date = std::isnan(day) ? std::string() : format_iso_date(static_cast<Days>(day));
  }
}

}  // namespace proactif
