#include "test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eval/decision_json.hpp"
#include "rules/compiler.hpp"
#include "rules/program_loader.hpp"
#include "sources/situation_reader.hpp"

namespace fs = std::filesystem;

namespace proactif::testing {

std::string temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "proactif-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  if (!made) throw std::runtime_error("mkdtemp failed");
  static std::vector<std::string> made_dirs;
  struct Cleanup {
    ~Cleanup() {
      for (const auto& d : made_dirs) fs::remove_all(d);
    }
  };
  static Cleanup cleanup;
  made_dirs.push_back(made);
  return made;
}

void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

const Territory& territory() {
  static const Territory t = [] {
    auto loaded = Territory::load(PROACTIF_TERRITORY_DIR);
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(*loaded);
  }();
  return t;
}

std::unique_ptr<Compiled> compile_text(const std::string& program_yaml, const std::string& params_dir, bool optimise) {
  auto c = std::make_unique<Compiled>();
  std::string dir = params_dir.empty() ? std::string(PROACTIF_SOURCE_DIR) + "/programs/parameters" : params_dir;
  auto params = ParameterSet::load(dir);
  if (!params) {
    c->error = params.error().message;
    return c;
  }
  c->params = std::make_unique<ParameterSet>(std::move(*params));
  std::string file = temp_dir() + "/program.yaml";
  write_file(file, program_yaml);
  auto program = load_program(file, *c->params);
  if (!program) {
    c->error = program.error().message;
    return c;
  }
  auto plan = compile_program(*program, c->schema, c->codes, &territory(), optimise);
  if (!plan) {
    c->error = plan.error().message;
    return c;
  }
  c->plan = *plan;
  return c;
}

Evaluated evaluate_json(Compiled& c, const std::vector<std::string>& situations, const EvalOptions& options) {
  Evaluated e;
  SituationReader reader(c.schema, c.codes);
  reader.reset(e.batch);
  Days date = 0;
  for (const auto& s : situations) {
    std::string padded = s + std::string(simdjson::SIMDJSON_PADDING, ' ');
    auto error = reader.append(std::string_view(padded.data(), s.size()), padded.size(), e.batch, std::nullopt, date);
    if (error) throw std::runtime_error("situation refused: " + *error);
    e.batch.date = date;
  }
  auto bound = bind(*c.plan, e.batch.date, c.codes);
  if (!bound) throw std::runtime_error(bound.error().message);
  e.outcome = evaluate(*bound, e.batch, c.codes, options);
  for (size_t r = 0; r < e.outcome.status.size(); ++r) {
    std::string line;
    size_t h = r;
    const std::string* person = nullptr;
    if (e.outcome.entity == Entity::kPerson) {
      person = &e.batch.person_ids[r];
      h = static_cast<size_t>(std::upper_bound(e.batch.person_offsets.begin(), e.batch.person_offsets.end(),
                                               static_cast<uint32_t>(r)) - e.batch.person_offsets.begin()) - 1;
    }
    append_decision(line, e.batch.household_ids[h], person, *bound, e.batch, e.outcome, r, c.codes);
    e.lines.push_back(line);
  }
  return e;
}

}  // namespace proactif::testing

namespace proactif::testing {

std::string read_program(const std::string& id) {
  std::string dir = std::string(PROACTIF_SOURCE_DIR) + "/programs/" + id;
  std::ifstream in(dir + "/program.yaml");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  for (size_t at; (at = text.find("../common/")) != std::string::npos;)
    text.replace(at, 10, std::string(PROACTIF_SOURCE_DIR) + "/programs/common/");
  return text;
}

}  // namespace proactif::testing
