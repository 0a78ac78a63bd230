#include "campaign/store_facts.hpp"

#include "campaign/person_key.hpp"

namespace proactif {

bool objected_among(const std::unordered_set<std::string>& objectors, const std::string& subject,
                    const std::vector<std::string>& concerned, const std::vector<std::string>& keys) {
  if (objectors.count(subject)) return true;
  for (const std::string& person : concerned)
    if (objectors.count(person)) return true;
  for (const std::string& entry : keys)
    if (objectors.count(entry_key(entry))) return true;
  return false;
}

void add_within_year(SubjectFacts& facts, const Store::ActedWithinYear& year, const std::string& subject,
                     const std::vector<std::string>& concerned, const std::vector<std::string>& keys) {
  const std::string foyer = foyer_key(concerned), keyed = keyed_foyer_key(concerned, keys);
  auto same_foyer_acted_on = [&](const Store::ActedWithinYear::Foyers& foyers) {
    return Store::ActedWithinYear::foyer_acted_on(foyers, foyer, subject) ||
           Store::ActedWithinYear::foyer_acted_on(foyers, keyed, subject);
  };
  auto within = [&](const auto& subjects, const auto& foyers) {
    return subjects.count(subject) > 0 || same_foyer_acted_on(foyers);
  };
  facts.already_requested |= year.requested_whole(subject, concerned) || same_foyer_acted_on(year.requested_foyers);
  facts.told_of_right |= within(year.told_of_right, year.told_of_right_foyers);
  facts.told_of_possible |= within(year.told_of_possible, year.told_of_possible_foyers);
  for (const auto* foyers : {&year.told_of_right_foyers, &year.told_of_possible_foyers})
    for (const std::string* key : {&foyer, &keyed})
      Store::ActedWithinYear::add_subjects_of_the_period(*foyers, *key, subject, facts.told_this_period_under);
}

}  // namespace proactif
