// Runs the programs' readable test cases (programs/<id>/tests.yaml): each
// case is a situation and the decision a legal officer computed by hand from
// the texts. The situation goes through the same reader and engine as
// `proactif evaluate`.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "core/yaml_file.hpp"
#include "eval/engine.hpp"
#include "eval/decision_json.hpp"
#include "sources/situation_reader.hpp"
#include "sources/yaml_to_json.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

struct Counts {
  size_t passed = 0;
  size_t failed = 0;
};

std::string where(const std::string& file, const YAML::Node& n) {
  return file + ":" + std::to_string(n.Mark().line + 1);
}

// Compares an expected YAML value with the decision's JSON value.
bool same(const YAML::Node& expected, simdjson::ondemand::value actual, std::string& got) {
  using namespace simdjson;
  auto type = actual.type().value();
  got = std::string(std::string_view(actual.raw_json_token()));
  while (!got.empty() && (got.back() == ' ' || got.back() == ',')) got.pop_back();
  if (expected.IsNull()) return type == ondemand::json_type::null;
  const std::string& text = expected.Scalar();
  if (type == ondemand::json_type::number) {
    try {
      return std::fabs(std::stod(text) - double(actual.get_double())) < 0.005;
    } catch (const std::exception&) {
      return false;
    }
  }
  if (type == ondemand::json_type::boolean) return text == (bool(actual.get_bool()) ? "true" : "false");
  if (type == ondemand::json_type::string) return text == std::string_view(actual.get_string());
  return false;
}

// Checks one decision line against `expect`; returns the differences.
std::string compare(const YAML::Node& expect, const std::string& line) {
  using namespace simdjson;
  std::string diff;
  ondemand::parser parser;
  padded_string json(line);
  ondemand::document doc = parser.iterate(json);
  ondemand::object obj = doc.get_object();
  std::string status(std::string_view(obj["status"].get_string()));
  if (expect["status"] && expect["status"].Scalar() != status)
    diff += "  status: expected " + expect["status"].Scalar() + ", got " + status + "\n";
  obj.reset();
  if (auto result = expect["result"]) {
    for (const auto& kv : result) {
      std::string key = kv.first.Scalar(), got = "(absent)";
      obj.reset();
      ondemand::object r = obj["result"].get_object();
      ondemand::value v;
      if (r[key].get(v) != SUCCESS || !same(kv.second, v, got))
        diff += "  result." + key + ": expected " + (kv.second.IsNull() ? "null" : kv.second.Scalar()) + ", got " +
                got + "\n";
    }
  }
  if (auto missing = expect["missing"]) {
    std::vector<std::string> want, have;
    for (const auto& m : missing) want.push_back(m.Scalar());
    obj.reset();
    for (auto m : obj["missing"].get_array()) have.emplace_back(std::string_view(m.get_string()));
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    if (want != have) {
      auto list = [](const std::vector<std::string>& v) {
        std::string s = "[";
        for (const auto& x : v) s += (s.size() > 1 ? ", " : "") + x;
        return s + "]";
      };
      diff += "  missing: expected " + list(want) + ", got " + list(have) + "\n";
    }
  }
  return diff;
}

// What a decision's expectation may say; anything else is a mistake that
// would otherwise check nothing.
std::string decision_fault(const YAML::Node& expect, const std::string& what) {
  if (!expect.IsMap() || expect.size() == 0) return "  " + what + " must be a mapping of status, result, missing\n";
  for (const auto& kv : expect) {
    const std::string key = kv.first.Scalar();
    if (key != "status" && key != "result" && key != "missing")
      return "  " + what + ": unknown key '" + key + "' (known: status, result, missing)\n";
  }
  if (!expect["status"]) return "  " + what + ": no status (the decision computed by hand says one)\n";
  if (expect["result"] && !expect["result"].IsMap()) return "  " + what + ".result must be a mapping\n";
  if (expect["missing"] && !expect["missing"].IsSequence()) return "  " + what + ".missing must be a list\n";
  return "";
}

// A case that could pass without checking anything is refused: unknown
// keys, no expectation or two (case_keys_fault), an expectation of persons
// the situation does not list, or of the household where the program
// decides per person (case_fault, once the situation is read).
std::string case_keys_fault(const YAML::Node& c) {
  if (!c.IsMap()) return "  a case must be a mapping (name, situation, date, expect or error)\n";
  for (const auto& kv : c) {
    const std::string key = kv.first.Scalar();
    if (key != "name" && key != "situation" && key != "date" && key != "expect" && key != "error")
      return "  unknown key '" + key + "' (known: name, situation, date, expect, error)\n";
  }
  if (!c["situation"]) return "  no situation\n";
  if (!c["expect"] == !c["error"]) return "  a case needs either expect (the decision computed by hand) or error\n";
  return "";
}

std::string case_fault(const YAML::Node& c, Entity entity, const std::vector<std::string>& person_ids) {
  if (c["error"]) return "";
  const YAML::Node expect = c["expect"];
  if (entity == Entity::kHousehold) return decision_fault(expect, "expect");
  if (!expect.IsMap() || expect.size() == 0)
    return "  expect must give the decision of each person it checks, by their id (the program decides per person)\n";
  for (const auto& kv : expect) {
    const std::string id = kv.first.Scalar();
    if ((id == "status" || id == "result" || id == "missing") &&
        std::find(person_ids.begin(), person_ids.end(), id) == person_ids.end())
      return "  expect must give the decision of each person it checks, by their id (the program decides per person)\n";
    if (std::find(person_ids.begin(), person_ids.end(), id) == person_ids.end())
      return "  expect: '" + id + "' is not a person of the situation (the program decides per person)\n";
    if (std::string fault = decision_fault(kv.second, "expect." + id); !fault.empty()) return fault;
  }
  return "";
}

