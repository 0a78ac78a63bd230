// The loops over a chunk's rows that need more than an operator: ages on a
// date, membership of a list of codes, a map of codes, a scale's brackets, a
// select by table and a keyed table's look-up. Branch-free where they can be,
// so that they vectorise; compiled once per x86-64 level (eval/isa.hpp), for
// eval/executor.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/date.hpp"
#include "eval/isa.hpp"
#include "eval/workspace.hpp"

namespace proactif {
namespace PROACTIF_ISA {

// Ages in completed years on `on` of persons born on `birth` (days).
void ages_on(Days on, const double* birth, double* out, size_t n);

// 1 where the code is in `set`, 0 where not, unknown for an unknown code.
void in_codes(const std::vector<int32_t>& set, const double* a, double* o, size_t n);

// Each code's image by `map`, indexed by code; unknown where it holds none.
void map_codes(const std::vector<int32_t>& map, const double* a, double* o, size_t n);

// The amount of the bracket each value reaches: from its lower bound
// included (kFromLower) or excluded.
template <bool kFromLower>
void bracket(const std::vector<ScaleRow>& scale, const double* a, double* o, size_t n);

// A select whose cases are small whole numbers with constant results, as one
// look-up per row; false when its cases do not fit a table.
bool select_by_table(const Plan& plan, const Workspace& ws, const Select& s, const double* key,
                     const double* otherwise, double* o, size_t n);

// out[i] = by_count[key[i]], or by_count[entries - 1] for an unknown key.
void look_up(const double* by_count, size_t entries, const double* key, double* out, size_t n);

}  // namespace PROACTIF_ISA
}  // namespace proactif
