#include "core/check.hpp"

#include <cstdio>
#include <cstdlib>

namespace proactif {

void check_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "proactif: internal invariant broken at %s:%d: %s\n", file, line, condition);
  std::abort();
}

}  // namespace proactif
