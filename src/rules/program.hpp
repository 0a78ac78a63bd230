// A benefit program as a legal officer writes it (programs/<id>/program.yaml):
// what it reads, which dated parameters it applies, how each variable is
// computed and which article of law says so, who is eligible and what they
// get. Loaded and checked before anything runs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/api_particulier_data.hpp"
#include "core/units.hpp"
#include "core/value_domain.hpp"
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
  // Per code of `values`, how a person reads it ("locataire" for "tenant"),
  // when the program file maps each code to its label; "" otherwise.
  std::vector<std::string> value_labels;
  ValueDomain value_domain;         // numbers: from the unit, minimum and maximum
  std::string label;
  std::string source;  // the administration that holds it
  std::string where;   // "file:line"
  // A household input that describes the dwelling (its commune), shared by
  // every person living there, rather than the foyer (its housing benefit):
  // a person who forms a foyer of their own in it keeps this value.
  bool dwelling = false;
  // The datum API Particulier gives for it, when the program may fetch it
  // there (an instant decision, a campaign filling what extracts lack): only
  // the inputs that declare one are ever asked for.
  std::optional<Datum> api_particulier;
  // Where an instant decision does not obtain that datum (API Particulier
  // does not list the person, or is not reached), or for the other persons
  // of the foyer, whom it is not asked about: the text under which the
  // person's own statement is taken instead (the claim form's sworn
  // statement), so that a person with nothing to prove (not a student) is
  // not sent for a document. Empty: the datum is proved, never stated.
  std::string stated;
};

struct ParamDecl {
  std::string name;
  std::string path;
  Type type = Type::kNumber;
  Unit unit;
  Unit threshold_unit;            // scales
  bool lower_bound_inclusive = true;  // scales: "[lower, upper)" or "(lower, upper]"
  // A date on which no value is in force makes this parameter unknown, and
  // the decisions that need it undetermined, naming it: for an amount the
  // law sets but that is not known here (Mayotte's RSA before 2024). Without
  // it, such a date is an error for the whole evaluation.
  bool unknown_when_absent = false;
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
  // A code variable or result: the codes it takes and their French labels,
  // when the program file lists them (`values: {free: ..., participation: ...}`).
  std::vector<std::string> values, value_labels;
  // The `when` of a condition not evaluated: says which conditions a
  // message lists, not an operation of the decision (left out of the
  // explanation and of the rules' table).
  bool for_messages = false;
};

struct ResultDecl {
  VariableDecl value;
  std::unique_ptr<Formula> if_undetermined;  // least favourable result
  bool money = false;
  bool always = false;  // also reported when not eligible (RSA amount 0)
};

// A condition of the law the program does not examine (residence,
// nationality...): a message based on it says it is left to confirm.
struct UncheckedCondition {
  std::string condition;  // in French, as a person reads it
  std::string reference;
  // Index in Program::variables of the boolean (`when:`) saying whether the
  // condition concerns a decision (an ESAT's activity, only where the AAH
  // presumption applies); -1: every decision. A message lists it unless
  // it is known not to.
  int when = -1;
};

// Why a person listed is not counted in the foyer, as the person reads it
// ("25 ans ou plus : un foyer à lui seul"): an explanation gives each
// person left out the first reason whose `when` holds for them.
struct FoyerExclusion {
  std::string reason;
  std::string reference;
  int when = -1;  // index in Program::variables: a person boolean, for messages
};

// A route the law gives for granting the right without the person's
// request (C2S transmitted with the RSA: CSS L861-2, CASF R262-102 s.): a
// campaign or an event may `grant` only where a route's condition holds and
// the result is one of its variants; elsewhere the right is notified.
struct AutomaticRoute {
  std::string id;
  std::string label;      // in French, as the person is told
  std::string reference;
  int condition = -1;     // index in Program::variables: a household boolean
  std::vector<std::string> variants;  // values of the result `variant` it grants; empty: any
  // The events that are the route's moment (the RSA granted on its claim,
  // which asked whether the person accepts the C2S): an event rule may grant
  // on these only; none: on no event, by a campaign only.
  std::vector<std::string> events;
  std::string where;
};

struct Program {
  std::string id;
  std::string title;
  std::string authority;
  std::string algorithm_role;  // CRPA R311-3-1-2 1°
  std::vector<std::string> references;
  std::vector<UncheckedCondition> not_evaluated;
  std::vector<AutomaticRoute> automatic_routes;
  std::string file;
  // The text of every file read (the program's and those it includes), as
  // read, named relative to the program's folder: what its hash covers.
  struct SourceText {
    std::string name, text;
  };
  std::vector<SourceText> texts;
  Entity entity = Entity::kHousehold;
  std::vector<InputDecl> inputs;
  std::vector<ParamDecl> params;
  std::vector<VariableDecl> variables;  // includes the eligibility as "eligible"
  std::vector<ResultDecl> results;
  // Who among the persons listed forms the program's foyer, as its law
  // says (a person-level boolean, in `variables` under the name "foyer"):
  // aggregates over `persons` count them only. -1 when the program has none.
  int foyer = -1;
  std::vector<FoyerExclusion> foyer_exclusions;  // `not_counted` of the foyer
};

}  // namespace proactif
