// Decision lines as CONTRACT.md specifies them.
#pragma once

#include <string>
#include <vector>

#include "eval/outcome.hpp"

namespace proactif {

// Appends one decision (one JSON line, newline included) for `row` of
// `outcome`, with its explanation when the outcome has one, unless told not
// to (the store keeps the explanation apart).
void append_decision(std::string& out, const std::string& situation, const std::string* person,
                     const BoundPlan& bound, const Batch& batch, const Outcome& outcome, size_t row,
                     const CodeTable& codes, bool with_explanation = true);

// The "result" object of a decision.
void append_result(std::string& out, const BoundPlan& bound, const Outcome& outcome, size_t row,
                   const CodeTable& codes);

void append_explanation_json(std::string& out, const Explanation& e);

// What a stored decision line says beside its status: its result (JSON,
// "{}" when the line cannot be read), its missing inputs and, for a person
// program, its person.
struct DecisionLine {
  std::string result = "{}";
  std::vector<std::string> missing;
  std::string person;
};
DecisionLine read_decision_line(const std::string& line);

}  // namespace proactif
