// Where Proactif finds what it reads besides its input: the programs, the
// official territory data, the names of synthetic populations, the
// message templates and the service's web assets. The program sets them once at start (from where it is
// installed and its environment, in cli/); library code only reads them.
// Until then they are the source tree's, for tests and benchmarks.
#pragma once

#include <string>

namespace proactif {

struct DataPaths {
  std::string programs;   // one folder per program (programs/<id>/program.yaml)
  std::string territory;  // communes.json and epci.json (@etalab/decoupage-administratif)
  std::string names;      // names-fr.json, first names and surnames for synthetic populations
  std::string templates;  // the French message templates (Mustache)
  std::string web;        // the service's OpenAPI document and the State's design system (DSFR) from npm
  // A copy of the national youth simulator's data (betagouv/aides-jeunes:
  // data/benefits, data/institutions), whose benefits load as programs
  // "aides-jeunes:ID"; not shipped: the source tree's neighbour ../shared/data/aides-jeunes by default.
  std::string aides_jeunes;
};

const DataPaths& data_paths();
void set_data_paths(DataPaths paths);

// The layout of an installed Proactif, found from its executable:
// <prefix>/bin/proactif reads <prefix>/share/proactif/{programs, territory,
// names-fr.json, templates/fr, web}. Empty when there is no such layout there
// (a build tree): the source tree's paths stay.
std::string installed_data_folder(const std::string& executable);
DataPaths data_paths_under(const std::string& share_folder);

inline std::string programs_dir() { return data_paths().programs; }
inline std::string territory_dir() { return data_paths().territory; }
inline std::string names_file() { return data_paths().names; }
inline std::string templates_dir() { return data_paths().templates; }
inline std::string web_dir() { return data_paths().web; }
inline std::string aides_jeunes_dir() { return data_paths().aides_jeunes; }

}  // namespace proactif
