// A few households of a batch as a batch of their own (the same columns,
// provenance and review flags), to evaluate them again with explanations.
#pragma once

#include <vector>

#include "population/batch.hpp"

namespace proactif {

// `households`: indices in `batch`; `person_columns`: per input column,
// whether it holds one value per person (else per household).
Batch select_households(const Batch& batch, const std::vector<size_t>& households,
                        const std::vector<bool>& person_columns);

}  // namespace proactif
