// The generator's random numbers: one seeded engine and draws written out
// here, so that the same seed gives the same files on every build (the
// standard library's distributions may differ between implementations).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace proactif::synth {

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  size_t below(size_t n) { return static_cast<size_t>(uniform() * static_cast<double>(n)); }
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<size_t>(hi - lo + 1))); }
  double normal() {  // Box-Muller
    double u = std::max(uniform(), 1e-300), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2 * M_PI * v);
  }
  // An index drawn with the given weights (cumulative, ascending).
  size_t weighted(const std::vector<double>& cumulative) {
    double x = uniform() * cumulative.back();
    size_t lo = 0, hi = cumulative.size() - 1;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace proactif::synth
