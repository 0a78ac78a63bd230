// Communes of France with their département, région and EPCI, from the
// official data that @etalab/decoupage-administratif ships (INSEE COG and
// the official EPCI composition). Commune codes that designate a part of a
// commune (arrondissement municipal, commune déléguée or associée) resolve
// to the commune they belong to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace proactif {

struct CommuneInfo {
  std::string code;
  std::string name;
  std::string departement;
  std::string region;
  std::string epci;  // SIREN of the EPCI, empty when the commune has none
  std::string commune;   // the whole commune a part belongs to (75056 for 75111); its own code for a commune
  std::string postcode;  // the first of La Poste's codes for the commune
  std::vector<std::string> postcodes;  // all of them (Paris's twenty-one)
  long population = 0;  // municipal population (INSEE); 0 for parts of communes
};

class Territory {
 public:
  // `dir` holds communes.json and epci.json.
  static Result<Territory> load(const std::string& dir);

  const CommuneInfo* find(std::string_view code) const;
  const std::vector<CommuneInfo>& communes() const { return communes_; }
  // The whole communes one of whose postcodes (or one of whose parts') is
  // `postcode`, by code; none for a CEDEX code or a postcode La Poste does
  // not give.
  std::vector<std::string> communes_of_postcode(std::string_view postcode) const;
  // Where an address with `postcode` may be: the communes of that postcode;
  // else, for a code La Poste does not give (a city's "69000", a CEDEX),
  // those whose postcodes begin with its first three digits; else those of
  // its département (its first two digits, three overseas). None for a
  // code that matches no département.
  std::vector<std::string> communes_near_postcode(std::string_view postcode) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Where a five-character code (two digits, or 2A and 2B, then three
  // digits) would be in by_code_; -1 for any other text.
  static int code_slot(std::string_view code);

  std::vector<CommuneInfo> communes_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
  // Every row of an extract checks a commune code: an array indexed by the
  // code answers without hashing a string (-1: no commune).
  std::vector<int32_t> by_code_;
  std::unordered_multimap<std::string, size_t, Hash, std::equal_to<>> by_postcode_;
};

}  // namespace proactif
