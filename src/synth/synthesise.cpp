#include "synth/synthesise.hpp"

#include <chrono>
#include <sstream>

#include "core/data_paths.hpp"
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
    return Error{ErrorKind::kConfiguration, "no commune in '" + territory_code + "' (a département code such as 38 or 2A, or an EPCI SIREN)"};
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

}  // namespace proactif
