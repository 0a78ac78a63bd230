#include "sources/source_mapping.hpp"

#include "core/confined_path.hpp"
#include "core/yaml_file.hpp"
#include "sources/yaml_fields.hpp"


#include <filesystem>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

namespace fs = std::filesystem;

namespace proactif {

namespace {

std::vector<std::string> list(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n)
    for (const auto& v : n) out.push_back(v.as<std::string>());
  return out;
}

}  // namespace

Result<SourceMapping> load_source_mapping(const std::string& file) {
  SourceMapping m;
  m.mapping_file = file;
  try {
    YAML::Node root = load_yaml_file(file);
    check_yaml_keys(file, root,
               {"file", "source", "extract", "extracted_on", "format", "encoding", "separator", "decimal",
                "date_format", "identifiers", "columns", "contacts", "paths_outside"},
               "source mapping");
    m.file = yaml_text(file, root, "file");
    // The extract sits in the mapping's folder, or in one the mapping lists:
    // a mapping cannot be pointed at any file the service can read.
    PathRules paths;
    paths.base = fs::path(file).parent_path().string();
    if (YAML::Node outside = root["paths_outside"])
      for (const auto& p : outside) paths.outside.push_back(p.as<std::string>());
    auto path = confined_path(paths, m.file, yaml_at(file, root["file"]) + "file");
    if (!path) throw Failure{path.error()};
    m.path = *path;
    m.source = yaml_text(file, root, "source");
    m.extract = yaml_text(file, root, "extract");
    m.extracted_on = yaml_text(file, root, "extracted_on");
    auto extracted_on = parse_iso_date(m.extracted_on);
    if (!extracted_on) throw Failure{yaml_error(file, root["extracted_on"], "extracted_on must be a date YYYY-MM-DD")};
    m.dates = date_window(*extracted_on);
    std::string format = yaml_text(file, root, "format");
    if (format == "csv") m.format = SourceMapping::Format::kCsv;
    else if (format == "jsonl") m.format = SourceMapping::Format::kJsonl;
    else throw Failure{yaml_error(file, root["format"], "format must be csv or jsonl")};
    if (root["encoding"]) m.encoding = yaml_text(file, root, "encoding");
    if (root["separator"]) {
      std::string sep = yaml_text(file, root, "separator");
      if (sep.size() != 1) throw Failure{yaml_error(file, root["separator"], "separator must be one character")};
      m.separator = sep[0];
    }
    if (root["decimal"]) {
      std::string d = yaml_text(file, root, "decimal");
      if (d != "comma" && d != "point") throw Failure{yaml_error(file, root["decimal"], "decimal must be comma or point")};
      m.decimal_comma = d == "comma";
    }
    if (root["date_format"]) {
      std::string d = yaml_text(file, root, "date_format");
      if (d != "dd/mm/yyyy" && d != "yyyy-mm-dd") throw Failure{yaml_error(file, root["date_format"], "date_format must be dd/mm/yyyy or yyyy-mm-dd")};
      m.day_first = d == "dd/mm/yyyy";
    }
    YAML::Node ids = root["identifiers"];
    if (!ids) throw Failure{yaml_error(file, root, "missing key 'identifiers'")};
    check_yaml_keys(file, ids, {"household", "person"}, "identifiers");
    m.household_id = yaml_text(file, ids, "household");
    m.person_id = yaml_text(file, ids, "person", false);
    YAML::Node cols = root["columns"];
    if (!cols || !cols.IsMap()) throw Failure{yaml_error(file, root, "missing mapping 'columns'")};
    std::set<std::string> variables;
    for (const auto& kv : cols) {
      check_yaml_keys(file, kv.second,
                 {"variable", "type", "unit", "required", "min", "max", "values", "recode", "true", "false", "refers_to",
                  "entity", "absent_means", "own_foyer_means", "list_separator"},
                 "column");
      ColumnMapping c;
      c.column = kv.first.as<std::string>();
      c.variable = yaml_text(file, kv.second, "variable");
      if (!variables.insert(c.variable).second) throw Failure{yaml_error(file, kv.first, "variable '" + c.variable + "' is mapped twice")};
      std::string type = yaml_text(file, kv.second, "type");
      static const std::pair<const char*, FieldType> kTypes[] = {
          {"text", FieldType::kText},       {"number", FieldType::kNumber}, {"boolean", FieldType::kBoolean},
          {"date", FieldType::kDate},       {"code", FieldType::kCode},     {"commune", FieldType::kCommune},
          {"nir", FieldType::kNir},         {"code_list", FieldType::kCodeList}};
      bool known = false;
      for (const auto& [name, t] : kTypes)
        if (type == name) {
          c.type = t;
          known = true;
        }
      if (!known) throw Failure{yaml_error(file, kv.second["type"], "type must be text, number, boolean, date, code, code_list, commune or nir")};
      if (kv.second["unit"]) {
        auto u = Unit::parse(yaml_text(file, kv.second, "unit"));
        if (!u) throw Failure{yaml_error(file, kv.second["unit"], "unknown unit")};
        c.unit = *u;
      }
      c.required = kv.second["required"] && kv.second["required"].as<bool>();
      // A number's domain comes from its unit (money: at least 0, to the
      // cent), narrowed by the mapping's min and max, never widened.
      if (c.type == FieldType::kNumber && !kv.second["unit"])
        throw Failure{yaml_error(file, kv.first, "a number column needs its unit (EUR/month, 1...): it sets its domain")};
      c.domain = value_domain(c.unit, std::nullopt, std::nullopt);
      for (const char* bound : {"min", "max"})
        if (kv.second[bound]) {
          const double v = kv.second[bound].as<double>();
          if (!std::isfinite(v)) throw Failure{yaml_error(file, kv.second[bound], std::string(bound) + " must be a finite number")};
          if (bound[1] == 'i') c.domain.minimum = std::max(c.domain.minimum, v);
          else c.domain.maximum = std::min(c.domain.maximum, v);
        }
      if (c.domain.minimum > c.domain.maximum)
        throw Failure{yaml_error(file, kv.first, "min above max (or outside what the unit allows)")};
      c.values = list(kv.second["values"]);
      if (auto recode = kv.second["recode"]) {
        for (const auto& r : recode) {
          c.recode.emplace_back(r.first.as<std::string>(), r.second.as<std::string>());
          if (std::find(c.values.begin(), c.values.end(), c.recode.back().first) == c.values.end())
            throw Failure{yaml_error(file, r.first, "'" + c.recode.back().first + "' is recoded but not among the values")};
        }
      }
      c.true_values = list(kv.second["true"]);
      c.false_values = list(kv.second["false"]);
      if ((c.type == FieldType::kCode || c.type == FieldType::kCodeList) && c.values.empty())
        throw Failure{yaml_error(file, kv.first, "a code column needs its 'values'")};
      if (kv.second["list_separator"]) {
        std::string sep = yaml_text(file, kv.second, "list_separator");
        if (c.type != FieldType::kCodeList || sep.size() != 1 || sep[0] == m.separator)
          throw Failure{yaml_error(file, kv.second["list_separator"], "list_separator: one character, for a code_list column, other than the file's separator")};
        c.list_separator = sep[0];
      }
      if (c.type == FieldType::kBoolean && (c.true_values.empty() || c.false_values.empty()))
        throw Failure{yaml_error(file, kv.first, "a boolean column needs its 'true' and 'false' spellings")};
      c.refers_to = yaml_text(file, kv.second, "refers_to", false);
      if (!c.refers_to.empty() && !described_period(c.refers_to))
        throw Failure{yaml_error(file, kv.second["refers_to"],
                                 "refers_to: the month (YYYY-MM) or the year (YYYY) the values describe, not '" +
                                     c.refers_to + "'")};
      c.absent_means = yaml_text(file, kv.second, "absent_means", false);
      if (!c.absent_means.empty()) {
        bool ok = c.type == FieldType::kBoolean ? (c.absent_means == "true" || c.absent_means == "false")
                  : c.type == FieldType::kNumber ? std::strtod(c.absent_means.c_str(), nullptr) == std::strtod(c.absent_means.c_str(), nullptr) &&
                                                     c.absent_means.find_first_not_of("0123456789.-") == std::string::npos
                  : c.type == FieldType::kCodeList ? c.absent_means == "[]"
                  : c.type == FieldType::kCode;
        if (!ok) throw Failure{yaml_error(file, kv.second["absent_means"], "absent_means must be true or false, a number, a code, or [] for a list, as the column's type")};
        if (c.type == FieldType::kNumber)
          if (std::string fault = domain_fault(std::strtod(c.absent_means.c_str(), nullptr), c.domain); !fault.empty())
            throw Failure{yaml_error(file, kv.second["absent_means"], "absent_means: " + fault)};
      }
      if (kv.second["entity"]) {
        std::string e = yaml_text(file, kv.second, "entity");
        if (e != "household" && e != "person") throw Failure{yaml_error(file, kv.second["entity"], "entity must be household or person")};
        c.household = e == "household";
      }
      if (const std::string means = yaml_text(file, kv.second, "own_foyer_means", false); !means.empty()) {
        const char* where = "own_foyer_means";
        if (!c.household) throw Failure{yaml_error(file, kv.second[where], "own_foyer_means is for a household column (entity: household)")};
        // The whole text a number, as written in decimal ("1-5" is not 1).
        char* end = nullptr;
        const double v = std::strtod(means.c_str(), &end);
        const bool number = means.find_first_not_of("0123456789.-") == std::string::npos && end == means.c_str() + means.size() &&
                            std::isfinite(v);
        if (c.type == FieldType::kBoolean && (means == "true" || means == "false")) c.own_foyer_means = means == "true" ? 1 : 0;
        else if (c.type == FieldType::kNumber && number) c.own_foyer_means = v;
        else throw Failure{yaml_error(file, kv.second[where], "own_foyer_means must be true or false, or a number, as the column's type")};
        if (c.type == FieldType::kNumber)
          if (std::string fault = domain_fault(v, c.domain); !fault.empty())
            throw Failure{yaml_error(file, kv.second[where], std::string(where) + ": " + fault)};
      }
      m.columns.push_back(std::move(c));
    }
    if (YAML::Node contacts = root["contacts"]) {
      static const std::set<std::string> kFields = {"first_names", "name", "usage_name", "address", "town", "email", "mobile"};
      check_yaml_keys(file, contacts, kFields, "contacts");
      for (const std::string& field : kFields)
        if (contacts[field]) m.contacts.push_back({field, yaml_text(file, contacts, field.c_str())});
    }
  } catch (const Failure& b) {
    return b.error;
  } catch (const YAML::Exception& e) {
    return Error{ErrorKind::kConfiguration, SourcePosition{file, e.mark.line + 1, e.mark.column + 1}, e.msg};
  }
  return m;
}

std::optional<DescribedPeriod> described_period(const std::string& refers_to) {
  const bool month = refers_to.size() == 7 && refers_to[4] == '-';
  if (!month && refers_to.size() != 4) return std::nullopt;
  for (size_t i = 0; i < refers_to.size(); ++i)
    if (i != 4 && (refers_to[i] < '0' || refers_to[i] > '9')) return std::nullopt;
  const int year = std::stoi(refers_to.substr(0, 4));
  const int first_month = month ? std::stoi(refers_to.substr(5, 2)) : 1;
  if (year < 1900 || first_month < 1 || first_month > 12) return std::nullopt;
  const int months = month ? 1 : 12;
  // The first day `k` periods on.
  auto start = [&](int k) {
    const int m = first_month - 1 + k * months;
    return days_from_civil({year + m / 12, m % 12 + 1, 1});
  };
  return DescribedPeriod{start(0), start(month ? 2 : 3) - 1};
}

}  // namespace proactif
