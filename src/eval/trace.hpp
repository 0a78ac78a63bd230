// Per-decision views of a chunk that was just run: which unknown inputs
// stand between the decision and a definite answer, and the explanation.
// Built only for the rows that need them, from the same columns.
#pragma once

#include <string>
#include <vector>

#include "eval/explanation.hpp"
#include "eval/outcome.hpp"
#include "eval/workspace.hpp"

namespace proactif {

// Appends the missing inputs of `row` to `out`; `household` is its
// household's index in the chunk.
// When none is missing, it names the gaps instead (append_value_gaps).
void append_missing_inputs(const BoundPlan& bound, const Workspace& ws, size_t row, size_t household, Status status,
                           std::vector<MissingInput>& out);

// Appends the missing inputs that leave it unknown whether the person of
// `row` (a person program's) belongs to the program's foyer.
void append_missing_membership(const BoundPlan& bound, const Workspace& ws, size_t row, size_t household,
                               std::vector<MissingInput>& out);

// Appends the operations that leave `row` without a value though every
// datum they read is known (MissingInput::kNoValue): an undetermined
// decision always says what it waits for.
void append_value_gaps(const BoundPlan& bound, const Workspace& ws, size_t row, size_t household, Status status,
                       std::vector<MissingInput>& out);

Explanation explain(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const Workspace& ws,
                    size_t row);

}  // namespace proactif
