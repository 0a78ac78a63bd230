// What the executor assumes of a plan, checked after compiling and
// optimising it: every register an instruction names exists; no instruction
// writes a register it reads (the kernels read and write through
// __restrict pointers); each register is written once, an input never;
// every register is written before it is read; keyed tables list their own
// instructions, in order, after their count.
#pragma once

#include <string>

#include "rules/plan.hpp"

namespace proactif {

// Empty when the plan keeps every invariant; otherwise the first broken.
std::string plan_defect(const Plan& plan);

}  // namespace proactif
