// The true population behind the synthetic extracts: households of a real
// territory's communes, their persons with full identity traits (birth and
// usage names, first names, sex, date and place of birth, NIR), resources,
// studies, and what they receive. The extracts are views of it with the
// defects each administration's files have.
#pragma once

#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "population/territory.hpp"
#include "synth/random.hpp"

namespace proactif::synth {

struct NameBook {
  std::vector<std::string> last, female, male;
  static Result<NameBook> load(const std::string& path);
};

enum class Role { kApplicant, kSpouse, kChild, kOther };

struct TruePerson {
  uint32_t household;
  Role role;
  std::string birth_name, usage_name;  // usage_name empty when none
  std::vector<std::string> first_names;
  char sex;  // 'M' or 'F'
  Days birth;
  std::string birth_place;  // COG commune, or 99xxx for a country
  std::string nir;
  double resources_12m = 0, resources_3m = 0;
  bool student = false;
  std::string scholarship = "none";  // CROUS echelon
  std::string ine;                   // student identifier
  std::string c2s = "none";          // none, free, participation: what the person receives
  bool dependant = false;            // at the applicant's or spouse's charge (children; some other persons under 25)
  std::vector<std::string> minimum_benefits;  // aspa, asi, aah, ass, cej
  bool worked_3m = false;            // a salaried or self-employed activity in the last three months
  bool aah_full_rate = false;        // AAH at full rate or with a pension (AAH beneficiaries)
};

struct TrueHousehold {
  std::string commune;
  std::string housing;  // tenant, owner, free, homeless
  double housing_benefit = 0;
  double quotient_familial = 0;
  bool rsa = false;  // receives the RSA
  uint32_t first_person = 0, persons = 0;
};

// The housing benefit and the RSA are the household's (TrueHousehold):
// nobody in the synthetic world receives either in their own right, so a
// member who forms a foyer of their own truly has neither. The truth's own
// foyers say so, whatever an extract's mapping infers.
struct NoneOfTheirOwn {
  const char* variable;
  double value;
};
inline constexpr NoneOfTheirOwn kNoneOfTheirOwn[] = {{"rsa", 0}, {"housing_benefit_monthly", 0}};

struct TruePopulation {
  Days date;  // the day the extracts describe
  std::vector<TrueHousehold> households;
  std::vector<TruePerson> persons;
};

// `communes`: the territory's communes, drawn in proportion to their population.
TruePopulation draw_population(const std::vector<const CommuneInfo*>& communes, const Territory& territory,
                               const NameBook& names, size_t households, Random& random, Days date);

}  // namespace proactif::synth
