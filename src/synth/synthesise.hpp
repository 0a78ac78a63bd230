// A synthetic population of a real territory written as the extracts of the
// administrations that hold it, with their mappings and the ground truth:
// what `proactif synth` and synthetic campaigns write.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.hpp"
#include "core/result.hpp"

namespace proactif {

// Returns the summary to print.
Result<std::string> synthesise(const std::string& territory_code, size_t households, uint64_t seed, Days date,
                               const std::string& out);

}  // namespace proactif
