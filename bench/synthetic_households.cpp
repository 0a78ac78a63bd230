#include "synthetic_households.hpp"

#include <cstdio>
#include <random>
#include <stdexcept>

namespace proactif::bench {

namespace {

constexpr const char* kCommunes[] = {"38185", "38151", "38421", "29019", "29212", "97411", "67482", "75056", "69123", "13055"};
constexpr const char* kHousing[] = {"tenant", "tenant", "tenant", "owner", "owner", "free", "homeless"};
constexpr const char* kRoles[] = {"spouse", "child", "child", "other"};

// The role of a household's k-th person: the applicant first, then at most
// one spouse (a situation has no other: SituationReader), drawn alike.
const char* role_of(size_t k, size_t drawn) {
  if (k == 0) return "applicant";
  return k > 1 && drawn == 0 ? "other" : kRoles[drawn];
}
constexpr const char* kEchelons[] = {"none", "none", "none", "0bis", "1", "2", "3", "4", "5", "6", "7"};

// One synthetic person or household, drawn once, written either way.
struct Draw {
  std::mt19937_64 rng;
  explicit Draw(uint64_t seed) : rng(seed) {}
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng); }
  size_t pick(size_t n) { return static_cast<size_t>(rng() % n); }
  bool unknown() { return uniform() < 0.1; }
  size_t household_size() {
    // About INSEE's distribution of household sizes (1: 37 %, 2: 33 %, 3: 13 %, 4: 11 %, 5+: 6 %).
    double u = uniform();
    return u < 0.37 ? 1 : u < 0.70 ? 2 : u < 0.83 ? 3 : u < 0.94 ? 4 : 5 + pick(3);
  }
  int birth_year(bool adult) { return adult ? 1940 + static_cast<int>(pick(66)) : 2005 + static_cast<int>(pick(20)); }
  double resources_12m() { return std::round(std::exponential_distribution<double>(1.0 / 14000)(rng)); }
};

}  // namespace

Batch synthetic_batch(const Engine& engine, size_t households, uint64_t seed) {
  Draw d(seed);
  Batch b;
  b.date = *parse_iso_date("2025-06-15");
  b.source = "synthetic";
  b.inputs.assign(engine.schema.slots.size(), Column{});
  std::vector<size_t> sizes(households);
  size_t persons = 0;
  for (auto& s : sizes) persons += s = d.household_size();
  b.person_offsets.reserve(households + 1);
  for (size_t h = 0; h < households; ++h) b.person_offsets.push_back(b.person_offsets.back() + static_cast<uint32_t>(sizes[h]));
  for (size_t s = 0; s < engine.schema.slots.size(); ++s) {
    const InputSlot& slot = engine.schema.slots[s];
    size_t rows = slot.entity == Entity::kHousehold ? households : persons;
    b.inputs[s].value.resize(rows);
  }
  auto code = [&](const char* c) {
    auto id = engine.codes.find(c);
    if (!id) throw std::runtime_error(std::string("code not known to the programs: ") + c);
    return static_cast<double>(*id);
  };
  for (size_t h = 0; h < households; ++h) {
    for (size_t s = 0; s < engine.schema.slots.size(); ++s) {
      const InputSlot& slot = engine.schema.slots[s];
      Column& col = b.inputs[s];
      if (slot.entity == Entity::kHousehold) {
        double v = 0;
        if (slot.name == "commune") v = code(kCommunes[d.pick(10)]);
        else if (slot.name == "housing") v = code(kHousing[d.pick(7)]);
        else if (slot.name == "housing_benefit_monthly") v = d.uniform() < 0.6 ? 0 : 50 + static_cast<double>(d.pick(300));
        else if (slot.name == "quotient_familial") v = 200 + static_cast<double>(d.pick(1300));
        else if (slot.name == "rsa") v = d.uniform() < 0.08;
        else v = d.uniform() < 0.5;
        col.value[h] = d.unknown() && slot.name != "commune" ? kUnknown : v;
        continue;
      }
      for (uint32_t p = b.person_offsets[h]; p < b.person_offsets[h + 1]; ++p) {
        bool first = p == b.person_offsets[h];
        double v = 0;
        if (slot.name == "role") v = code(first ? "applicant" : role_of(p - b.person_offsets[h], d.pick(4)));
        else if (slot.name == "birth_date")
          v = days_from_civil({d.birth_year(first), 1 + static_cast<int>(d.pick(12)), 1 + static_cast<int>(d.pick(28))});
        else if (slot.name == "resources_12m") v = first ? d.resources_12m() : 0;
        else if (slot.name == "resources_3m") v = first ? std::round(d.resources_12m() / 4) : 0;
        else if (slot.name == "scholarship_echelon") v = code(kEchelons[d.pick(11)]);
        else if (slot.name == "minimum_benefits")  // a bit per benefit; most receive none
          v = d.uniform() < 0.03 ? static_cast<double>(uint64_t{1} << d.pick(slot.allowed.size())) : 0;
        else if (slot.name == "worked_3m") v = d.uniform() < 0.6;
        else if (slot.name == "dependant" || slot.name == "aah_full_rate") v = d.uniform() < 0.5;
        else v = d.uniform() < 0.1;
        col.value[p] = d.unknown() && slot.name != "role" ? kUnknown : v;
      }
    }
  }
  for (size_t h = 0; h < households; ++h) b.household_ids.push_back("h" + std::to_string(h));
  for (size_t p = 0; p < persons; ++p) b.person_ids.push_back("p" + std::to_string(p));
  return b;
}

void write_situations(const std::string& path, size_t households, uint64_t seed) {
  Draw d(seed);
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  std::string line;
  for (size_t h = 0; h < households; ++h) {
    line = "{\"id\": \"h" + std::to_string(h) + "\", \"date\": \"2025-06-15\", \"household\": {\"commune\": \"" +
           kCommunes[d.pick(10)] + "\", \"housing\": \"" + kHousing[d.pick(7)] + "\", \"housing_benefit_monthly\": " +
           (d.uniform() < 0.6 ? "0" : std::to_string(50 + d.pick(300))) + ", \"quotient_familial\": " +
           std::to_string(200 + d.pick(1300)) + ", \"rsa\": " + (d.unknown() ? "null" : d.uniform() < 0.08 ? "true" : "false") +
           "}, \"persons\": [";
    size_t n = d.household_size();
    for (size_t p = 0; p < n; ++p) {
      bool first = p == 0;
      CivilDate birth{d.birth_year(first), 1 + static_cast<int>(d.pick(12)), 1 + static_cast<int>(d.pick(28))};
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", birth.year, birth.month, birth.day);
      line += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\", \"role\": \"" +
              (first ? "applicant" : role_of(p, d.pick(4))) + "\", \"birth_date\": \"" + date + "\", \"resources_12m\": " +
              (d.unknown() ? "null" : std::to_string(first ? static_cast<long>(d.resources_12m()) : 0)) +
              ", \"resources_3m\": " + std::to_string(first ? static_cast<long>(d.resources_12m() / 4) : 0) +
              ", \"student\": " + (d.uniform() < 0.1 ? "true" : "false") +
              ", \"minimum_benefits\": " + (d.uniform() < 0.03 ? "[\"aspa\"]" : "[]") +
              ", \"worked_3m\": " + (d.uniform() < 0.6 ? "true" : "false") +
              ", \"dependant\": " + (d.uniform() < 0.5 ? "true" : "false") + "}";
    }
    line += "]}\n";
    std::fwrite(line.data(), 1, line.size(), f);
  }
  std::fclose(f);
}

}  // namespace proactif::bench
