// A decision explained to the person it concerns, in plain French: the four
// items of CRPA R311-3-1-2 that explanation_text gives an agent, without what
// only an agent reads (identifiers, codes, variable names, formulas, JSON).
// Each datum by its label, with its value as a person writes it (1 234,56 €,
// 15 juin 2025, oui, locataire) and the administration's file it came from;
// the persons of the household by their place in it ("vous", "votre
// conjoint(e)", "un enfant (né(e) en 2012)"); each parameter with its
// description and its article; each condition met or not, each amount.
// Labels come from the program file: a code it gives no label for is shown
// as missing its label, never as the code.
#pragma once

#include <string>
#include <vector>

#include "eval/explanation.hpp"
#include "rules/program.hpp"

namespace proactif {

class Territory;

struct CitizenReader {
  // The person the text speaks to ("vous"): a person program's person, or
  // one of the household; empty for the household's allocataire.
  std::string person;
  // The program file in force, for input labels, units and code labels
  // (null when it is gone: the values are then shown from the explanation
  // alone), and the communes' names (null when the program reads none).
  const Program* program = nullptr;
  const Territory* territory = nullptr;
  // What an undetermined decision waits for, as the decision names it
  // (CONTRACT.md: household.rsa, persons.p1.resources_12m, parameters....).
  std::vector<std::string> missing;
  // The decision's results (CONTRACT.md "result"): where the explanation
  // has no value for a result, the least favourable one it was given.
  std::string result_json = "{}";
};

// `status` is the decision's: eligible, ineligible or undetermined.
std::string citizen_text(const Explanation& e, const std::string& status, const CitizenReader& reader);

}  // namespace proactif
