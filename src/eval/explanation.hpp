// The four items CRPA R311-3-1-2 requires an administration to give about an
// individual decision taken on the basis of an algorithm: 1° the degree and
// mode of the algorithm's contribution, 2° the data processed and their
// sources, 3° the parameters applied to the person's situation, 4° the
// operations performed.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace proactif {

struct ExplainedDatum {
  std::string name;        // as in CONTRACT.md: household.rsa, persons.p1.resources_12m
  std::string label;
  std::string value_json;  // null when unknown
  std::string source;
  bool used = true;        // the decision depended on it (Alsace-Moselle's regime is not used in Grenoble)
};

// Who the program's foyer counts, and under which article (CONTRACT.md v2).
struct ExplainedFoyer {
  std::string label;
  std::string reference;
  std::vector<std::string> counted, not_counted, unknown;  // person ids
  // For persons not counted, the first reason the program gives that holds
  // for them ("25 ans ou plus : un foyer à lui seul (CSS R861-2)").
  std::vector<std::pair<std::string, std::string>> why_not_counted;  // person id, reason
};

struct ExplainedParameter {
  std::string name;
  std::string path;
  std::string description;
  std::string value_json;
  std::string unit;
  std::string in_force_since;
  std::string reference;
};

struct ExplainedOperation {
  std::string name;
  std::string label;
  std::string formula;
  std::string reference;
  std::string value_json;  // a value, or {"p1": ..., "p2": ...} for a value per person
  std::string unit;
};

// A condition the program does not evaluate, which the paying body will
// check, with its article.
struct ConditionToConfirm {
  std::string condition;
  std::string reference;
};

struct Explanation {
  std::string program;
  std::string title;
  std::string authority;
  std::string algorithm_role;
  std::vector<std::string> references;
  std::string date;
  // Those of the conditions not evaluated that may concern this decision
  // (their `when` holds or is unknown); `to_confirm_given` is false in an
  // explanation stored before they were, which then lists every one.
  std::vector<ConditionToConfirm> to_confirm;
  bool to_confirm_given = false;
  std::vector<ExplainedDatum> data;
  std::vector<ExplainedFoyer> foyer;  // one, when the program defines its foyer
  std::vector<ExplainedParameter> parameters;
  std::vector<ExplainedOperation> operations;
};

}  // namespace proactif
