#include "eval/engine.hpp"

#include <algorithm>
#include <filesystem>

#include "core/data_paths.hpp"
#include "rules/aides_jeunes.hpp"
#include "rules/compiler.hpp"
#include "rules/program_loader.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

std::string resolve(const std::string& ref) {
  if (fs::is_regular_file(ref)) return ref;
  if (fs::is_directory(ref) && fs::is_regular_file(fs::path(ref) / "program.yaml"))
    return (fs::path(ref) / "program.yaml").string();
  return (fs::path(programs_dir()) / ref / "program.yaml").string();
}

// Every rule cites the text it writes: an explanation names it beside each
// operation (CRPA R311-3-1-2 3° and 4°). Refused wherever a program is
// loaded to decide (`check` alone refused it, and `evaluate` explained
// without it); each rule named at its place.
std::string uncited_rules(const Program& p) {
  std::vector<const VariableDecl*> rules;
  for (const VariableDecl& v : p.variables) rules.push_back(&v);
  for (const ResultDecl& r : p.results) rules.push_back(&r.value);
  std::string out;
  for (const VariableDecl* v : rules)
    if (v->reference.empty() && !v->for_messages)
      out += (out.empty() ? "" : "\n") + v->where + ": '" + v->name + "' cites no text (reference:): every rule cites its article";
  return out;
}

}  // namespace

Result<std::unique_ptr<Engine>> load_engine(const std::vector<std::string>& refs) {
  auto engine = std::make_unique<Engine>();
  auto params = ParameterSet::load((fs::path(programs_dir()) / "parameters").string());
  if (!params) return params.error();
  engine->params = std::make_unique<ParameterSet>(std::move(*params));

  std::vector<std::shared_ptr<Program>> programs;
  // The catalogue's benefits name communes: the territory checks them.
  bool needs_territory = std::any_of(refs.begin(), refs.end(), [](const std::string& r) {
    return r.rfind(kCataloguePrefix, 0) == 0;
  });
  if (needs_territory) {
    auto territory = Territory::load(territory_dir());
    if (!territory) return territory.error();
    engine->territory = std::make_unique<Territory>(std::move(*territory));
  }
  std::vector<std::string> named;  // each ref once: a rules file's events may name one program for several
  for (const auto& ref : refs) {
    if (std::find(named.begin(), named.end(), ref) != named.end()) continue;
    named.push_back(ref);
    if (ref.rfind(kCataloguePrefix, 0) == 0) {
      const std::string id = ref.substr(std::string(kCataloguePrefix).size());
      CatalogueEntry entry = catalogue_program(aides_jeunes_dir(), id, *engine->territory);
      if (!entry.cannot.empty()) return Error{ErrorKind::kProgram, "program '" + ref + "' cannot be loaded: " + entry.cannot};
      auto program = load_program_text(ref, entry.program_text, *engine->params);
      if (!program) return program.error();
      programs.push_back(*program);
      continue;
    }
    std::string file = resolve(ref);
    if (!fs::exists(file)) return Error{ErrorKind::kNotFound, "unknown program '" + ref + "' (no " + file + ")"};
    auto program = load_program(file, *engine->params);
    if (!program) return program.error();
    // Named by its id, the program found there must be that one: a folder
    // holding another program's id would store its decisions, objections
    // and requests under the other's.
    if (file != ref && !fs::is_directory(ref) && (*program)->id != ref)
      return Error{ErrorKind::kProgram, file + ": its id is '" + (*program)->id + "', where the folder '" + ref +
                                            "' names it: a program's folder bears its id"};
    for (const auto& in : (*program)->inputs) needs_territory |= in.domain == CodeDomain::kCommune;
    programs.push_back(*program);
  }
  // Two files of one program (its id and another file with that id) would
  // decide every situation twice, maybe differently.
  for (size_t i = 0; i < programs.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (programs[i]->id == programs[j]->id)
        return Error{ErrorKind::kConfiguration, "program '" + programs[i]->id + "' is named twice ('" + named[j] + "' and '" +
                                                    named[i] + "')"};
  if (needs_territory && !engine->territory) {
    auto territory = Territory::load(territory_dir());
    if (!territory) return territory.error();
    engine->territory = std::make_unique<Territory>(std::move(*territory));
  }
  for (auto& program : programs) {
    if (std::string uncited = uncited_rules(*program); !uncited.empty()) return Error{ErrorKind::kProgram, uncited};
    auto plan = compile_program(program, engine->schema, engine->codes, engine->territory.get());
    if (!plan) return plan.error();
    engine->plans.push_back(*plan);
  }
  return engine;
}

}  // namespace proactif
