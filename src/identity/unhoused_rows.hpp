// Whose household a member's row may be of when it names none: a row of a
// household extract (the CAF's) set aside with its household identifier
// empty. The household it was of is then decided without that member, and
// which it is, is not known: every household of the extract, in the row's
// commune where both give one, with a member of its family name may be it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/string_pool.hpp"
#include "identity/linkage.hpp"

namespace proactif {

struct UnhousedRow {
  IdentityRecord who;               // as far as its fields were read
  std::string unread_family_names;  // as written, where they could not be read (extract_reader.hpp)
  std::string at;                   // "caf.csv line 8: the household identifier is missing"
};

// For each row, the persons (linkage's) with a record of its extract whose
// family name is one of the row's, or, where the row's family name could not
// be read, the one its field writes once the faulty characters are left out
// ("Mar\u00ADtin": MARTIN; never a name within another word); in its commune
// where both give one. `texts` holds the records' normalised traits
// (IdentityReader).
std::vector<std::vector<uint32_t>> persons_of_its_name(const std::vector<UnhousedRow>& rows,
                                                       const std::vector<IdentityRecord>& records,
                                                       const StringPool& texts, const LinkageResult& linkage);

}  // namespace proactif
