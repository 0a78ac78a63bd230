// How close two numbers must be to compare equal.
#pragma once

#include <algorithm>
#include <cmath>

namespace proactif {

// Money and ceilings are compared within a billionth, so that sums of cents
// that binary floating point cannot hold exactly still meet the ceiling they
// equal on paper (7 200.10 + 3 138.90 <= 10 339).
inline double tolerance(double a, double b) {
  return 1e-9 * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));  // std::fmax would call libm
}

inline bool equal_within_tolerance(double a, double b) { return std::fabs(a - b) <= tolerance(a, b); }

}  // namespace proactif
