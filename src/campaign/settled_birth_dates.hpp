// What a request to the paying body and an ask of API Particulier say of a
// person's birth date: the date the population holds for them, which the
// NIR settled where their extracts' dates disagreed (a day and month
// swapped in one row: snapshot_builder), not the main extract's row as it
// is. The decisions read that date; what is transmitted about the person,
// or asked about them, is the same.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "campaign/contacts.hpp"
#include "population/snapshot.hpp"

namespace proactif {

// Each identity's birth date replaced by the population's for that person
// (by their id); cleared where the population holds none for a person it
// lists, their dates disagreeing with no NIR to settle them: no date rather
// than a doubtful one. A person the population does not list, or a
// population without birth dates, keeps what the extract gave.
// `identities`: household -> its persons, as read_identities gives them.
void take_settled_birth_dates(const Snapshot& snapshot,
                              std::unordered_map<std::string, std::vector<PersonIdentity>>& identities);

}  // namespace proactif
