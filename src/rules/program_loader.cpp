#include "rules/program_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/yaml_file.hpp"
#include "rules/parser.hpp"

namespace fs = std::filesystem;

namespace proactif {

const char* entity_name(Entity e) { return e == Entity::kHousehold ? "household" : "person"; }

const char* type_name(Type t) {
  switch (t) {
    case Type::kBool: return "boolean";
    case Type::kNumber: return "number";
    case Type::kDate: return "date";
    case Type::kCode: return "code";
    case Type::kCodeList: return "list of codes";
    case Type::kScale: return "scale";
  }
  return "?";
}

std::string Formula::where(int offset) const {
  SourcePos p = map.at(offset);
  return file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

namespace {

Failure load_failure(std::string message) { return {Error(ErrorKind::kProgram, std::move(message))}; }

class Loader {
 public:
  Loader(const ParameterSet& params, Program& program) : params_(params), program_(program) {}

  void load_file(const std::string& path, bool is_main) {
    std::string text;
    try {
      text = read_config_file(path);
    } catch (const YAML::Exception& e) {
      throw Failure{Error(ErrorKind::kProgram, SourcePosition{path, e.mark.line + 1, e.mark.column + 1}, e.msg)};
    }
    load_text(path, text, is_main);
  }

  // `path` names the text in errors; a program written from another format
  // (the aides-jeunes catalogue) is read from its text, without a file.
  void load_text(const std::string& path, const std::string& text, bool is_main) {
    std::string canonical = fs::weakly_canonical(path).string();
    if (!seen_.insert(canonical).second) return;  // included twice
    YAML::Node root;
    try {
      root = load_yaml_text(text);
    } catch (const YAML::Exception& e) {
      throw Failure{Error(ErrorKind::kProgram, SourcePosition{path, e.mark.line + 1, e.mark.column + 1}, e.msg)};
    }
    std::vector<std::string> lines;
    std::istringstream ls(text);
    for (std::string line; std::getline(ls, line);) lines.push_back(line);
    const fs::path folder = fs::weakly_canonical(is_main ? fs::path(path).parent_path() : fs::path(program_.file).parent_path());
    program_.texts.push_back({fs::path(canonical).lexically_relative(folder).string(), text});
    File f{path, std::move(lines)};
    if (!root.IsMap()) fail(f, root, "a program file must be a mapping of sections");
    static const std::set<std::string> kMainKeys = {
        "id", "title", "authority", "entity", "algorithm_role", "references", "include",
        "parameters", "inputs", "foyer", "variables", "eligibility", "result", "summary", "not_evaluated",
        "automatic_routes"};
    static const std::set<std::string> kModuleKeys = {"include", "parameters", "inputs", "foyer", "variables",
                                                      "summary", "references", "not_evaluated"};
    check_keys(f, root, is_main ? kMainKeys : kModuleKeys, is_main ? "program" : "included file");

    if (is_main) {
      program_.file = path;
      program_.id = required_text(f, root, "id");
      program_.title = required_text(f, root, "title");
      program_.authority = required_text(f, root, "authority");
      program_.algorithm_role = required_text(f, root, "algorithm_role");
      program_.entity = entity_of(f, root["entity"]);
    }
    if (auto refs = root["references"]) {
      for (const auto& r : refs) program_.references.push_back(scalar(f, r, "reference"));
    }
    if (auto ne = root["not_evaluated"]) {
      if (!ne.IsSequence()) fail(f, ne, "not_evaluated lists the conditions the program does not examine");
      for (const auto& item : ne) declaration([&] {
        check_keys(f, item, {"condition", "reference", "when"}, "condition not evaluated");
        program_.not_evaluated.push_back({required_text(f, item, "condition"), required_text(f, item, "reference")});
        if (auto when = item["when"]) {
          // A variable of its own, added once every other is declared.
          VariableDecl v;
          v.name = "a_confirmer_" + std::to_string(program_.not_evaluated.size());
          claim(f, when, v.name);
          v.where = where(f, when);
          v.type = Type::kBool;
          v.label = "Condition à confirmer : " + program_.not_evaluated.back().condition;
          v.reference = program_.not_evaluated.back().reference;
          v.formula = formula(f, when);
          v.for_messages = true;
          unchecked_when_.emplace_back(program_.not_evaluated.size() - 1, std::move(v));
        }
      });
    }
    if (auto inc = root["include"]) {
      for (const auto& i : inc)
        load_file((fs::path(path).parent_path() / scalar(f, i, "include")).string(), false);
    }
    if (auto ps = root["parameters"]) load_params(f, ps);
    if (auto is = root["inputs"]) load_inputs(f, is);
    if (auto fy = root["foyer"]) declaration([&] { load_foyer(f, fy); });
    if (auto vs = root["variables"]) load_variables(f, vs);
    if (is_main) {
      if (auto routes = root["automatic_routes"]) declaration([&] { load_routes(f, routes); });
      for (auto& [condition, v] : unchecked_when_) {
        v.entity = program_.entity;
        program_.not_evaluated[condition].when = static_cast<int>(program_.variables.size());
        program_.variables.push_back(std::move(v));
      }
      for (auto& [exclusion, v] : exclusion_when_) {
        program_.foyer_exclusions[exclusion].when = static_cast<int>(program_.variables.size());
        program_.variables.push_back(std::move(v));
      }
      declaration([&] {
        if (!root["eligibility"]) fail(f, root, "missing section 'eligibility'");
        VariableDecl elig = variable(f, "eligible", root["eligibility"], Type::kBool);
        elig.entity = program_.entity;
        program_.variables.push_back(std::move(elig));
      });
      if (auto rs = root["result"]) load_results(f, rs);
      for (const auto& route : program_.automatic_routes) {
        bool has_variant = std::any_of(program_.results.begin(), program_.results.end(),
                                       [](const ResultDecl& r) { return r.value.name == "variant"; });
        if (!route.variants.empty() && !has_variant)
          throw load_failure(route.where + ": route '" + route.id + "' lists variants but the program has no result 'variant'");
      }
    }
  }

 // Every error found, in the order of the files: each declaration is
  // read on its own, so that one error does not hide the next.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  template <typename Read>
  void declaration(Read&& read) {
    try {
      read();
    } catch (const Failure& f) {
      errors_.push_back(f.error.message);
    }
  }

  struct File {
    std::string path;
    std::vector<std::string> lines;
  };

  [[noreturn]] static void fail(const File& f, const YAML::Node& n, const std::string& what) {
    throw Failure{Error(ErrorKind::kProgram, SourcePosition{f.path, n.Mark().line + 1, n.Mark().column + 1}, what)};
  }
  static std::string where(const File& f, const YAML::Node& n) {
    return f.path + ":" + std::to_string(n.Mark().line + 1);
  }

  static void check_keys(const File& f, const YAML::Node& map, const std::set<std::string>& allowed,
                         const std::string& what) {
    for (const auto& kv : map) {
      auto key = kv.first.as<std::string>();
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(f, kv.first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
      }
    }
  }

  static std::string scalar(const File& f, const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) fail(f, n, what + " must be a text");
    return n.as<std::string>();
  }
  static std::string required_text(const File& f, const YAML::Node& map, const char* key) {
    if (!map[key]) fail(f, map, std::string("missing key '") + key + "'");
    return scalar(f, map[key], key);
  }
  static std::string optional_text(const File& f, const YAML::Node& map, const char* key) {
    return map[key] ? scalar(f, map[key], key) : "";
  }

  static double number(const File& f, const YAML::Node& n, const std::string& what) {
    std::string text = scalar(f, n, what);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
      fail(f, n, what + " must be a number");
    return value;
  }

  // `values` lists the codes, or maps each code to the French label a
  // person reads for it (the order of the file is kept either way: a code
  // list's bits follow it).
  static void read_values(const File& f, const YAML::Node& vals, std::vector<std::string>& codes,
                          std::vector<std::string>& labels) {
    if (vals.IsSequence()) {
      for (const auto& v : vals) {
        codes.push_back(scalar(f, v, "value"));
        labels.emplace_back();
      }
      return;
    }
    if (!vals.IsMap()) fail(f, vals, "values lists the codes, or maps each code to its French label");
    for (const auto& kv : vals) {
      codes.push_back(scalar(f, kv.first, "value"));
      labels.push_back(scalar(f, kv.second, "label of code '" + codes.back() + "'"));
    }
  }

  static Entity entity_of(const File& f, const YAML::Node& n) {
    if (!n) return Entity::kHousehold;
    std::string e = scalar(f, n, "entity");
    if (e == "household") return Entity::kHousehold;
    if (e == "person") return Entity::kPerson;
    fail(f, n, "entity must be 'household' or 'person', not '" + e + "'");
  }

  static Type type_of(const File& f, const YAML::Node& n) {
    if (!n) fail(f, n, "missing key 'type'");
    std::string t = scalar(f, n, "type");
    if (t == "boolean") return Type::kBool;
    if (t == "number") return Type::kNumber;
    if (t == "date") return Type::kDate;
    if (t == "code") return Type::kCode;
    if (t == "code_list") return Type::kCodeList;
    if (t == "scale") return Type::kScale;
    fail(f, n, "type must be boolean, number, date, code, code_list or scale, not '" + t + "'");
  }

  static Unit unit_of(const File& f, const YAML::Node& n) {
    std::string text = scalar(f, n, "unit");
    auto u = Unit::parse(text);
    if (!u) fail(f, n, "unknown unit '" + text + "' (use EUR, month, year, day, person, 1 and '/')");
    return *u;
  }

  void claim(const File& f, const YAML::Node& n, const std::string& name) {
    if (name == "date" || name == "eligible" || name == "persons" || name == "all_persons" || name == "foyer")
      fail(f, n, "'" + name + "' is a reserved name");
    if (!names_.insert(name).second) fail(f, n, "'" + name + "' is declared twice");
  }

  void load_params(const File& f, const YAML::Node& ps) {
    for (const auto& kv : ps) declaration([&] {
      check_keys(f, kv.second, {"path", "unit", "type", "threshold_unit", "bounds", "unknown_when_absent"}, "parameter");
      ParamDecl p;
      p.name = kv.first.as<std::string>();
      claim(f, kv.first, p.name);
      p.where = where(f, kv.first);
      p.path = required_text(f, kv.second, "path");
      p.parameter = params_.find(p.path);
      if (!p.parameter) fail(f, kv.second["path"], "no parameter '" + p.path + "' under the parameters folder");
      p.type = kv.second["type"] ? type_of(f, kv.second["type"])
               : p.parameter->kind == Parameter::Kind::kScale ? Type::kScale
                                                               : Type::kNumber;
      if ((p.type == Type::kScale) != (p.parameter->kind == Parameter::Kind::kScale))
        fail(f, kv.first, "'" + p.path + "' is " +
                              (p.parameter->kind == Parameter::Kind::kScale ? "a scale" : "not a scale"));
      if (auto u = kv.second["unknown_when_absent"]) {
        if (!u.IsScalar() || (u.as<std::string>() != "true" && u.as<std::string>() != "false"))
          fail(f, u, "unknown_when_absent must be true or false");
        p.unknown_when_absent = u.as<std::string>() == "true";
        if (p.unknown_when_absent && p.type != Type::kNumber && p.type != Type::kBool)
          fail(f, u, "only a number or a boolean parameter may be unknown on some dates");
      }
      if (kv.second["unit"]) p.unit = unit_of(f, kv.second["unit"]);
      if (kv.second["threshold_unit"]) p.threshold_unit = unit_of(f, kv.second["threshold_unit"]);
      if (p.type == Type::kScale) {
        std::string b = required_text(f, kv.second, "bounds");
        if (b == "[lower, upper)") p.lower_bound_inclusive = true;
        else if (b == "(lower, upper]") p.lower_bound_inclusive = false;
        else fail(f, kv.second["bounds"], "bounds must be \"[lower, upper)\" or \"(lower, upper]\"");
      }
      // The file's own unit must agree with the program's reading of it.
      if (!p.parameter->unit.empty() && p.type == Type::kNumber) {
        auto file_unit = Unit::parse(p.parameter->unit);
        bool money_file = file_unit && file_unit->exponent(Unit::kEur) == 1;
        bool money_decl = p.unit.exponent(Unit::kEur) == 1;
        if (file_unit && money_file != money_decl)
          fail(f, kv.first, "unit " + p.unit.to_string() + " does not agree with the parameter file's unit '" +
                                p.parameter->unit + "' (" + p.parameter->file + ")");
        // An amount per year read as one per month would be twelve times
        // too large a ceiling.
        const std::string per = p.parameter->period;
        if (money_file && money_decl && !per.empty() &&
            p.unit.exponent(per == "month" ? Unit::kMonth : Unit::kYear) != -1)
          fail(f, kv.first, "unit " + p.unit.to_string() + " does not agree with the parameter file's period '" + per +
                                "' (" + p.parameter->file + "): declare EUR/" + per);
      }
      // Each value applied is cited with the text that sets it (CRPA
      // R311-3-1-2 3°): a value without one would be explained with none.
      auto cited = [&](const std::vector<DatedValue>& values) {
        for (const DatedValue& v : values)
          if (!v.is_null && v.reference.empty())
            fail(f, kv.second["path"], "'" + p.path + "' has a value from " + format_iso_date(v.start) +
                                           " without a reference (metadata.reference in " + p.parameter->file +
                                           "): the text that sets it is required");
      };
      cited(p.parameter->values);
      for (const ScaleBracket& b : p.parameter->brackets) cited(b.threshold), cited(b.amount);
      program_.params.push_back(std::move(p));
    });
  }

  // The datum an input may be fetched as, if its type holds what API
  // Particulier gives for it.
  Datum fetched_datum(const File& f, const YAML::Node& n, const InputDecl& in) {
    const std::string name = scalar(f, n, "api_particulier");
    auto datum = datum_named(name);
    if (!datum) {
      std::string known;
      for (Datum d : all_data()) known += (known.empty() ? "" : ", ") + std::string(datum_name(d));
      fail(f, n, "api_particulier: unknown datum '" + name + "' (known: " + known + ")");
    }
    switch (datum_kind(*datum)) {
      case DatumKind::kMoneyPerMonth:
        if (in.type != Type::kNumber || in.unit.to_string() != "EUR/month")
          fail(f, n, "api_particulier: " + name + " is an amount in EUR/month: the input must be a number in EUR/month");
        break;
      case DatumKind::kBoolean:
        if (in.type != Type::kBool) fail(f, n, "api_particulier: " + name + " is true or false: the input must be a boolean");
        break;
      case DatumKind::kScholarshipStep:
        for (const char* step : {"none", "0bis", "1", "2", "3", "4", "5", "6", "7"})
          if (in.type != Type::kCode || std::find(in.values.begin(), in.values.end(), step) == in.values.end())
            fail(f, n, "api_particulier: " + name + " gives a scholarship step: the input must be a code whose values "
                       "include none, 0bis and 1 to 7 (missing: " + step + ")");
        break;
    }
    return *datum;
  }

  void load_inputs(const File& f, const YAML::Node& is) {
    for (const auto& kv : is) declaration([&] {
      check_keys(f, kv.second,
                 {"entity", "type", "unit", "values", "domain", "label", "source", "dwelling", "minimum", "maximum",
                  "api_particulier", "stated"},
                 "input");
      InputDecl in;
      in.name = kv.first.as<std::string>();
      in.where = where(f, kv.first);
      in.entity = entity_of(f, kv.second["entity"]);
      in.type = type_of(f, kv.second["type"]);
      if (kv.second["unit"]) in.unit = unit_of(f, kv.second["unit"]);
      in.label = optional_text(f, kv.second, "label");
      in.source = optional_text(f, kv.second, "source");
      if (auto d = kv.second["dwelling"]) {
        if (!d.IsScalar() || (d.as<std::string>() != "true" && d.as<std::string>() != "false"))
          fail(f, d, "dwelling must be true or false");
        in.dwelling = d.as<std::string>() == "true";
        if (in.dwelling && in.entity != Entity::kHousehold) fail(f, d, "only a household input describes the dwelling");
      }
      if (auto vals = kv.second["values"]) {
        in.domain = CodeDomain::kListed;
        read_values(f, vals, in.values, in.value_labels);
      }
      if (auto d = kv.second["domain"]) {
        std::string dom = scalar(f, d, "domain");
        if (dom == "commune") in.domain = CodeDomain::kCommune;
        else fail(f, d, "domain must be 'commune' (or give 'values')");
      }
      if (in.type == Type::kCode && in.domain == CodeDomain::kOpen)
        fail(f, kv.first, "a code input needs its 'values' or a 'domain'");
      if (in.type == Type::kCodeList && (in.domain != CodeDomain::kListed || in.values.size() > 52))
        fail(f, kv.first, "a code_list input needs its 'values' (52 at most)");
      if (in.type == Type::kScale) fail(f, kv.first, "an input cannot be a scale");
      std::optional<double> bound[2];
      const char* bound_keys[2] = {"minimum", "maximum"};
      for (int b = 0; b < 2; ++b)
        if (auto n = kv.second[bound_keys[b]]) {
          if (in.type != Type::kNumber) fail(f, n, std::string(bound_keys[b]) + " bounds a number input only");
          bound[b] = number(f, n, bound_keys[b]);
        }
      if (bound[0] && bound[1] && *bound[0] > *bound[1]) fail(f, kv.first, "minimum above maximum");
      in.value_domain = value_domain(in.unit, bound[0], bound[1]);
      if (auto a = kv.second["api_particulier"]) in.api_particulier = fetched_datum(f, a, in);
      if (auto s = kv.second["stated"]) {
        // An input not fetched is answered by the person anyway.
        if (!in.api_particulier) fail(f, s, "stated: only an input fetched from API Particulier may be stated instead");
        in.stated = scalar(f, s, "stated");
        if (in.stated.empty()) fail(f, s, "stated: name the form or text under which the person's statement is taken");
      }
      // The same input may be declared by a program and a file it includes.
      bool merged = false;
      for (const auto& other : program_.inputs) {
        if (other.name != in.name) continue;
        if (other.entity != in.entity || other.type != in.type || !(other.unit == in.unit) ||
            other.dwelling != in.dwelling || other.value_domain.minimum != in.value_domain.minimum ||
            other.value_domain.maximum != in.value_domain.maximum || other.stated != in.stated)
          fail(f, kv.first, "input '" + in.name + "' is declared differently at " + other.where);
        merged = true;
      }
      if (merged) return;
      claim(f, kv.first, in.name);
      program_.inputs.push_back(std::move(in));
    });
  }

  Formula formula(const File& f, const YAML::Node& n) {
    Formula fm;
    fm.text = scalar(f, n, "formula");
    fm.file = f.path;
    fm.map = SourceMap(f.lines, n.Mark().line, n.Mark().column, fm.text);
    LexError err;
    fm.ast = parse_formula(fm.text, err);
    if (!fm.ast) throw load_failure(fm.where(err.offset) + ": " + err.message);
    return fm;
  }

  VariableDecl variable(const File& f, const std::string& name, const YAML::Node& body,
                        std::optional<Type> fixed_type) {
    std::set<std::string> keys = {"entity",          "type",  "unit",   "label",  "reference", "formula",
                                  "if_undetermined", "money", "always", "values"};
    if (name == "foyer") keys.insert("not_counted");  // read by load_foyer
    check_keys(f, body, keys, name == "foyer" ? "foyer" : "variable");
    VariableDecl v;
    v.name = name;
    v.where = where(f, body);
    v.entity = entity_of(f, body["entity"]);
    v.type = fixed_type ? *fixed_type : type_of(f, body["type"]);
    if (body["unit"]) {
      v.unit = unit_of(f, body["unit"]);
      v.has_unit = true;
    }
    v.label = optional_text(f, body, "label");
    v.reference = optional_text(f, body, "reference");
    if (auto vals = body["values"]) {
      if (v.type != Type::kCode) fail(f, vals, "only a code variable or result lists its values");
      read_values(f, vals, v.values, v.value_labels);
    }
    if (!body["formula"]) fail(f, body, "missing key 'formula'");
    v.formula = formula(f, body["formula"]);
    return v;
  }

  void load_variables(const File& f, const YAML::Node& vs) {
    for (const auto& kv : vs) declaration([&] {
      std::string name = kv.first.as<std::string>();
      claim(f, kv.first, name);
      if (!kv.second.IsMap()) fail(f, kv.second, "variable '" + name + "' must be a mapping");
      program_.variables.push_back(variable(f, name, kv.second, std::nullopt));
    });
  }

  // Who forms the foyer: a rule per person, with its article, that every
  // aggregate over `persons` applies.
  void load_foyer(const File& f, const YAML::Node& body) {
    if (program_.foyer >= 0)
      fail(f, body, "the foyer is declared twice (also at " + program_.variables[static_cast<size_t>(program_.foyer)].where + ")");
    if (!body.IsMap()) fail(f, body, "'foyer' must be a mapping with label, reference and formula");
    if (body["entity"] || body["type"]) fail(f, body, "the foyer is a rule per person: it takes no 'entity' or 'type'");
    VariableDecl v = variable(f, "foyer", body, Type::kBool);
    v.entity = Entity::kPerson;
    if (v.reference.empty()) fail(f, body, "the foyer needs the 'reference' of the article that defines it");
    program_.foyer = static_cast<int>(program_.variables.size());
    program_.variables.push_back(std::move(v));
    if (auto reasons = body["not_counted"]) {
      if (!reasons.IsSequence()) fail(f, reasons, "not_counted lists why a person is left out of the foyer");
      for (const auto& item : reasons) {
        if (!item.IsMap()) fail(f, item, "a reason for not counting a person is a mapping with when, reason and reference");
        check_keys(f, item, {"when", "reason", "reference"}, "reason for not counting a person");
        if (!item["when"]) fail(f, item, "a reason for not counting a person needs its 'when'");
        program_.foyer_exclusions.push_back({required_text(f, item, "reason"), required_text(f, item, "reference")});
        // A person variable of its own, added once every other is declared.
        VariableDecl w;
        w.name = "hors_du_foyer_" + std::to_string(program_.foyer_exclusions.size());
        claim(f, item["when"], w.name);
        w.where = where(f, item["when"]);
        w.type = Type::kBool;
        w.entity = Entity::kPerson;
        w.label = "Personne non comptée : " + program_.foyer_exclusions.back().reason;
        w.reference = program_.foyer_exclusions.back().reference;
        w.formula = formula(f, item["when"]);
        w.for_messages = true;
        exclusion_when_.emplace_back(program_.foyer_exclusions.size() - 1, std::move(w));
      }
    }
  }

  // Each route's condition becomes a household variable, `route_<id>`.
  void load_routes(const File& f, const YAML::Node& routes) {
    if (!routes.IsSequence()) fail(f, routes, "automatic_routes lists the routes the law gives for granting the right");
    if (program_.entity != Entity::kHousehold) fail(f, routes, "automatic routes grant a right to a household");
    for (const auto& r : routes) {
      check_keys(f, r, {"id", "label", "reference", "condition", "variants", "events"}, "automatic route");
      AutomaticRoute route;
      route.id = required_text(f, r, "id");
      route.label = required_text(f, r, "label");
      route.reference = required_text(f, r, "reference");
      route.where = where(f, r);
      if (auto vs = r["variants"])
        for (const auto& v : vs) route.variants.push_back(scalar(f, v, "variant"));
      if (auto es = r["events"]) {
        if (!es.IsSequence()) fail(f, es, "events lists the kinds of event at which the route grants ([rsa_granted])");
        for (const auto& e : es) route.events.push_back(scalar(f, e, "event"));
      }
      if (!r["condition"]) fail(f, r, "missing key 'condition' (when the route applies)");
      VariableDecl v;
      v.name = "route_" + route.id;
      claim(f, r["id"], v.name);
      v.where = route.where;
      v.type = Type::kBool;
      v.label = route.label;
      v.reference = route.reference;
      v.formula = formula(f, r["condition"]);
      route.condition = static_cast<int>(program_.variables.size());
      program_.variables.push_back(std::move(v));
      program_.automatic_routes.push_back(std::move(route));
    }
  }

  void load_results(const File& f, const YAML::Node& rs) {
    for (const auto& kv : rs) declaration([&] {
      ResultDecl r;
      std::string name = kv.first.as<std::string>();
      r.value = variable(f, name, kv.second, std::nullopt);
      r.value.entity = program_.entity;
      if (auto u = kv.second["if_undetermined"]) r.if_undetermined = std::make_unique<Formula>(formula(f, u));
      r.money = kv.second["money"] && kv.second["money"].as<bool>();
      r.always = kv.second["always"] && kv.second["always"].as<bool>();
      program_.results.push_back(std::move(r));
    });
  }

  const ParameterSet& params_;
  Program& program_;
  std::set<std::string> names_;
  std::set<std::string> seen_;
  std::vector<std::string> errors_;
  std::vector<std::pair<size_t, VariableDecl>> unchecked_when_;  // not_evaluated's index, its `when`
  std::vector<std::pair<size_t, VariableDecl>> exclusion_when_;  // foyer_exclusions' index, its `when`
};

}  // namespace

namespace {

Result<std::shared_ptr<Program>> load(const std::string& file, const std::string* text, const ParameterSet& params) {
  auto program = std::make_shared<Program>();
  Loader loader(params, *program);
  std::vector<std::string> errors;
  try {
    if (text) loader.load_text(file, *text, true);
    else loader.load_file(file, true);
  } catch (const Failure& f) {
    errors.push_back(f.error.message);
  } catch (const YAML::Exception& e) {
    errors.push_back(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  errors.insert(errors.begin(), loader.errors().begin(), loader.errors().end());
  if (errors.empty()) return program;
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
  return Error{ErrorKind::kProgram, all};
}

}  // namespace

Result<std::shared_ptr<Program>> load_program(const std::string& file, const ParameterSet& params) {
  return load(file, nullptr, params);
}

Result<std::shared_ptr<Program>> load_program_text(const std::string& name, const std::string& text,
                                                   const ParameterSet& params) {
  return load(name, &text, params);
}

}  // namespace proactif
