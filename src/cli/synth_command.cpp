// proactif synth: writes a synthetic population's extracts for a real
// territory, with their mappings and the ground truth (see synth/).
#include <chrono>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "eval/program_catalog.hpp"
#include "synth/extracts.hpp"


namespace proactif {

Result<std::string> synthesise(const std::string& territory_code, size_t households, uint64_t seed, Days date,
                               const std::string& out) {
  auto territory = Territory::load(territory_dir());
  if (!territory) {
    return territory.error();
  }
  std::vector<const CommuneInfo*> communes;
  for (const auto& c : territory->communes())
    if (c.population > 0 && (c.departement == territory_code || c.epci == territory_code)) communes.push_back(&c);
  if (communes.empty()) {
    return Error{"no commune in '" + territory_code + "' (a département code such as 38 or 2A, or an EPCI SIREN)"};
  }
  auto names = synth::NameBook::load(names_file());
  if (!names) {
    return names.error();
  }
  auto start = std::chrono::steady_clock::now();
  synth::Random random(seed);
  synth::TruePopulation pop = synth::draw_population(communes, *territory, *names, households, random, date);
  auto counts = synth::write_extracts(pop, *territory, out, synth::DefectRates{}, random);
  if (!counts) {
    return counts.error();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ostringstream summary;
  summary << "synthetic population of " << territory_code << " (" << communes.size() << " communes): "
            << pop.households.size() << " households, " << pop.persons.size() << " persons, seed " << seed << ", in "
            << seconds << " s\n"
            << "  caf.csv " << counts->caf << " rows, cpam.csv " << counts->cpam << ", crous.jsonl " << counts->crous
            << ", universites.csv " << counts->universites << ", dgfip.csv " << counts->dgfip << ", drm.csv " << counts->drm
            << "\n"
            << "  truth.csv and truth_situations.jsonl hold the ground truth; read the extracts with\n"
            << "  proactif ingest " << out << "/caf.yaml " << out << "/cpam.yaml " << out << "/crous.yaml " << out
            << "/universites.yaml " << out << "/dgfip.yaml " << out << "/drm.yaml\n";
  return summary.str();
}

int synth_command(const Args& args) {
  static constexpr const char* kUsage =
      "usage: proactif synth --territory <département code or EPCI SIREN> --households N --seed S --out DIR\n"
      "                      [--date YYYY-MM-DD]\n";
  std::string territory_code, out, date_text = "2025-06-15";
  size_t households = 0;
  uint64_t seed = 1;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    const std::string& k = args[i];
    const std::string& v = args[i + 1];
    try {
      if (k == "--territory") territory_code = v;
      else if (k == "--households" && number_argument(v, 1, kMaxSyntheticHouseholds))
        households = static_cast<size_t>(*number_argument(v, 1, kMaxSyntheticHouseholds));
      else if (k == "--seed" && number_argument(v, 0, 9e15)) seed = static_cast<uint64_t>(*number_argument(v, 0, 9e15));
      else if (k == "--out") out = v;
      else if (k == "--date") date_text = v;
      else throw std::invalid_argument(k);
    } catch (const std::exception&) {
      std::cerr << "proactif synth: bad argument " << k << " " << v << "\n" << kUsage;
      return 2;
    }
  }
  auto date = parse_iso_date(date_text);
  if (territory_code.empty() || households == 0 || out.empty() || !date || args.size() % 2) {
    std::cerr << kUsage;
    return 2;
  }
  auto summary = synthesise(territory_code, households, seed, *date, out);
  if (!summary) {
    std::cerr << "proactif synth: " << summary.error().message << "\n";
    return 2;
  }
  std::cout << *summary;
  return 0;
}

}  // namespace proactif
