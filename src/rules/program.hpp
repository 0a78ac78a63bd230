// A benefit program as a legal officer writes it (programs/<id>/program.yaml):
// what it reads, which dated parameters it applies, how each variable is
// computed and which article of law says so, who is eligible and what they
// get. Loaded and checked before anything runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "params/parameters.hpp"
#include "rules/ast.hpp"
#include "rules/source_map.hpp"

namespace proactif {

enum class Entity { kHousehold, kPerson };
enum class Type { kBool, kNumber, kDate, kCode, kCodeList, kScale };

const char* entity_name(Entity e);
const char* type_name(Type t);

struct Formula {
  std::string text;
  std::string file;
  SourceMap map;
  ExprPtr ast;
  std::string where(int offset) const;  // "file:line:column"
};

// Code domains let the checker refuse a misspelt code ("tennant").
enum class CodeDomain { kOpen, kListed, kCommune, kDepartement, kRegion, kEpci };

struct InputDecl {
  std::string name;
  Entity entity = Entity::kHousehold;
  Type type = Type::kNumber;
  Unit unit;
  CodeDomain domain = CodeDomain::kOpen;
  std::vector<std::string> values;  // kListed codes
  std::string label;
  std::string source;  // the administration that holds it
  std::string where;   // "file:line"
};

struct ParamDecl {
  std::string name;
  std::string path;
  Type type = Type::kNumber;
  Unit unit;
  Unit threshold_unit;            // scales
  bool lower_bound_inclusive = true;  // scales: "[lower, upper)" or "(lower, upper]"
  const Parameter* parameter = nullptr;
  std::string where;
};

struct VariableDecl {
  std::string name;
  Entity entity = Entity::kHousehold;
  Type type = Type::kNumber;
  Unit unit;
  bool has_unit = false;
  std::string label;
  std::string reference;
  Formula formula;
  std::string where;
};

struct ResultDecl {
  VariableDecl value;
  std::unique_ptr<Formula> if_undetermined;  // least favourable result
  bool money = false;
  bool always = false;  // also reported when not eligible (RSA amount 0)
};

struct Program {
  std::string id;
  std::string title;
  std::string authority;
  std::string algorithm_role;  // CRPA R311-3-1-2 1°
  std::vector<std::string> references;
  std::string file;
  Entity entity = Entity::kHousehold;
  std::vector<InputDecl> inputs;
  std::vector<ParamDecl> params;
  std::vector<VariableDecl> variables;  // includes the eligibility as "eligible"
  std::vector<ResultDecl> results;
};

}  // namespace proactif
