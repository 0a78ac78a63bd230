#pragma once

#include <string>
#include <vector>

#include "eval/explanation.hpp"

namespace proactif {

// The explanation as French text for an agent or an auditor, with the names
// of data and variables and the formulas (citizen_text.hpp: for the person).
// Text written across lines (a formula, a program file's sentence) flowed
// on one line, its runs of blanks made one space.
std::string one_line(const std::string& text);

// A decision's status ("eligible") as the agents read it ("éligible").
std::string french_status(const std::string& status);

std::string explanation_text(const Explanation& e, const std::string& subject, const std::string& status,
                             const std::string& result_json, const std::string& missing);

// The same for a stored decision: its result and missing inputs read from
// its representative line (decision_json.hpp), among the foyer's `persons`.
std::string stored_decision_text(const Explanation& e, const std::string& subject, const std::string& status,
                                 const std::string& decision_json, const std::vector<std::string>& persons);

}  // namespace proactif
