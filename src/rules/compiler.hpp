#pragma once

#include "core/codes.hpp"
#include "core/result.hpp"
#include "population/territory.hpp"
#include "rules/plan.hpp"

namespace proactif {

// Checks a loaded program (names, types, units, entities, cycles, misspelt
// codes) and compiles it. `territory` may be null when no formula needs it.
// `optimise` false keeps the plan as written, for the tests that check the
// optimised plan against it.
Result<std::shared_ptr<Plan>> compile_program(std::shared_ptr<const Program> program,
                                              InputSchema& schema, CodeTable& codes,
                                              const Territory* territory, bool optimise = true);

}  // namespace proactif
