// The values an explanation keeps (JSON text) as a person reads them, for
// citizen_text.cpp: data by their labels and in French units (1 234,56 €,
// 15 juin 2025, oui, locataire), parameters, the outcomes of operations, and
// the administration's file a value came from, without path or line. A code
// the program file gives no label for is shown as missing its label, never
// as the code.
#pragma once

#include <string>
#include <vector>

#include "core/units.hpp"
#include "eval/explanation.hpp"
#include "rules/program.hpp"

namespace proactif {

class Territory;

namespace citizen {

// What stands for a code the program file gives no label for: the code itself
// would be English or opaque to the person, and the test of citizen texts
// looks for this phrase.
inline constexpr const char* kNoLabel = "(libellé manquant dans le fichier du programme)";

struct Member;

// A value of the explanation, read.
struct Json {
  enum class Kind { kNull, kBool, kNumber, kText, kList, kObject };
  Kind kind = Kind::kNull;
  bool flag = false;
  double number = 0;
  std::string text;
  std::vector<Member> items;  // a list's items (no key), an object's members
};

// A std::pair would need Json complete where Json declares its members.
struct Member {
  std::string first;
  Json second;
};

// Unreadable JSON reads as unknown: the explanation was written by this
// program, and a person is better told a value is missing than shown a
// parse error.
Json parse(const std::string& text);

// The unit a text names ("EUR/month"); none when it names none.
Unit unit_named(const std::string& text);
// The label the program file gives a code, else kNoLabel.
std::string code_label(const std::vector<std::string>& values, const std::vector<std::string>& labels,
                       const std::string& code);
// Whether a parameter is a rate (its file's unit "/1"): shown as a percentage.
bool is_rate(const ParamDecl* d);
// The program's parameter of that name, or nullptr.
const ParamDecl* param_decl(const Program* p, const std::string& name);

// Where a value came from, as a person reads it: "CAF, fichier des
// allocataires du 15/06/2025"; empty when no file gave it.
std::string readable_source(std::string s);

// A datum's value (`in`: its declaration, null when the program is gone;
// `territory` for the names of communes).
std::string datum_value(const Json& v, const InputDecl* in, const Territory* territory);
std::string parameter_value(const ExplainedParameter& p, const ParamDecl* d);
// A condition's outcome reads as met or not; a result's as its value.
std::string operation_value(const Json& v, const ExplainedOperation& o, const VariableDecl* decl, bool result,
                            bool rate);
// The value of a person program's decision for its person, among the
// values per person the explanation keeps for the whole household.
Json for_reader(const Json& v, const std::string& reader);

}  // namespace citizen
}  // namespace proactif
