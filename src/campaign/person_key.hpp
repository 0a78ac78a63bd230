// A person's NIR as the store keeps it to recognise them: a keyed hash
// (HMAC-SHA-256 with the store's secret "person_key", Store::secret), never
// the NIR itself. The CAF may give a person, and their household, other
// numbers (a move, a new case): their objection must still reach them
// (GDPR art. 21), and their NIR is what stays. Decisions and objections
// shown or copied apart from the store's secrets do not tell a NIR by
// hashing each possible one; the whole store holds the secret, so the keys
// are pseudonyms (GDPR recital 26), kept only with a decision or an
// objection.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace proactif {

// "NIR:" and 32 hexadecimal digits (128 bits of the hash); named as
// campaigns name persons (SOURCE:ID), so that an objection recorded for it
// is followed as a person's. The NIR's 13 characters are hashed, its key
// and spaces left out. Empty for a text that is not a NIR.
std::string person_key(const std::string& secret, const std::string& nir);

// "id=key" for each of `persons` whose key is known (`key_of`: person id ->
// key), as a decision keeps them (StoredDecision::person_keys).
std::vector<std::string> keyed_entries(const std::vector<std::string>& persons,
                                       const std::unordered_map<std::string, std::string>& key_of);

}  // namespace proactif
