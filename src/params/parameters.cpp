#include "params/parameters.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/yaml_file.hpp"

namespace fs = std::filesystem;

namespace proactif {

const DatedValue* entry_at(const std::vector<DatedValue>& values, Days date) {
  const DatedValue* found = nullptr;
  for (const auto& v : values) {
    if (v.start > date) break;
    found = &v;
  }
  return found;
}

const DatedValue* value_at(const std::vector<DatedValue>& values, Days date) {
  const DatedValue* found = entry_at(values, date);
  return found && !found->is_null ? found : nullptr;
}

Result<std::vector<ScaleRow>> scale_at(const Parameter& scale, Days date) {
  std::vector<ScaleRow> rows;
  for (size_t i = 0; i < scale.brackets.size(); ++i) {
    const DatedValue* t = value_at(scale.brackets[i].threshold, date);
    const DatedValue* a = value_at(scale.brackets[i].amount, date);
    if (!t && !a) continue;  // a bracket not in force on that date
    if (!t || !a)
      return Error{ErrorKind::kProgram, scale.file + ": bracket " + std::to_string(i + 1) + " of " + scale.path +
                   " has no " + (t ? "amount" : "threshold") + " on " + format_iso_date(date)};
    rows.push_back({t->number, a->number, a});
  }
  std::sort(rows.begin(), rows.end(),
            [](const ScaleRow& x, const ScaleRow& y) { return x.threshold < y.threshold; });
  return rows;
}

const Parameter* ParameterSet::find(const std::string& path) const {
  auto it = params_.find(path);
  return it == params_.end() ? nullptr : &it->second;
}

class ParameterLoader {
 public:
  explicit ParameterLoader(ParameterSet& set) : set_(set) {}

  Result<void> load_path(const fs::path& path, const std::string& prefix) {
    if (fs::is_directory(path)) {
      std::vector<fs::path> entries;
      for (const auto& e : fs::directory_iterator(path)) entries.push_back(e.path());
      std::sort(entries.begin(), entries.end());
      for (const auto& e : entries) {
        std::string stem = e.stem().string();
        if (fs::is_directory(e)) {
          if (auto err = load_path(e, join(prefix, stem)); !err.ok()) return err;
        } else if (e.extension() == ".yaml" || e.extension() == ".yml") {
          if (stem == "index") continue;  // a folder's description only
          if (auto err = load_file(e, join(prefix, stem)); !err.ok()) return err;
        }
      }
      return {};
    }
    return load_file(path, prefix.empty() ? path.stem().string() : prefix);
  }

 private:
  static std::string join(const std::string& a, const std::string& b) {
    return a.empty() ? b : a + "." + b;
  }

  Result<void> load_file(const fs::path& file, const std::string& path) {
    YAML::Node root;
    try {
      root = load_yaml_file(file.string());
    } catch (const YAML::Exception& e) {
      return Error{ErrorKind::kProgram, SourcePosition{file.string(), e.mark.line + 1, e.mark.column + 1}, e.msg};
    }
    file_ = file.string();
    try {
      return load_node(root, path, "", YAML::Node());
    } catch (const YAML::Exception& e) {
      return Error{ErrorKind::kProgram, SourcePosition{file_, e.mark.line + 1}, e.msg};
    }
  }

  Error error_at(const YAML::Node& node, const std::string& what) const {
    return Error{ErrorKind::kProgram, SourcePosition{file_, node.Mark().line + 1, node.Mark().column + 1}, what};
  }

  static std::string number_text(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
  }

  static bool is_metadata_key(const std::string& key) {
    return key == "description" || key == "metadata" || key == "documentation" ||
           key == "reference" || key == "file" || key == "label";
  }

