// proactif catalogue: the national youth simulator's benefits
// (betagouv/aides-jeunes) as programs "aides-jeunes:ID". Each is written
// (rules/aides_jeunes), loaded and compiled together with all the others, as
// a campaign over the whole catalogue would: the report says which load and,
// for each that does not, the condition it uses that cannot be written yet,
// or the checker's error. `--show ID` prints the program a benefit becomes.
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "core/data_paths.hpp"
#include "core/json_text.hpp"
#include "rules/aides_jeunes.hpp"
#include "rules/compiler.hpp"
#include "rules/program_loader.hpp"

namespace fs = std::filesystem;

namespace proactif {

int catalogue_command(const CatalogueArguments& args) {
  const std::string dir = aides_jeunes_dir();
  auto ids = catalogue_benefits(dir);
  if (!ids) {
    std::cerr << "proactif: " << ids.error().message << "\n";
    return 2;
  }
  auto params = ParameterSet::load((fs::path(programs_dir()) / "parameters").string());
  if (!params) {
    std::cerr << "proactif: " << params.error().message << "\n";
    return 2;
  }
  auto territory = Territory::load(territory_dir());
  if (!territory) {
    std::cerr << "proactif: " << territory.error().message << "\n";
    return 2;
  }
  if (!args.show.empty()) {
    CatalogueEntry entry = catalogue_program(dir, args.show, *territory);
    if (!entry.cannot.empty()) {
      std::cerr << "proactif: " << args.show << " cannot be written as a program: " << entry.cannot << "\n";
      return 1;
    }
    std::cout << entry.program_text;
    return 0;
  }
  InputSchema schema;
  CodeTable codes;
  size_t loaded = 0;
  std::vector<CatalogueEntry> refused, noted;
  for (const std::string& id : *ids) {
    CatalogueEntry entry = catalogue_program(dir, id, *territory);
    if (entry.cannot.empty()) {
      auto program = load_program_text(kCataloguePrefix + id, entry.program_text, *params);
      if (!program) entry.cannot = program.error().message;
      else if (auto plan = compile_program(*program, schema, codes, &*territory); !plan)
        entry.cannot = plan.error().message;
    }
    if (args.json) {
      std::string line = "{\"id\": " + json_string(id) + ", \"program\": " + json_string(kCataloguePrefix + id) +
                         ", \"loads\": " + (entry.cannot.empty() ? "true" : "false");
      if (!entry.cannot.empty()) line += ", \"cannot\": " + json_string(entry.cannot);
      line += ", \"notes\": [";
      for (size_t i = 0; i < entry.notes.size(); ++i) line += (i ? ", " : "") + json_string(entry.notes[i]);
      std::cout << line << "]}\n";
    }
    if (entry.cannot.empty()) ++loaded;
    else refused.push_back(entry);
    if (!entry.notes.empty()) noted.push_back(std::move(entry));
  }
  if (args.json) return 0;
  std::cout << "aides-jeunes catalogue (" << dir << "): " << ids->size() << " benefits; " << loaded
            << " load as programs aides-jeunes:ID, " << refused.size() << " do not" << (refused.empty() ? "" : ":")
            << "\n";
  for (const auto& e : refused) std::cout << "  " << e.id << ": " << e.cannot << "\n";
  if (!noted.empty()) std::cout << "set aside while loading:\n";
  for (const auto& e : noted)
    for (const auto& n : e.notes) std::cout << "  " << e.id << ": " << n << "\n";
  return 0;
}

}  // namespace proactif
