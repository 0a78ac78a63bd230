// The type and unit rules of the formula language, kept apart from code
// generation so that a reader can check them against the language's intent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/program.hpp"

namespace proactif {

struct TypeInfo {
  Type type = Type::kNumber;
  Unit unit;
  bool unit_free = false;  // a bare literal takes the unit of what it meets
  CodeDomain domain = CodeDomain::kOpen;
  const std::vector<std::string>* values = nullptr;  // kListed domain
  Entity entity = Entity::kHousehold;
  int reg = -1;
};

std::string describe(const TypeInfo& t);

// Each returns the type of the result, or an error message.
struct TypeRule {
  std::optional<TypeInfo> type;
  std::string error;
};
TypeRule arithmetic_type(const std::string& op, const TypeInfo& l, const TypeInfo& r);
TypeRule comparison_type(const std::string& op, const TypeInfo& l, const TypeInfo& r);
bool same_unit(const TypeInfo& l, const TypeInfo& r);

// Whether `code` belongs to the domain described by `t` (true when the
// domain is open or cannot be checked here).
bool code_in_domain(const TypeInfo& t, const std::string& code);

}  // namespace proactif
