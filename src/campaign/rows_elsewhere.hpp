// What other extracts hold for a person that linkage joined to the main
// extract's row, taken only where that row is certainly theirs
// (campaign/contacts.hpp certainly_same_person): an address to write to,
// a NIR to transmit. Linkage joins rows on weaker evidence, enough to read a
// datum whose doubt a decision shows, not to send a person's rights to an
// address or a right to a NIR.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "campaign/contacts.hpp"
#include "core/result.hpp"
#include "population/batch.hpp"
#include "population/snapshot.hpp"
#include "sources/source_mapping.hpp"

namespace proactif {

// The members of the transmitted households whose row of the main extract
// gives no NIR (a child, often) get the one another linked extract gives,
// when that row is certainly theirs (certainly_same_person) and no other
// member's of the household (twins the CPAM knows by one first name), when
// its NIR is one, when no other row certainly theirs gives another, and when
// it is found for no other member: the paying body finds the person by it (CASF
// R262-104-1), and a NIR sent as another person's would attach the right to
// them. Returns, for each member left without one, the first extract whose
// row could not be taken as theirs.
Result<std::unordered_map<std::string, std::string>> nirs_elsewhere(
    const Snapshot& snapshot, const Batch& batch, const std::vector<SourceMapping>& mappings,
    std::unordered_map<std::string, std::vector<PersonIdentity>>& identities);

struct AddressElsewhere {
  std::string source;  // the administration whose extract gave it
  Contact contact;
};

// For each subject, the postal address the first other extract declaring
// contacts gives for its person, found through the line that person's values
// came from in that extract (the row linkage joined to them), when that row
// is certainly theirs (certainly_same_person against `identity`, their row
// of the main extract); the others are counted in `unconfirmed`, by source.
Result<std::unordered_map<std::string, AddressElsewhere>> addresses_elsewhere(
    const Snapshot& snapshot, const std::vector<SourceMapping>& mappings,
    const std::unordered_map<std::string, uint32_t>& lacking,
    const std::unordered_map<uint32_t, PersonIdentity>& identity, std::map<std::string, int64_t>& unconfirmed);

}  // namespace proactif
