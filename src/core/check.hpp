// Invariants the code relies on, checked where a broken one would not show
// otherwise (a __restrict pointer aliasing, a register read before it is
// written): in the sanitizer builds (PROACTIF_CHECKS), where the tests run;
// compiled out of the optimised build.
#pragma once

namespace proactif {

[[noreturn]] void check_failed(const char* condition, const char* file, int line);

}  // namespace proactif

#ifdef PROACTIF_CHECKS
#define PROACTIF_CHECK(condition) ((condition) ? void(0) : ::proactif::check_failed(#condition, __FILE__, __LINE__))
#else
#define PROACTIF_CHECK(condition) void(0)
#endif
