#include "synth/population_model.hpp"

#include <simdjson.h>

#include <algorithm>
#include <unordered_set>

#include "core/nir.hpp"
#include "synth/calibration.hpp"

namespace proactif::synth {

namespace c = calibration;

Result<NameBook> NameBook::load(const std::string& path) {
  using namespace simdjson;
  NameBook book;
  padded_string json;
  if (padded_string::load(path).get(json) != SUCCESS)
    return Error{ErrorKind::kNotFound, path + ": cannot read the names of the synthetic population (run scripts/setup.sh)"};
  ondemand::parser parser;
  try {
    ondemand::document doc = parser.iterate(json);
    auto read = [&](const char* key, std::vector<std::string>& out) {
      for (auto v : doc[key].get_array()) out.emplace_back(std::string_view(v.get_string()));
    };
    read("last", book.last);
    read("female", book.female);
    read("male", book.male);
  } catch (const simdjson_error& e) {
    return Error{ErrorKind::kInput, path + ": " + e.what()};
  }
  if (book.last.empty() || book.female.empty() || book.male.empty()) return Error{ErrorKind::kInput, path + ": a list of names is empty"};
  return book;
}

namespace {

// French family names are many and spread thin: the most common, Martin,
// is borne by about 0.4 % of people. The list has 150, so a fifth are drawn
// from it with a mild power law (the most common then about 0.7 %) and the
// rest made by joining the start of one and the end of another, for a long
// tail of about 20 000 names.
std::string surname(const NameBook& names, Random& r) {
  auto pick = [&] { return names.last[static_cast<size_t>(std::pow(r.uniform(), 1.5) * static_cast<double>(names.last.size()))]; };
  if (r.chance(0.2)) return pick();
  std::string a = pick(), b = pick();
  std::string joined = a.substr(0, std::max<size_t>(2, a.size() / 2)) + b.substr(b.size() / 2);
  for (size_t i = 1; i < joined.size(); ++i) joined[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(joined[i])));
  return joined;
}

std::vector<std::string> first_names(const NameBook& names, Random& r, char sex) {
  const auto& pool = sex == 'F' ? names.female : names.male;
  std::vector<std::string> out;
  size_t count = r.chance(0.45) ? 1 : r.chance(0.7) ? 2 : 3;
  for (size_t i = 0; i < count; ++i) {
    // The given first name is drawn from the popular end of the list.
    size_t at = static_cast<size_t>(std::pow(r.uniform(), i == 0 ? 1.3 : 1.0) * static_cast<double>(pool.size()));
    out.push_back(pool[at]);
  }
  return out;
}

Days birth_date(Random& r, Days date, int min_age, int max_age) {
  CivilDate today = civil_from_days(date);
  int age = r.between(min_age, max_age);
  Days latest = days_from_civil({today.year - age, today.month, std::min(today.day, 28)});
  return latest - static_cast<Days>(r.below(365));
}

constexpr const char* kCountries[] = {"99350", "99352", "99351", "99139", "99127", "99134", "99109", "99132",
                                      "99216", "99336", "99341", "99400"};

std::string birth_place(Random& r, const std::vector<const CommuneInfo*>& local, const Territory& territory) {
  if (r.chance(c::kBornAbroad)) return kCountries[r.below(std::size(kCountries))];
  if (r.chance(0.6)) return local[r.below(local.size())]->code;
  const auto& all = territory.communes();
  for (;;) {
    const CommuneInfo& any = all[r.below(all.size())];
    if (any.population > 0) return any.code;
  }
}

// NIR: sex, year and month of birth, département and commune of birth (99
// and the country abroad), order number, key.
std::string make_nir(Random& r, char sex, Days birth, const std::string& place) {
  CivilDate b = civil_from_days(birth);
  char body[64];
  std::string dep = place.substr(0, 2), commune = place.substr(2, 3);
  if (place.rfind("97", 0) == 0) dep = place.substr(0, 3), commune = place.substr(3, 2);  // overseas: 3-digit département
  std::snprintf(body, sizeof body, "%c%02d%02d%s%s%03d", sex == 'M' ? '1' : '2', b.year % 100, b.month, dep.c_str(),
                commune.c_str(), r.between(1, 999));
  std::string nir(body, 13);
  int key = *nir_key(nir);
  return nir + (key < 10 ? "0" : "") + std::to_string(key);
}

// Who is at the household's charge, the minimum benefits received, and
// whether the person worked in the last three months.
void draw_benefits(Random& r, TruePerson& p, int age) {
  p.dependant = p.role == Role::kChild || (p.role == Role::kOther && age < 25 && r.chance(c::kOtherYoungDependant));
  if (age < 18) return;
  if (age >= 65 && p.resources_12m < c::kAspaCeilingSingle && r.chance(c::kAspaAmongPoorSeniors))
    p.minimum_benefits.push_back("aspa");
  if (age >= 20 && age < 65 && r.chance(c::kAah)) {
    p.minimum_benefits.push_back("aah");
    p.aah_full_rate = r.chance(c::kAahFullRate);
  }
  if (age >= 20 && age < 65 && r.chance(c::kAsi)) p.minimum_benefits.push_back("asi");
  if (age >= 25 && age < 65 && p.resources_12m < 15000 && r.chance(c::kAss)) p.minimum_benefits.push_back("ass");
  if (age <= 25 && r.chance(c::kCej)) p.minimum_benefits.push_back("cej");
  // A benefit received is a resource: a person on the ASPA has not nothing.
  double at_least = 0;
  for (const std::string& b : p.minimum_benefits)
    at_least = std::max(at_least, b == "aspa"  ? c::kResourcesWithAspa
                                  : b == "aah" ? c::kResourcesWithAah
                                  : b == "asi" ? c::kResourcesWithAsi
                                  : b == "ass" ? c::kResourcesWithAss
                                               : c::kResourcesWithCej);
  p.resources_12m = std::max(p.resources_12m, at_least);
  p.resources_3m = std::max(p.resources_3m, std::round(at_least / 4));
  p.worked_3m = age < 65 && p.resources_3m > 0 && p.minimum_benefits.empty() && r.chance(c::kWorkedAmongEarners);
}

}  // namespace

