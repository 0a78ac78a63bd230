#include "test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <fstream>
#include <sstream>

#include "core/date.hpp"
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

namespace {

// Communes of the mainland, of an overseas département and of Alsace-Moselle,
// in and out of Grenoble-Alpes Métropole and Brest Métropole.
constexpr const char* kCommunes[] = {"38185", "38151", "38421", "29019", "29212", "97411", "97209",
                                     "67482", "57463", "75056"};

}  // namespace

std::vector<std::string> random_situations(const Compiled& c, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  bool modest = false;  // a household of small resources, so that the RSA's conditions can all be met
  auto value = [&](const InputSlot& slot) -> std::string {
    if (rng() % 6 == 0) return "null";
    switch (slot.type) {
      case Type::kBool: return rng() % 2 ? "true" : "false";
      case Type::kDate: {
        // Before the earliest date the tests evaluate on (2023-06-15).
        Days d = *parse_iso_date("1930-01-01") + static_cast<Days>(rng() % (93 * 365));
        return "\"" + format_iso_date(d) + "\"";
      }
      case Type::kCode:
        if (slot.domain == CodeDomain::kCommune) return std::string("\"") + kCommunes[rng() % 10] + "\"";
        return "\"" + c.codes.name(slot.allowed[rng() % slot.allowed.size()]) + "\"";
      case Type::kCodeList: {  // mostly empty, as most persons receive no minimum benefit
        std::string list = "[";
        for (int32_t code : slot.allowed)
          if (rng() % 8 == 0) list += (list.size() > 1 ? ", \"" : "\"") + c.codes.name(code) + "\"";
        return list + "]";
      }
      default:
        // Whole euros, small amounts (the RSA's three months), and round
        // figures that land exactly on some ceilings.
        if (modest) return std::to_string(rng() % 600);
        switch (rng() % 4) {
          case 0: return std::to_string((rng() % 40) * 500);
          case 1: return std::to_string(rng() % 1500);
          default: return std::to_string(rng() % 25000);
        }
    }
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    modest = rng() % 3 == 0;
    std::string s = "{\"id\": \"h" + std::to_string(i) + "\", \"date\": \"2025-06-15\", \"household\": {";
    bool first = true;
    for (const auto& slot : c.schema.slots) {
      if (slot.entity != Entity::kHousehold) continue;
      s += std::string(first ? "" : ", ") + "\"" + slot.name + "\": " + value(slot);
      first = false;
    }
    s += "}, \"persons\": [";
    size_t persons = 1 + rng() % 9;
    for (size_t p = 0; p < persons; ++p) {
      s += std::string(p ? ", " : "") + "{\"id\": \"p" + std::to_string(p) + "\"";
      for (const auto& slot : c.schema.slots) {
        if (slot.entity != Entity::kPerson) continue;
        std::string v = value(slot);
        // One applicant, first, and at most one spouse, second, as a
        // situation has them (SituationReader refuses the others).
        if (slot.name == "role" && v != "null") {
          static const char* kOthers[] = {"\"child\"", "\"other\""};
          v = p == 0 ? "\"applicant\"" : p == 1 && rng() % 2 ? "\"spouse\"" : kOthers[rng() % 2];
        }
        s += ", \"" + slot.name + "\": " + v;
      }
      s += "}";
    }
    out.push_back(s + "]}");
  }
  return out;
}

}  // namespace proactif::testing
