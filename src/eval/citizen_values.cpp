#include "eval/citizen_values.hpp"

#include <simdjson.h>

#include "core/date.hpp"
#include "core/french_writing.hpp"
#include "eval/explanation_text.hpp"
#include "population/batch.hpp"
#include "population/territory.hpp"

namespace proactif::citizen {

namespace {

Json to_json(simdjson::dom::element element) {
  Json j;
  simdjson::dom::array array;
  simdjson::dom::object object;
  std::string_view text;
  if (element.get(array) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kList;
    for (simdjson::dom::element item : array) j.items.push_back({"", to_json(item)});
  } else if (element.get(object) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kObject;
    for (simdjson::dom::key_value_pair field : object) j.items.push_back({std::string(field.key), to_json(field.value)});
  } else if (element.get(text) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kText;
    j.text = std::string(text);
  } else if (element.get(j.flag) == simdjson::SUCCESS) {
    j.kind = Json::Kind::kBool;
  } else if (element.get(j.number) == simdjson::SUCCESS) {  // integers too
    j.kind = Json::Kind::kNumber;
  }
  return j;
}

}  // namespace

Json parse(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(text).get(element) != simdjson::SUCCESS) return {};
  return to_json(element);
}

Unit unit_named(const std::string& text) {
  auto unit = Unit::parse(text);
  return unit ? *unit : Unit();
}

std::string code_label(const std::vector<std::string>& values, const std::vector<std::string>& labels,
                       const std::string& code) {
  for (size_t i = 0; i < values.size() && i < labels.size(); ++i)
    if (values[i] == code && !labels[i].empty()) return labels[i];
  return kNoLabel;
}

bool is_rate(const ParamDecl* d) { return d && d->parameter && d->parameter->unit == "/1"; }

const ParamDecl* param_decl(const Program* p, const std::string& name) {
  if (p)
    for (const auto& d : p->params)
      if (d.name == name) return &d;
  return nullptr;
}

// The explanation names a value's origin for an agent (trace.cpp): "CAF,
// extrait « allocataires » du 2025-06-15 (work/extracts/caf.csv), ligne 2",
// "… : absent de cet extrait", "CAF — situation déclarée (situations.jsonl)".
// A person reads the administration and its file, dated, without path or
// line: "CAF, fichier des allocataires du 15/06/2025". Empty when no file
// gave the value.
std::string readable_source(std::string s) {
  if (s == "aucune source ne le donne") return "";
  const bool own_foyer = s.ends_with(kOwnFoyerValue);
  if (own_foyer) s.resize(s.size() - std::string(kOwnFoyerValue).size());
  const std::string absent = " : absent de cet extrait";
  const bool missing_there = s.ends_with(absent);
  if (missing_there) s.resize(s.size() - absent.size());
  if (auto line = s.rfind(", ligne "); line != std::string::npos) s.resize(line);
  // Paths of files, API routes and "(entrée standard)" are for agents; the
  // provider API Particulier asked stays, its route left out ("(/v3/...,
  // fournisseur : ministère de l'Enseignement supérieur (MESR))"). A
  // parenthesis ends where the ones it holds are closed.
  for (size_t open = s.find(" ("); open != std::string::npos;) {
    size_t close = open + 2;
    for (int depth = 1; close < s.size() && (s[close] != ')' || --depth > 0); ++close)
      if (s[close] == '(') ++depth;
    if (close >= s.size()) break;
    const std::string inside = s.substr(open + 2, close - open - 2);
    const std::string provider = "fournisseur : ";
    if (const size_t named = inside.find(provider); named != std::string::npos && named > 0) {
      s.replace(open, close - open + 1, " (" + inside.substr(named) + ")");
      open += 2;
    } else if (inside.find_first_of("/.") != std::string::npos || inside == "entrée standard") {
      s.erase(open, close - open + 1);
    } else {
      ++open;
    }
    open = s.find(" (", open);
  }
  if (auto dash = s.find(" — "); dash != std::string::npos) s.replace(dash, std::string(" — ").size(), ", ");
  if (auto snapshot = s.find(", population snapshot"); snapshot != std::string::npos) s.erase(snapshot);
  const std::string extract = ", extrait « ";
  if (auto at = s.find(extract); at != std::string::npos) {
    const size_t name_start = at + extract.size(), name_end = s.find(" »", name_start);
    if (name_end != std::string::npos) {
      const std::string name = s.substr(name_start, name_end - name_start);
      std::string date = s.substr(name_end + std::string(" »").size());
      if (date.starts_with(" du ")) {
        auto day = parse_iso_date(date.substr(4, 10));
        date = day ? " du " + format_french_date(*day) : date;
      }
      // "fichier des allocataires", "fichier des revenus": the extracts are
      // named by what they list, in the plural; another name is quoted.
      const std::string first_word = name.substr(0, name.find(' '));
      const bool plural = first_word.ends_with("s") || first_word.ends_with("x");
      s = s.substr(0, at) + ", fichier " + (plural ? "des " + name : "« " + name + " »") + date;
    }
  }
  if (own_foyer) return s + " (votre inscription dans le dossier d'une autre personne : valeur retenue pour votre propre foyer)";
  return missing_there ? s + " (aucune mention dans ce fichier)" : s;
}

