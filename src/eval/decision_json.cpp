#include "eval/decision_json.hpp"

#include <simdjson.h>

#include <algorithm>

#include "core/json_text.hpp"

namespace proactif {

namespace {

void append_result_value(std::string& out, const Register& r, const ResultDecl& decl, double v, bool known,
                         const CodeTable& codes) {
  if (!known) {
    out += "null";
    return;
  }
  switch (r.type) {
    case Type::kBool: out += v != 0 ? "true" : "false"; break;
    case Type::kCode: append_json_string(out, codes.name(static_cast<int32_t>(v))); break;
    case Type::kDate: append_json_string(out, format_iso_date(static_cast<Days>(v))); break;
    default:
      if (decl.money) append_json_money(out, v);
      else append_json_number(out, v);
  }
}

void append_string_list(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    append_json_string(out, items[i]);
  }
  out += ']';
}

}  // namespace

void append_result(std::string& out, const BoundPlan& bound, const Outcome& outcome, size_t row,
                   const CodeTable& codes) {
  const Plan& plan = *bound.plan;
  const Program& program = *plan.program;
  Status status = outcome.status[row];
  out += '{';
  bool first = true;
  for (size_t j = 0; j < outcome.results; ++j) {
    const ResultDecl& decl = program.results[j];
    // Results describe a right: they are given when it exists, and also
    // otherwise for results marked `always` (an RSA of 0 €).
    if (status != Status::kEligible && !decl.always) continue;
    if (!first) out += ", ";
    first = false;
    append_json_string(out, decl.value.name);
    out += ": ";
    const Register& r = plan.regs[static_cast<size_t>(plan.result_regs[j])];
    append_result_value(out, r, decl, outcome.value(row, j), outcome.is_known(row, j), codes);
  }
  out += '}';
}

void append_decision(std::string& out, const std::string& situation, const std::string* person,
                     const BoundPlan& bound, const Batch& batch, const Outcome& outcome, size_t row,
                     const CodeTable& codes, bool with_explanation) {
  const Plan& plan = *bound.plan;
  const Program& program = *plan.program;
  Status status = outcome.status[row];
  out += "{\"situation\": ";
  append_json_string(out, situation);
  if (person) {
    out += ", \"person\": ";
    append_json_string(out, *person);
  }
  out += ", \"program\": ";
  append_json_string(out, program.id);
  out += ", \"status\": \"";
  out += status_name(status);
  out += "\", \"result\": ";
  append_result(out, bound, outcome, row, codes);
  out += ", \"missing\": ";
  append_string_list(out, missing_names(program, batch, outcome.missing_of(row)));
  if (!batch.under_review.empty()) {
    // An optional field of the contract, present only when true.
    bool review = false;
    if (person) {
      review = batch.under_review[row];
    } else {
      for (uint32_t p = batch.person_offsets[row]; p < batch.person_offsets[row + 1]; ++p) review |= batch.under_review[p];
    }
    if (review) out += ", \"under_review\": true";
  }
  if (with_explanation && !outcome.explanations.empty() && outcome.explanations[row]) {
    out += ", \"explanation\": ";
    append_explanation_json(out, *outcome.explanations[row]);
  }
  out += "}\n";
}

void append_kept_explanation_json(std::string& out, const Explanation& e) {
  Explanation kept = e;
  for (const ExplainedFoyer& foyer : e.foyer)
    for (const std::string& person : foyer.not_counted) {
      const std::string theirs = "persons." + person + ".";
      std::erase_if(kept.data, [&](const ExplainedDatum& d) { return !d.used && d.name.rfind(theirs, 0) == 0; });
    }
  append_explanation_json(out, kept);
}

