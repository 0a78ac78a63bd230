// Aggregates over each household's persons (sum, count, least and greatest,
// rank), one pass over a chunk's persons each, vectorised four households
// at a time where they have at most four persons. Compiled once per x86-64
// level (eval/isa.hpp), for eval/executor.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "eval/isa.hpp"
#include "eval/workspace.hpp"

namespace proactif {
namespace PROACTIF_ISA {

// Each household's sum of its persons' terms (unknown when one is).
void add_per_household(const double* term, const uint32_t* offsets, size_t households,
                       const std::vector<uint32_t>& large, double* out);

// How many of each household's persons have their term's byte counted (bit
// 0), and in `open` whether one of them is unsettled (bit 1).
void count_per_household(const uint8_t* terms, const uint32_t* offsets, size_t households,
                         const std::vector<uint32_t>& large, double* count, uint8_t* open);

// The greatest or least value among each household's persons that pass the
// filter; unknown when one that may pass has an unknown value, or none passes.
void extremum_per_household(bool greatest, const double* filter, const double* value, Workspace& ws, double* out);

// For each person, their rank among the household's persons that pass the
// filter, ordered by key (`value` null), or the sum of the values up to them.
void rank_in_household(const double* filter, const double* key, const double* value, Workspace& ws,
                       double* out);

}  // namespace PROACTIF_ISA
}  // namespace proactif