std::string datum_value(const Json& v, const InputDecl* in, const Territory* territory) {
  switch (v.kind) {
    case Json::Kind::kNull: return "donnée manquante";
    case Json::Kind::kBool: return v.flag ? "oui" : "non";
    case Json::Kind::kNumber: return in ? french_quantity(v.number, in->unit, false) : french_number(v.number, 3);
    case Json::Kind::kList: {
      std::vector<std::string> labels;
      for (const auto& [key, item] : v.items) labels.push_back(datum_value(item, in, territory));
      return labels.empty() ? "néant" : french_list(labels);
    }
    case Json::Kind::kText:
      if ((in && in->type == Type::kDate) || (!in && parse_iso_date(v.text))) return french_long_date(v.text);
      if (in && in->domain == CodeDomain::kCommune) {
        const CommuneInfo* c = territory ? territory->find(v.text) : nullptr;
        return c ? c->name + " (" + v.text + ")" : v.text;
      }
      return in ? code_label(in->values, in->value_labels, v.text) : kNoLabel;
    case Json::Kind::kObject: break;
  }
  return kNoLabel;
}

std::string parameter_value(const ExplainedParameter& p, const ParamDecl* d) {
  const Json v = parse(p.value_json);
  if (v.kind == Json::Kind::kNull) return "valeur non connue à cette date";
  if (v.kind == Json::Kind::kNumber) {
    if (d && d->type == Type::kBool) return v.number != 0 ? "oui" : "non";
    return french_quantity(v.number, d ? d->unit : unit_named(p.unit), is_rate(d));
  }
  if (v.kind != Json::Kind::kList) return kNoLabel;
  std::vector<std::string> items;
  for (const auto& [key, item] : v.items) {
    if (item.kind == Json::Kind::kText) {  // a list of codes: départements
      items.push_back(item.text);
      continue;
    }
    // A scale: each amount from its threshold, or above it where a band's
    // ceiling is in it ("(lower, upper]"); the first from its floor.
    double threshold = 0, amount = 0;
    for (const auto& [field, value] : item.items) (field == "threshold" ? threshold : amount) = value.number;
    const bool above = d && !d->lower_bound_inclusive && !items.empty();
    items.push_back(french_quantity(amount, d ? d->unit : unit_named(p.unit), false) +
                    (above ? " au-delà de " : " à partir de ") +
                    french_quantity(threshold, d ? d->threshold_unit : Unit(), false));
  }
  if (items.empty()) return "néant";
  if (v.items.front().second.kind == Json::Kind::kText) return french_list(items);
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ; ") + item;
  return out;
}

std::string operation_value(const Json& v, const ExplainedOperation& o, const VariableDecl* decl, bool result,
                            bool rate) {
  switch (v.kind) {
    case Json::Kind::kNull:
      return decl && decl->type == Type::kBool && !result ? "condition inconnue, des données manquent"
                                                          : "valeur inconnue, des données manquent";
    case Json::Kind::kBool:
      if (result) return v.flag ? "oui" : "non";
      return v.flag ? "condition remplie" : "condition non remplie";
    case Json::Kind::kNumber: return french_quantity(v.number, unit_named(o.unit), rate);
    case Json::Kind::kText:
      if (decl && decl->type == Type::kDate) return french_long_date(v.text);
      return decl ? code_label(decl->values, decl->value_labels, v.text) : kNoLabel;
    default: return kNoLabel;
  }
}

Json for_reader(const Json& v, const std::string& reader) {
  if (v.kind != Json::Kind::kObject) return v;
  for (const auto& [id, value] : v.items)
    if (id == reader) return value;
  return v.items.empty() ? Json{} : v.items.front().second;
}

}  // namespace proactif::citizen
