// What the store's records say of a subject (a household, or a person who
// forms a foyer of their own) that keeps a campaign or an event from acting
// on it: an objection, a request or a notice within the year. Found by the
// subject's identifier, by its foyer's persons (the same foyer under another
// case number) and by their keyed NIRs (the persons numbered anew:
// person_key.hpp). Written once for a campaign's planning, its asks of API
// Particulier and events, so that none of them acts on, or asks about, a
// subject another would skip.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "campaign/targeting.hpp"
#include "store/store.hpp"

namespace proactif {

// Whether `subject`, one of its foyer's persons (`concerned`) or one of
// their keyed NIRs (`keys`: "id=key", keyed_entries) is among `objectors`.
bool objected_among(const std::unordered_set<std::string>& objectors, const std::string& subject,
                    const std::vector<std::string>& concerned, const std::vector<std::string>& keys);

// Adds to `facts` what `year` says of the subject: a request that stands
// for its foyer, a notice of the right or of a possible right, to it or to
// the same foyer under another number (the same persons, or the same keyed
// NIRs).
void add_within_year(SubjectFacts& facts, const Store::ActedWithinYear& year, const std::string& subject,
                     const std::vector<std::string>& concerned, const std::vector<std::string>& keys);

}  // namespace proactif
