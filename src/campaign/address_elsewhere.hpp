// A postal address in another commune than the one a decision read
// (Contact::postcode_elsewhere): the household may live there now (it
// moved, or an extract is behind). What that doubt changes, for campaigns
// and events alike: whether the decision would be the same in each commune
// the address may be in, and whether each is one the paying body serves.
#pragma once

#include <string>
#include <vector>

#include "eval/engine.hpp"
#include "eval/outcome.hpp"
#include "population/snapshot.hpp"

namespace proactif {

struct AddressDoubt {
  // In one of those communes the decision would not be the same (Grenoble's
  // fare, for an address in Paris): not acted on, by any channel.
  bool decided_otherwise = false;
  // One of them is outside the départements the paying body serves
  // (`transmission_departements`, when given): no request there.
  bool outside_area = false;
  // Another extract gives the household another commune, where the
  // decision would not be the same (weigh_communes): not acted on either.
  bool commune_elsewhere = false;
  // Members' rows of one extract gave several communes (the commune is
  // unknown), in none of which the household is eligible: not entitled,
  // wherever it lives (not_eligible_in_each).
  bool not_eligible_in_any = false;
};

// For household `h` of `batch`, decided as `outcome` says, written to at
// `postcode` (Territory::communes_near_postcode); a postcode no commune's
// code places is a doubt too. A program that reads no commune decides alike.
AddressDoubt weigh_address_elsewhere(const std::string& postcode, const Engine& engine, const BoundPlan& bound,
                                     const Batch& batch, const Outcome& outcome, size_t h,
                                     const std::vector<std::string>& transmission_departements);

// The same for a household that may live in any of `communes` (another
// extract's commune: Snapshot::communes_elsewhere); none is a doubt too.
AddressDoubt weigh_communes(const std::vector<std::string>& communes, const Engine& engine, const BoundPlan& bound,
                            const Batch& batch, const Outcome& outcome, size_t h,
                            const std::vector<std::string>& transmission_departements);

// Whether household `h` of `batch`, whose commune is unknown since members'
// rows gave each of `communes`, is eligible in none of them: each of its
// rows (each person of its foyer, for a program decided per person) not
// eligible there. Its decision, undetermined for want of the commune, then
// tells no possible right. False for a program that reads no commune.
bool not_eligible_in_each(const std::vector<std::string>& communes, const Engine& engine, const BoundPlan& bound,
                          const Batch& batch, const Outcome& outcome, size_t h);

// An address at `postcode` that another administration gives household `h`
// (an API Particulier answer's, the CAF allocataire's), where its communes
// do not include the one the snapshot gives it: the household may live
// there, as where another extract gives another commune, and those
// communes are added to Snapshot::communes_elsewhere with `where`, for
// planning to weigh (communes_in_doubt). Whether it places the household
// elsewhere.
bool add_address_elsewhere(Snapshot& snapshot, const Engine& engine, size_t h, const std::string& postcode,
                           const std::string& where);

// The commune (INSEE code) household `household` lives in, as the snapshot
// says; empty when unknown.
std::string commune_of(const Snapshot& snapshot, size_t household);

// Whether a household may live where a body serving `departements` does
// not: one of `communes` (another extract's, those of a postal address's
// code) outside them, or no commune to place it.
bool may_live_outside(const std::vector<std::string>& departements, const Engine& engine,
                      const std::vector<std::string>& communes);

// The communes another extract places household `home` of `snapshot` in
// (Snapshot::communes_elsewhere), to weigh with weigh_communes: none where
// there is none, or where one of them is the commune read (an
// arrondissement is its commune, and confirms it as the same code would).
std::vector<std::string> communes_in_doubt(const Snapshot& snapshot, const Engine& engine, size_t home);

// Whether household `h` of `batch`, its commune replaced by one of
// `communes`, is not eligible there for a condition of its dwelling alone
// (Plan::dwelling_conditions: a fare's territory), each of its rows (for a
// program decided per person, each person of its foyer): nobody living
// there is eligible, whatever the household's other data turn out to be.
// So it is either not entitled in the commune read too, or decided
// otherwise there and not acted on (weigh_communes): no datum asked about
// it leads to an action.
bool excluded_by_dwelling_in_one_of(const std::vector<std::string>& communes, const Engine& engine,
                                    const BoundPlan& bound, const Batch& batch, const Outcome& outcome, size_t h);

}  // namespace proactif
