// A population's persons whom a program's foyer leaves out of their
// household's situation (a son of 26 living with his mother, for the C2S)
// form a foyer of their own (CSS R861-2, CASF R262-3): each is evaluated
// again alone, as the applicant. They keep their own data and the data of
// the dwelling (its commune, InputDecl::dwelling); the household's other
// data belong to its foyer (its housing benefit, its RSA) and are unknown
// for them, but where the extract that gave them says what they are for a
// member it lists (Batch::own_foyer_inputs: the CAF pays the RSA to the
// allocataire's dossier, so a member listed in it has none of their own).
// A minor so left out, or a person of unknown age, is not decided
// alone (their claim depends on the adults they live with or depend on):
// their situation is marked incomplete (Batch::incomplete), unless the
// dwelling leaves nobody eligible (Batch::alone_in_doubt). This is for
// populations built from extracts, where nobody else writes their
// situation; `proactif evaluate` decides only for the situations it is
// given (CONTRACT.md).
#pragma once

#include <vector>

#include "eval/outcome.hpp"

namespace proactif {

struct OwnFoyers {
  Batch batch;                 // one household per person set aside, with the person's id as its id
  std::vector<uint32_t> from;  // per household of `batch`: the person's row in the source batch
};

OwnFoyers foyers_of_their_own(const InputSchema& schema, const CodeTable& codes, const Batch& batch,
                              const Outcome& outcome);

// A program evaluated over a population: the households as given, and the
// foyers of their own of those the program's foyer leaves out.
struct PopulationOutcome {
  Outcome outcome;
  OwnFoyers own;
  Outcome own_outcome;
};

PopulationOutcome evaluate_population(const BoundPlan& bound, const InputSchema& schema, const Batch& batch,
                                      const CodeTable& codes, const EvalOptions& options);

}  // namespace proactif
