// Syntax tree of the formula language. A formula is an expression:
//   numbers     12, 0.165, or with a unit: 3 [month], 25 [year]
//   arithmetic  + - * /          comparisons  < <= > >= == !=
//   logic       and or not       choice       if C then A else B
//   membership  x in ["971", "972"]  or  x in list_parameter
//   calls       min(a, b) max(a, b) round_cent(x) per_year(x) per_month(x)
//               age(birth_date, on) start_of_year(d) bracket(x, scale)
//               departement(commune) region(commune) epci(commune)
//               certainly(b): true when b is known to be true, false otherwise
//               (to choose a least favourable result, never an eligibility)
//   aggregates over the persons of the program's foyer (from a household
//   formula), or over every person the situation lists (all_persons):
//               count(persons where role == "child")
//               sum(persons: resources_12m)
//               any(persons where role in ["applicant", "spouse"]: age(birth_date, date) >= 25)
//               count(all_persons where role == "spouse")
//               max(all_persons where F: V)   min(persons: V)
//   per person, among the persons of their household that pass a filter,
//   ordered by a key (ties in the order the situation lists them):
//               rank(all_persons where F by key)          1 for the first
//               cumulative_sum(all_persons where F by key: V)   V of those up to them
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace proactif {

enum class ExprKind { kNumber, kString, kBool, kName, kUnary, kBinary, kIf, kCall, kAggregate, kList };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  int offset = 0;      // position in the formula text, for error messages
  std::string text;    // name, string literal, operator or function
  double number = 0;
  std::vector<ExprPtr> args;  // aggregate: {filter or null, value or null, key or null}
  bool all_persons = false;   // aggregate: over every person listed, not the foyer only
};

}  // namespace proactif