  // `period` and `reference`: those of the nearest node above in the file
  // that gives them, for its parameters that do not.
  Result<void> load_node(const YAML::Node& node, const std::string& path, std::string period, YAML::Node reference) {
    if (!node.IsMap()) return error_at(node, "parameter " + path + " must be a mapping");
    if (YAML::Node meta = node["metadata"]) {
      // An amount per month or per year; other periods (OpenFisca's
      // "eternity") say nothing a program's unit could disagree with.
      if (meta["period"] && meta["period"].IsScalar()) {
        const std::string given = meta["period"].as<std::string>();
        period = given == "month" || given == "year" ? given : "";
      }
      if (meta["reference"]) reference = meta["reference"];
    }
    if (node["reference"]) reference = node["reference"];
    if (node["values"] || node["brackets"]) return load_parameter(node, path, period, reference);
    for (const auto& kv : node) {
      auto key = kv.first.as<std::string>();
      if (is_metadata_key(key)) continue;
      if (auto err = load_node(kv.second, join(path, key), period, reference); !err.ok()) return err;
    }
    return {};
  }

  // A reference may be a string, {title, href}, a list of those, or any of
  // them keyed by the date from which it applies.
  static std::string reference_text(const YAML::Node& ref) {
    if (!ref) return "";
    if (ref.IsScalar()) return ref.as<std::string>();
    if (ref.IsSequence()) {
      std::string all;
      for (const auto& r : ref) {
        std::string one = reference_text(r);
        if (!one.empty()) all += (all.empty() ? "" : "; ") + one;
      }
      return all;
    }
    if (ref.IsMap() && (ref["title"] || ref["href"])) {
      std::string title = ref["title"] ? ref["title"].as<std::string>() : "";
      std::string href = ref["href"] ? ref["href"].as<std::string>() : "";
      return href.empty() ? title : title.empty() ? href : title + " <" + href + ">";
    }
    return "";
  }

  static std::string reference_for(const YAML::Node& ref, Days start) {
    if (!ref || !ref.IsMap() || ref["title"] || ref["href"]) return reference_text(ref);
    std::string best;
    Days best_date = INT32_MIN;
    for (const auto& kv : ref) {
      auto date = parse_iso_date(kv.first.as<std::string>());
      if (date && *date <= start && *date >= best_date) {
        best_date = *date;
        best = reference_text(kv.second);
      }
    }
    return best;
  }

  Result<void> read_values(const YAML::Node& values, const YAML::Node& node_ref,
                                   std::vector<DatedValue>& out) {
    if (!values.IsMap()) return error_at(values, "values must be keyed by date");
    for (const auto& kv : values) {
      auto key = kv.first.as<std::string>();
      auto date = parse_iso_date(key);
      if (!date) return error_at(kv.first, "'" + key + "' is not a date (YYYY-MM-DD)");
      DatedValue v;
      v.start = *date;
      YAML::Node body = kv.second;
      YAML::Node raw = body.IsMap() ? body["value"] : body;
      if (body.IsMap() && !body["value"] && body["expected"]) raw = body["expected"];
      if (!raw || raw.IsNull()) {
        v.is_null = true;
      } else if (raw.IsSequence()) {
        v.is_list = true;
        for (const auto& item : raw) v.codes.push_back(item.as<std::string>());
      } else {
        auto text = raw.as<std::string>();
        if (text == "true" || text == "false") {
          v.number = text == "true";
        } else {
          try {
            size_t used = 0;
            v.number = std::stod(text, &used);
            if (used != text.size()) throw std::invalid_argument(text);
          } catch (const std::exception&) {
            return error_at(raw, "'" + text + "' is not a number");
          }
        }
      }
      if (body.IsMap() && body["metadata"] && body["metadata"]["reference"])
        v.reference = reference_text(body["metadata"]["reference"]);
      if (v.reference.empty()) v.reference = reference_for(node_ref, v.start);
      out.push_back(std::move(v));
    }
    std::sort(out.begin(), out.end(),
              [](const DatedValue& a, const DatedValue& b) { return a.start < b.start; });
    return {};
  }

