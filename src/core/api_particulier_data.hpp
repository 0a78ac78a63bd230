// What API Particulier can tell about a person, by the names program files
// use (`api_particulier:` on an input), with the route that answers each and
// the kind of value it gives: the program checker refuses an input whose
// type cannot hold it; the client (sources/api_particulier) asks the routes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace proactif {

enum class Datum {
  kQuotientFamilial,   // number, EUR/month (CNAF or MSA)
  kBeneficiaireRsa,    // boolean
  kBeneficiaireC2s,    // boolean
  kBeneficiaireAah,    // boolean
  kStatutEtudiant,     // boolean: enrolled in higher education on the date
  kEchelonBourse,      // code: "none", "0bis", "1"..."7" (CNOUS)
  kBoursierScolaire,   // boolean: a school (collège, lycée) scholarship
};
const char* datum_name(Datum d);
std::optional<Datum> datum_named(const std::string& name);
std::vector<Datum> all_data();


// The kind of value a datum gives, for the checker.
enum class DatumKind { kMoneyPerMonth, kBoolean, kScholarshipStep };
DatumKind datum_kind(Datum d);

struct DatumRoute {
  Datum datum;
  const char* name;
  const char* by_identity;  // route asked with the identité pivot
  const char* by_ine;       // route asked with a student's INE, or nullptr
  const char* provider;
  DatumKind kind;
  const char* document;     // what a person brings when it cannot be fetched
};
const DatumRoute& route_of(Datum d);

// Where a fetched datum comes from, as an explanation says it: "CNAF, par
// API Particulier (/v3/dss/quotient_familial/identite), obtenu le 30/11/2026".
std::string fetched_from(const std::string& provider, const std::string& route, const std::string& fetched_on);

}  // namespace proactif