TruePopulation draw_population(const std::vector<const CommuneInfo*>& communes, const Territory& territory,
                               const NameBook& names, size_t households, Random& r, Days date) {
  TruePopulation pop;
  pop.date = date;
  std::vector<double> weights;
  double total = 0;
  for (const auto* cm : communes) weights.push_back(total += static_cast<double>(std::max<long>(cm->population, 1)));
  std::vector<double> sizes;
  double acc = 0;
  for (double s : c::kHouseholdSize) sizes.push_back(acc += s);

  // Their own stream, so that the households and persons drawn before them stay the same.
  Random benefits(0xB3E7F17 ^ households);
  std::unordered_set<std::string> nirs;
  for (size_t h = 0; h < households; ++h) {
    TrueHousehold hh;
    hh.commune = communes[r.weighted(weights)]->code;
    hh.first_person = static_cast<uint32_t>(pop.persons.size());
    size_t size = r.weighted(sizes) + 1;
    if (size == 5) size += r.below(3);
    bool couple = size == 1 ? false : size == 2 ? r.chance(c::kTwoPersonCouple) : !r.chance(c::kSingleParentLarger);
    std::string family = surname(names, r);
    char first_sex = r.chance(0.5) ? 'M' : 'F';
    bool without_children = size == 1 || (size == 2 && couple);
    bool senior = without_children && r.chance(c::kSeniorSmallHousehold);
    Days adult_birth = senior ? birth_date(r, date, 65, c::kOldestAge)
                              : birth_date(r, date, size == 1 ? 18 : 22, 64);
    for (size_t i = 0; i < size; ++i) {
      TruePerson p;
      p.household = static_cast<uint32_t>(h);
      p.role = i == 0 ? Role::kApplicant : (i == 1 && couple) ? Role::kSpouse : Role::kChild;
      if (p.role == Role::kChild && r.chance(0.05)) p.role = Role::kOther;
      p.sex = i == 0 ? first_sex : p.role == Role::kSpouse ? (r.chance(0.96) ? (first_sex == 'M' ? 'F' : 'M') : first_sex)
                                                           : (r.chance(0.5) ? 'M' : 'F');
      if (p.role == Role::kChild) {
        int parent_age = age_in_years(adult_birth, date);
        p.birth = birth_date(r, date, 0, std::min(c::kOldestChild, std::max(0, parent_age - 18)));
      } else if (p.role == Role::kSpouse) {
        p.birth = adult_birth + static_cast<Days>(r.between(-2500, 2500));
        if (age_in_years(p.birth, date) < 18) p.birth = adult_birth;  // spouses are adults
      } else if (p.role == Role::kOther) {
        p.birth = birth_date(r, date, 18, 85);
      } else {
        p.birth = adult_birth;
      }
      // A spouse keeps a birth name of their own; children take the family name.
      p.birth_name = p.role == Role::kSpouse || p.role == Role::kOther ? surname(names, r) : family;
      if (p.role == Role::kSpouse && p.sex == 'F' && r.chance(c::kUsageNameWomenInCouple)) p.usage_name = family;
      p.first_names = first_names(names, r, p.sex);
      p.birth_place = birth_place(r, communes, territory);
      // A NIR names one person: the order number is drawn again on a collision.
      do p.nir = make_nir(r, p.sex, p.birth, p.birth_place);
      while (!nirs.insert(p.nir).second);
      int age = age_in_years(p.birth, date);
      if (age >= 18) {
        double yearly = r.chance(c::kShareWithoutResources) ? 0 : c::kMedianResources * std::exp(c::kResourcesSigma * r.normal());
        p.resources_12m = std::round(yearly);
        p.resources_3m = std::round(yearly / 4 * (0.8 + 0.4 * r.uniform()));
        double student_share = age <= 24 ? c::kStudentShare18To24 : age <= 29 ? c::kStudentShare25To29 : 0;
        p.student = r.chance(student_share);
        if (p.student) {
          p.resources_12m = std::round(p.resources_12m * 0.2);
          p.resources_3m = std::round(p.resources_3m * 0.2);
          if (r.chance(c::kScholarshipShare)) {
            static constexpr const char* kEchelons[] = {"0bis", "1", "2", "3", "4", "5", "6", "7"};
            p.scholarship = kEchelons[r.below(8)];
          }
          char ine[16];
          std::snprintf(ine, sizeof ine, "%09llu%c%c", static_cast<unsigned long long>(r.below(1000000000)),
                        'A' + static_cast<char>(r.below(26)), 'A' + static_cast<char>(r.below(26)));
          p.ine = ine;
        }
      }
      draw_benefits(benefits, p, age);
      pop.persons.push_back(std::move(p));
    }
    hh.persons = static_cast<uint32_t>(size);
    double u = r.uniform();
    hh.housing = u < c::kFreeShare ? "free" : u < c::kFreeShare + c::kOwnerShare ? "owner" : u < 0.995 ? "tenant" : "homeless";
    // Income per consumption unit, as CAF's quotient familial approximates it.
    double income = 0, parts = couple ? 2 : 1;
    for (uint32_t i = 0; i < hh.persons; ++i) {
      const TruePerson& p = pop.persons[hh.first_person + i];
      income += p.resources_12m;
      if (p.role == Role::kChild || p.role == Role::kOther) parts += i < (couple ? 4u : 3u) ? 0.5 : 1;
    }
    hh.quotient_familial = std::round(income / 12 / parts);
    // Low incomes: housing benefit for tenants, and the RSA for some, with
    // the published non-take-up (the true entitlement comes from the engine).
    bool low = hh.quotient_familial < 700;
    if (hh.housing == "tenant" && low) hh.housing_benefit = std::round(100 + 250 * r.uniform());
    bool rsa_likely = income / 12 < 650 * (1 + 0.5 * (hh.persons > 1) + 0.3 * std::max(0, static_cast<int>(hh.persons) - 2));
    hh.rsa = rsa_likely && r.chance(c::kRsaTakeUp);
    bool c2s_likely = hh.rsa || income < 10500 * (1 + 0.5 * (hh.persons > 1) + 0.3 * std::max(0, static_cast<int>(hh.persons) - 2));
    if (c2s_likely && r.chance(c::kC2sTakeUp))
      for (uint32_t i = 0; i < hh.persons; ++i)
        pop.persons[hh.first_person + i].c2s = hh.rsa || income < 9500 * hh.persons ? "free" : "participation";
    pop.households.push_back(std::move(hh));
  }
  return pop;
}

}  // namespace proactif::synth