  Result<void> load_parameter(const YAML::Node& node, const std::string& path, const std::string& period,
                              const YAML::Node& ref) {
    Parameter p;
    p.path = path;
    p.period = period;
    p.file = file_;
    p.line = node.Mark().line + 1;
    if (node["description"]) p.description = node["description"].as<std::string>();
    YAML::Node meta = node["metadata"];
    if (meta && meta["unit"]) p.unit = meta["unit"].as<std::string>();
    if (meta && meta["threshold_unit"]) p.threshold_unit = meta["threshold_unit"].as<std::string>();
    if (meta && meta["amount_unit"]) p.unit = meta["amount_unit"].as<std::string>();
    if (node["values"]) {
      if (auto err = read_values(node["values"], ref, p.values); !err.ok()) return err;
      if (meta && meta["revalued_yearly_on"])
        if (auto err = end_at_next_revaluation(meta["revalued_yearly_on"], p); !err.ok()) return err;
    } else {
      p.kind = Parameter::Kind::kScale;
      if (!node["brackets"].IsSequence()) return error_at(node["brackets"], "brackets must be a list");
      for (const auto& b : node["brackets"]) {
        ScaleBracket bracket;
        if (!b["threshold"]) return error_at(b, "a bracket needs a threshold");
        if (auto err = read_values(b["threshold"], ref, bracket.threshold); !err.ok()) return err;
        YAML::Node amount = b["amount"] ? b["amount"] : b["rate"];
        if (!amount) return error_at(b, "a bracket needs an amount or a rate");
        if (auto err = read_values(amount, ref, bracket.amount); !err.ok()) return err;
        p.brackets.push_back(std::move(bracket));
      }
      // The brackets in the order written, thresholds rising, on every date
      // one changes: sorted silently, "0 / 566 / 500" would price a band
      // the author did not write.
      for (const ScaleBracket& b : p.brackets)
        for (const DatedValue& from : b.threshold) {
          const DatedValue* before = nullptr;
          for (const ScaleBracket& c : p.brackets) {
            const DatedValue* t = value_at(c.threshold, from.start);
            if (!t) continue;
            if (before && t->number <= before->number)
              return error_at(node["brackets"], "the thresholds of " + path + " do not rise in the order written on " +
                                                    format_iso_date(from.start) + " (" + number_text(before->number) +
                                                    " then " + number_text(t->number) + ")");
            before = t;
          }
        }
    }
    set_.params_[path] = std::move(p);
    return {};
  }

  // An amount the law revalues every year on a given day (the RSA, the C2S
  // ceilings: on 1 April) is not known past the next revaluation after its
  // last value: read on, it would silently give last year's figure.
  Result<void> end_at_next_revaluation(const YAML::Node& when, Parameter& p) {
    const std::string text = when.as<std::string>();
    auto day = text.size() == 5 && text[2] == '-' ? parse_iso_date("2001-" + text) : std::nullopt;
    if (!day) return error_at(when, "revalued_yearly_on must be a day of the year as MM-DD, not '" + text + "'");
    p.revalued_month = std::stoi(text.substr(0, 2));
    p.revalued_day = std::stoi(text.substr(3, 2));
    if (p.values.empty() || p.values.back().is_null) return {};
    const std::string last = format_iso_date(p.values.back().start);
    int year = std::stoi(last.substr(0, 4));
    if (last.substr(5) >= text) ++year;
    DatedValue end;
    end.start = *parse_iso_date(std::to_string(year) + "-" + text);
    end.is_null = true;
    end.reference = "revalorisé chaque année le " + text.substr(3, 2) + "/" + text.substr(0, 2) + " : la valeur en vigueur depuis le " +
                    format_iso_date(end.start) + " n'est pas encore inscrite";
    p.values.push_back(std::move(end));
    return {};
  }

  ParameterSet& set_;
  std::string file_;
};

Result<ParameterSet> ParameterSet::load(const std::string& root) {
  if (!fs::exists(root)) return Error{ErrorKind::kNotFound, root + ": parameters folder not found"};
  ParameterSet set;
  ParameterLoader loader(set);
  if (auto err = loader.load_path(root, ""); !err.ok()) return err.error();
  return set;
}

}  // namespace proactif
