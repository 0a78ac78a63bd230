// The national youth simulator's catalogue of local and national benefits
// (betagouv/aides-jeunes: data/benefits/javascript/*.yml and the institutions
// of data/institutions/*.yml), read as they are and written as programs of
// Proactif's language, which the loader then reads like any other, as
// "aides-jeunes:ID": a program decided per person, each general condition
// and each profile a rule with its label, the institution's territory, the
// benefit's page as its reference, its free-text conditions as what is left
// to the paying body, its amount as the result.
//
// The simulator decides that the conditions_generales all hold and, when
// profiles are listed, that one of them holds with its own conditions
// (lib/benefits/compute-javascript.ts). Its quotient familial is the fiscal
// one (the revenu fiscal de référence over the tax parts, per month or per
// year), not the CAF's. A condition this file cannot write is named in
// CatalogueEntry::cannot, and the benefit is not loaded.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "population/territory.hpp"

namespace proactif {

inline constexpr const char* kCataloguePrefix = "aides-jeunes:";

struct CatalogueEntry {
  std::string id;                  // the benefit file's name, without .yml
  std::string program_text;        // the program, when it can be written
  std::string cannot;              // else the condition it uses that cannot be written yet, and why
  std::vector<std::string> notes;  // what was set aside: commune codes that designate no commune
};

// The catalogue's benefit ids (`dir` is a copy of the repository or of its
// data folder), sorted.
Result<std::vector<std::string>> catalogue_benefits(const std::string& dir);

// One benefit as a program; `territory` checks the communes it names.
CatalogueEntry catalogue_program(const std::string& dir, const std::string& id, const Territory& territory);

}  // namespace proactif