void run_file(const fs::path& tests, const fs::path& program, Counts& counts) {
  auto engine = load_engine({program.string()});
  if (!engine) {
    std::cout << "FAIL " << program.string() << ": " << engine.error().message << "\n";
    ++counts.failed;
    return;
  }
  const Engine& e = **engine;
  YAML::Node cases;
  try {
    cases = load_yaml_file(tests.string());
  } catch (const YAML::Exception& ex) {
    std::cout << "FAIL " << tests.string() << ":" << ex.mark.line + 1 << ": " << ex.msg << "\n";
    ++counts.failed;
    return;
  }
  SituationReader reader(e.schema, e.codes);
  if (!cases.IsSequence()) {
    std::cout << "FAIL " << tests.string() << ": a list of cases is expected\n";
    ++counts.failed;
    return;
  }
  for (const auto& c : cases) {
    std::string name = c.IsMap() && c["name"] ? c["name"].Scalar() : where(tests.string(), c);
    // Its keys, before the situation is read: a case expecting an error
    // passes as soon as the situation is refused.
    if (std::string fault = case_keys_fault(c); !fault.empty()) {
      std::cout << "FAIL " << e.plans[0]->program->id << ": " << name << " (" << where(tests.string(), c) << ")\n"
                << fault;
      ++counts.failed;
      continue;
    }
    // A date the case gives and that cannot be read would leave the
    // situation's own: the case would pass without checking the date.
    std::optional<Days> override_date;
    if (c["date"]) {
      override_date = c["date"].IsScalar() ? parse_iso_date(c["date"].Scalar()) : std::nullopt;
      if (!override_date) {
        std::cout << "FAIL " << e.plans[0]->program->id << ": " << name << " (" << where(tests.string(), c["date"]) << ")\n"
                  << "  date: expected YYYY-MM-DD, a day that exists\n";
        ++counts.failed;
        continue;
      }
    }
    std::string json;
    append_yaml_as_json(json, c["situation"]);
    simdjson::padded_string padded(json);
    Batch batch;
    reader.reset(batch);
    Days date = 0;
    auto error = reader.append(std::string_view(padded.data(), padded.size()), padded.size() + simdjson::SIMDJSON_PADDING,
                               batch, override_date, date);
    std::string diff;
    if (error) {
      if (c["error"]) {
        if (error->find(c["error"].Scalar()) == std::string::npos)
          diff = "  error: expected one containing \"" + c["error"].Scalar() + "\", got \"" + *error + "\"\n";
      } else {
        diff = "  the situation was refused: " + *error + "\n";
      }
    } else if (c["error"]) {
      diff = "  expected the situation to be refused (" + c["error"].Scalar() + ")\n";
    } else if (std::string fault = case_fault(c, e.plans[0]->program->entity, batch.person_ids); !fault.empty()) {
      diff = fault;
    } else {
      batch.date = date;
      // As `evaluate` binds it: what depends on a parameter without a value
      // on the date is undetermined, naming it.
      auto bound = bind(*e.plans[0], date, e.codes, true);
      if (!bound) {
        diff = "  " + bound.error().message + "\n";
      } else {
        Outcome outcome = evaluate(*bound, batch, e.codes, {});
        if (outcome.entity == Entity::kHousehold) {
          std::string line;
          append_decision(line, batch.household_ids[0], nullptr, *bound, batch, outcome, 0, e.codes);
          diff = compare(c["expect"], line);
        } else {
          for (size_t p = 0; p < batch.persons(); ++p) {
            auto expect = c["expect"][batch.person_ids[p]];
            if (!expect) continue;
            std::string line;
            append_decision(line, batch.household_ids[0], &batch.person_ids[p], *bound, batch, outcome, p, e.codes);
            std::string d = compare(expect, line);
            if (!d.empty()) diff += "  person " + batch.person_ids[p] + ":\n" + d;
          }
        }
        if (!diff.empty()) {
          std::string line;
          for (size_t r = 0; r < outcome.status.size(); ++r) {
            std::string* pid = outcome.entity == Entity::kPerson ? &batch.person_ids[r] : nullptr;
            append_decision(line, batch.household_ids[0], pid, *bound, batch, outcome, r, e.codes);
          }
          diff += "  decision: " + line;
        }
      }
    }
    std::string id = e.plans[0]->program->id;
    if (diff.empty()) {
      ++counts.passed;
      std::cout << "ok   " << id << ": " << name << "\n";
    } else {
      ++counts.failed;
      std::cout << "FAIL " << id << ": " << name << " (" << where(tests.string(), c) << ")\n" << diff;
    }
  }
}

}  // namespace

int test_command(const std::vector<std::string>& folders) {
  Counts counts;
  for (const auto& arg : folders) {
    std::vector<fs::path> dirs;
    if (fs::is_regular_file(fs::path(arg) / "tests.yaml")) dirs.push_back(arg);
    else if (fs::is_directory(arg))
      for (const auto& d : fs::directory_iterator(arg))
        if (fs::is_regular_file(d.path() / "tests.yaml")) dirs.push_back(d.path());
    if (dirs.empty()) {
      std::cerr << "proactif test: no tests.yaml under " << arg << "\n";
      return 2;
    }
    std::sort(dirs.begin(), dirs.end());
    for (const auto& d : dirs) run_file(d / "tests.yaml", d / "program.yaml", counts);
  }
  std::cout << counts.passed << " passed, " << counts.failed << " failed\n";
  return counts.failed == 0 ? 0 : 1;
}

}  // namespace proactif
