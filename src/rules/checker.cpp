#include "rules/checker.hpp"

#include <algorithm>

namespace proactif {

std::string describe(const TypeInfo& t) {
  if (t.type != Type::kNumber) return type_name(t.type);
  if (t.unit_free) return "number";
  return "number in " + t.unit.to_string();
}

bool same_unit(const TypeInfo& l, const TypeInfo& r) {
  return l.unit_free || r.unit_free || l.unit == r.unit;
}

TypeRule arithmetic_type(const std::string& op, const TypeInfo& l, const TypeInfo& r) {
  if (l.type != Type::kNumber || r.type != Type::kNumber)
    return {std::nullopt, "'" + op + "' needs numbers, not " + describe(l) + " and " + describe(r)};
  TypeInfo t;
  t.type = Type::kNumber;
  t.unit_free = l.unit_free && r.unit_free;
  if (op == "+" || op == "-") {
    if (!same_unit(l, r))
      return {std::nullopt, "cannot " + std::string(op == "+" ? "add " : "subtract ") + describe(r) +
                                (op == "+" ? " to " : " from ") + describe(l)};
    t.unit = l.unit_free ? r.unit : l.unit;
  } else if (op == "*") {
    t.unit = (l.unit_free ? Unit() : l.unit) * (r.unit_free ? Unit() : r.unit);
  } else {
    t.unit = (l.unit_free ? Unit() : l.unit) / (r.unit_free ? Unit() : r.unit);
    // a quantity divided by a bare literal keeps its unit
    if (r.unit_free && !l.unit_free) t.unit = l.unit;
  }
  return {t, ""};
}

TypeRule comparison_type(const std::string& op, const TypeInfo& l, const TypeInfo& r) {
  TypeInfo t;
  t.type = Type::kBool;
  bool equality = op == "==" || op == "!=";
  if (l.type != r.type)
    return {std::nullopt, "cannot compare " + describe(l) + " with " + describe(r)};
  if ((l.type == Type::kCode || l.type == Type::kBool) && !equality)
    return {std::nullopt, "'" + op + "' does not apply to " + describe(l) + " (only == and !=)"};
  if (l.type == Type::kCodeList || l.type == Type::kScale)
    return {std::nullopt, "cannot compare " + describe(l)};
  if (l.type == Type::kNumber && !same_unit(l, r))
    return {std::nullopt, "cannot compare " + describe(l) + " with " + describe(r)};
  return {t, ""};
}

bool code_in_domain(const TypeInfo& t, const std::string& code) {
  if (t.domain != CodeDomain::kListed || !t.values) return true;
  return std::find(t.values->begin(), t.values->end(), code) != t.values->end();
}

}  // namespace proactif