void append_explanation_json(std::string& out, const Explanation& e) {
  auto field = [&](const char* key, const std::string& value, bool comma = true) {
    if (comma) out += ", ";
    append_json_string(out, key);
    out += ": ";
    append_json_string(out, value);
  };
  out += "{\"algorithm_contribution\": {";
  field("program", e.program, false);
  field("title", e.title);
  field("authority", e.authority);
  field("role", e.algorithm_role);
  field("date", e.date);
  out += ", \"references\": ";
  append_string_list(out, e.references);
  out += ", \"to_confirm\": [";
  for (size_t i = 0; i < e.to_confirm.size(); ++i) {
    out += i ? ", {" : "{";
    field("condition", e.to_confirm[i].condition, false);
    field("reference", e.to_confirm[i].reference);
    out += "}";
  }
  out += "]}, \"data\": [";
  for (size_t i = 0; i < e.data.size(); ++i) {
    const auto& d = e.data[i];
    out += i ? ", {" : "{";
    field("name", d.name, false);
    field("label", d.label);
    out += ", \"value\": " + d.value_json;
    field("source", d.source);
    out += d.used ? ", \"used\": true}" : ", \"used\": false}";
  }
  out += "]";
  for (const auto& f : e.foyer) {
    out += ", \"foyer\": {";
    field("label", f.label, false);
    field("reference", f.reference);
    out += ", \"counted\": ";
    append_string_list(out, f.counted);
    out += ", \"not_counted\": ";
    append_string_list(out, f.not_counted);
    out += ", \"unknown\": ";
    append_string_list(out, f.unknown);
    out += ", \"why_not_counted\": {";
    for (size_t i = 0; i < f.why_not_counted.size(); ++i) {
      if (i) out += ", ";
      append_json_string(out, f.why_not_counted[i].first);
      out += ": ";
      append_json_string(out, f.why_not_counted[i].second);
    }
    out += "}}";
  }
  out += ", \"parameters\": [";
  for (size_t i = 0; i < e.parameters.size(); ++i) {
    const auto& p = e.parameters[i];
    out += i ? ", {" : "{";
    field("name", p.name, false);
    field("path", p.path);
    field("description", p.description);
    out += ", \"value\": " + p.value_json;
    field("unit", p.unit);
    field("in_force_since", p.in_force_since);
    field("reference", p.reference);
    out += "}";
  }
  out += "], \"operations\": [";
  for (size_t i = 0; i < e.operations.size(); ++i) {
    const auto& o = e.operations[i];
    out += i ? ", {" : "{";
    field("name", o.name, false);
    field("label", o.label);
    field("formula", o.formula);
    field("reference", o.reference);
    out += ", \"value\": " + o.value_json;
    field("unit", o.unit);
    out += "}";
  }
  out += "]}";
}

namespace {

DecisionLine read_decision_line(const std::string& line) {
  DecisionLine out;
  out.text = line.substr(0, line.find('\n'));
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(out.text);
  try {
    auto doc = parser.iterate(json);
    simdjson::ondemand::object o = doc.get_object();
    std::string_view id, status;
    if (o["person"].get_string().get(id) == simdjson::SUCCESS) out.person = std::string(id);
    if (o["status"].get_string().get(status) == simdjson::SUCCESS) out.status = std::string(status);
    simdjson::ondemand::object r = o["result"].get_object();
    out.result = std::string(std::string_view(r.raw_json()));
    for (auto m : o["missing"].get_array()) out.missing.emplace_back(std::string_view(m.get_string()));
  } catch (const simdjson::simdjson_error&) {
    out.result = "{}";
  }
  return out;
}

// The first line `wanted` accepts, or nothing.
template <typename Wanted>
std::optional<DecisionLine> first_line(const std::string& lines, const Wanted& wanted) {
  for (size_t at = 0; at < lines.size();) {
    size_t end = std::min(lines.find('\n', at), lines.size());
    DecisionLine line = read_decision_line(lines.substr(at, end - at));
    if (wanted(line)) return line;
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace

DecisionLine representative_line(const std::string& lines, const std::string& status,
                                 const std::vector<std::string>& persons) {
  auto line = first_line(lines, [&](const DecisionLine& l) {
    return l.status == status && (l.person.empty() || persons.empty() ||
                                  std::find(persons.begin(), persons.end(), l.person) != persons.end());
  });
  return line ? *line : read_decision_line(lines);
}

std::optional<DecisionLine> line_of_person(const std::string& lines, const std::string& person) {
  return first_line(lines, [&](const DecisionLine& l) { return !l.person.empty() && l.person == person; });
}

}  // namespace proactif
