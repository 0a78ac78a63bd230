#include "eval/explanation_json.hpp"

#include <simdjson.h>

namespace proactif {

namespace {

using simdjson::ondemand::object;

std::string text(object& o, const char* key) {
  std::string_view v;
  if (o[key].get_string().get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

// A value kept as JSON text ("null", 20.5, {"p1": ...}, ["aah"], a scale's
// [{"threshold": 0, "amount": 8}, ...]).
std::string raw(object& o, const char* key) {
  simdjson::ondemand::value v;
  if (o[key].get(v) != simdjson::SUCCESS) return "null";
  std::string_view json;
  if (v.type() == simdjson::ondemand::json_type::object) {
    object values = v.get_object();
    json = values.raw_json();
  } else if (v.type() == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array items = v.get_array();
    json = items.raw_json();
  } else {
    json = v.raw_json_token();
    while (!json.empty() && (json.back() == ' ' || json.back() == ',' || json.back() == '\n')) json.remove_suffix(1);
  }
  return std::string(json);
}

}  // namespace

Result<Explanation> explanation_from_json(const std::string& json) {
  Explanation e;
  try {
    simdjson::ondemand::parser parser;
    simdjson::padded_string padded(json);
    auto doc = parser.iterate(padded);
    object root = doc.get_object();
    object algorithm = root["algorithm_contribution"].get_object();
    e.program = text(algorithm, "program");
    e.title = text(algorithm, "title");
    e.authority = text(algorithm, "authority");
    e.algorithm_role = text(algorithm, "role");
    e.date = text(algorithm, "date");
    for (auto r : algorithm["references"].get_array()) e.references.emplace_back(std::string_view(r.get_string()));
    simdjson::ondemand::array to_confirm;  // kept since 2026-12-03
    if (algorithm["to_confirm"].get_array().get(to_confirm) == simdjson::SUCCESS) {
      e.to_confirm_given = true;
      for (auto item : to_confirm) {
        object c = item.get_object();
        e.to_confirm.push_back({text(c, "condition"), text(c, "reference")});
      }
    }
    for (auto item : root["data"].get_array()) {
      object o = item.get_object();
      ExplainedDatum d;
      d.name = text(o, "name");
      d.label = text(o, "label");
      d.value_json = raw(o, "value");
      d.source = text(o, "source");
      bool used = true;
      if (o["used"].get_bool().get(used) != simdjson::SUCCESS) used = true;  // kept before it was recorded
      d.used = used;
      e.data.push_back(std::move(d));
    }
    simdjson::ondemand::object foyer;
    if (root["foyer"].get_object().get(foyer) == simdjson::SUCCESS) {
      ExplainedFoyer f;
      f.label = text(foyer, "label");
      f.reference = text(foyer, "reference");
      for (auto [key, list] : {std::pair{"counted", &f.counted}, std::pair{"not_counted", &f.not_counted},
                               std::pair{"unknown", &f.unknown}})
        for (auto id : foyer[key].get_array()) list->emplace_back(std::string_view(id.get_string()));
      simdjson::ondemand::object why;  // kept since 2026-12-02
      if (foyer["why_not_counted"].get_object().get(why) == simdjson::SUCCESS)
        for (auto field : why)
          f.why_not_counted.emplace_back(std::string(std::string_view(field.unescaped_key())),
                                         std::string(std::string_view(field.value().get_string())));
      e.foyer.push_back(std::move(f));
    }
    for (auto item : root["parameters"].get_array()) {
      object o = item.get_object();
      ExplainedParameter p;
      p.name = text(o, "name");
      p.path = text(o, "path");
      p.description = text(o, "description");
      p.value_json = raw(o, "value");
      p.unit = text(o, "unit");
      p.in_force_since = text(o, "in_force_since");
      p.reference = text(o, "reference");
      e.parameters.push_back(std::move(p));
    }
    for (auto item : root["operations"].get_array()) {
      object o = item.get_object();
      ExplainedOperation op;
      op.name = text(o, "name");
      op.label = text(o, "label");
      op.formula = text(o, "formula");
      op.reference = text(o, "reference");
      op.value_json = raw(o, "value");
      op.unit = text(o, "unit");
      e.operations.push_back(std::move(op));
    }
  } catch (const simdjson::simdjson_error& err) {
    return Error{ErrorKind::kInternal, std::string("a stored explanation is not readable: ") + err.what()};
  }
  return e;
}

}  // namespace proactif
