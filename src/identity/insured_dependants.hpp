// Dependants whom an extract ties to the insured they are covered through
// (the CPAM's "ouvrant droit") and whom no extract grouping persons into
// households lists: a child born since the CAF's household was last
// declared, a spouse not declared to it. The insured's household may then
// be without a member, and nothing may be decided on it as if it were whole.
#pragma once

#include <vector>

#include "identity/linkage.hpp"

namespace proactif {

struct UnlistedDependant {
  uint32_t insured;  // the linked person whose NIR the record names
  uint32_t record;   // the dependant's record, or its row set aside
  bool set_aside;    // `record` indexes the rows set aside
};

// The insured persons, placed in a household by an extract of
// `grouping_sources` (bits by source), of each record that names them by
// insured_nir and whose own person no such extract places, even where that
// person resembles a placed person (LinkageResult::unplaced), whose
// household may be another: a newborn resembled a child of another
// household, and its own was told of the RSA without it. And of each row
// set aside (`rejected`) that names them: whose row it is, nobody can say.
// Every person whose records carry that NIR is named: a NIR two persons'
// records give is not settled, and each of their households may be the
// one. Each insured and dependant once. `unresolved` counts the records and
// rows set aside whose insured no placed person is: an insured no household
// extract lists, or a NIR mistyped, which nothing can tell apart.
std::vector<UnlistedDependant> unlisted_dependants(const std::vector<IdentityRecord>& records,
                                                   const std::vector<IdentityRecord>& rejected,
                                                   const LinkageResult& linkage, uint64_t grouping_sources,
                                                   size_t* unresolved = nullptr);

}  // namespace proactif
