// What the evaluation's loops share (eval/executor.cpp and the kernels it
// calls): unknown is NaN, true is 1, and GCC's vectors of four or eight lanes. Included
// after PROACTIF_ISA_BEGIN, so that each level compiles these for itself;
// each file including it includes <cstdint> and <cstring> before the
// pragma (eval/isa.hpp), so that the includes below add nothing under it.
#pragma once

#include <cstdint>
#include <cstring>

namespace proactif {
namespace PROACTIF_ISA {

inline bool unknown(double v) { return v != v; }
// One comparison for both, where `unknown(x) || unknown(y)` takes three.
inline bool either_unknown(double x, double y) { return __builtin_isunordered(x, y); }
inline double truth(bool b) { return b ? 1.0 : 0.0; }

// Four or eight doubles or 64-bit lanes in one register (GCC's vector
// extension, which falls back to plain code where the processor has none).
using Doubles4 = double __attribute__((vector_size(32)));
using Lanes4 = int64_t __attribute__((vector_size(32)));

// Lanes of x (0-3) and y (4-7) picked by constant positions: GCC and clang
// (the fuzzing build) spell it differently.
template <int A, int B, int C, int D>
inline Doubles4 shuffle4(Doubles4 x, Doubles4 y) {
#if defined(__clang__)
  return __builtin_shufflevector(x, y, A, B, C, D);
#else
  return __builtin_shuffle(x, y, Lanes4{A, B, C, D});
#endif
}
using Doubles8 = double __attribute__((vector_size(64)));
using Lanes8 = int64_t __attribute__((vector_size(64)));

}  // namespace PROACTIF_ISA
}  // namespace proactif
