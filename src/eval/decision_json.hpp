// Decision lines as CONTRACT.md specifies them.
#pragma once

#include <optional>
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
// The explanation as the store keeps it with the decision: of a person the
// foyer does not count (a son of 26 at his parents'), only the data that
// decided so (their place, their age, resources reaching their increase);
// their other data (their income, their activity) were read with the
// household's and are not this decision's (RGPD art. 5-1-c).
void append_kept_explanation_json(std::string& out, const Explanation& e);

// What a stored decision line says: its status, its result (JSON, "{}"
// when the line cannot be read), its missing inputs and, for a person
// program, its person.
struct DecisionLine {
  std::string status;
  std::string result = "{}";
  std::vector<std::string> missing;
  std::string person;
  std::string text;  // the line as stored
};
// Of a stored decision's lines (one per person for a person program), the
// one its status and explanation are of: the first of that status about a
// person of `persons` (the foyer's; any when empty), as the planner chose it
// (representative_row); the first line when none is.
DecisionLine representative_line(const std::string& lines, const std::string& status,
                                 const std::vector<std::string>& persons);

// The line about `person`, if the decision has one (a person program's).
std::optional<DecisionLine> line_of_person(const std::string& lines, const std::string& person);

}  // namespace proactif
