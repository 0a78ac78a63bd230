// Writes what each administration would send about the true population,
// with the defects its files have, and the mapping to read each one:
//   caf.csv          CAF: allocataires and their households (Windows-1252, ';',
//                    decimal comma, dd/mm/yyyy), quotient familial, RSA, housing,
//                    the allocataire's address, email and mobile number
//   cpam.csv         CPAM: insured persons (UTF-8, ','), NIR, C2S status
//   crous.jsonl      CROUS: scholarship holders and their echelon
//   universites.csv  universities: enrolled students
//   dgfip.csv        tax office: resources of the last 12 months
//   drm.csv          monthly resources (DRM, CNAV): resources of the last 3 months
//   truth.csv        who is who: each record id of each extract per person
//   truth_situations.jsonl
//                    the true households as CONTRACT.md situations, for the
//                    true entitlements (`proactif evaluate`)
// Defect rates are in DefectRates and docs/synthetic-population.md.
#pragma once

#include <string>

#include "core/result.hpp"
#include "synth/population_model.hpp"

namespace proactif::synth {

struct DefectRates {
  double typo = 0.01;                 // a letter substituted, dropped, doubled or swapped in a name
  double first_names_swapped = 0.02;  // first names in another order
  double missing_field = 0.02;        // an optional field left empty
  double stale_address = 0.03;        // the commune of a previous address
  double duplicate = 0.005;           // the same person twice, under two record ids
  double invalid_nir_key = 0.002;     // a NIR whose key does not match
  double day_month_swapped = 0.003;   // birth date with day and month swapped (when both <= 12)
  double newborn_not_declared = 0.2;  // a child under 1 the CAF's household does not list yet (the CPAM covers them)
};

struct ExtractCounts {
  size_t caf = 0, cpam = 0, crous = 0, universites = 0, dgfip = 0, drm = 0;
};

Result<ExtractCounts> write_extracts(const TruePopulation& pop, const Territory& territory, const std::string& dir,
                                     const DefectRates& rates, Random& random);

}  // namespace proactif::synth
