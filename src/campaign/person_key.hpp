// A person's NIR as the store keeps it to recognise them: a keyed hash
// (HMAC-SHA-256 with a secret key, person_key_secret), never the NIR
// itself. The CAF may give a person, and their household, other
// numbers (a move, a new case): their objection must still reach them
// (GDPR art. 21), and their NIR is what stays. Without the key, a NIR is
// not told by hashing each possible one; the keys are pseudonyms all the
// same (GDPR recital 26), kept only with a decision or an objection.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace proactif {

class Store;

// The key the persons' NIRs are hashed with. Kept apart from the store
// where PROACTIF_PERSON_KEY_FILE names a file (its first line, 32
// characters at least): a copy of the store, or its backups, then holds no
// key to try each NIR with. The store keeps a check of it, and a key that
// is not the one its keys were made with is refused (objections would no
// longer be recognised). Without that file, a secret drawn once and kept in
// the store (Store::secret).
Result<std::string> person_key_secret(Store& store);

// "NIR:" and 32 hexadecimal digits (128 bits of the hash); named as
// campaigns name persons (SOURCE:ID), so that an objection recorded for it
// is followed as a person's. The NIR's 13 characters are hashed, its key
// and spaces left out. Empty for a text that is not a NIR.
std::string person_key(const std::string& secret, const std::string& nir);

// "id=key" for each of `persons` whose key is known (`key_of`: person id ->
// key), as a decision keeps them (StoredDecision::person_keys).
std::vector<std::string> keyed_entries(const std::vector<std::string>& persons,
                                       const std::unordered_map<std::string, std::string>& key_of);
// The key of such an entry (an id may hold '=', a key does not).
inline std::string entry_key(const std::string& entry) { return entry.substr(entry.rfind('=') + 1); }

}  // namespace proactif
