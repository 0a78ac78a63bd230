// Dated legal parameters, in OpenFisca's YAML layout: a folder is a node, a
// file is a parameter (`values:` keyed by start date, or `brackets:` for a
// scale) or a node of parameters, `index.yaml` describes its folder, and
// `metadata` carries `unit` and `reference`. A real OpenFisca-France file
// loads unchanged. A value is in force from its date until the next one; a
// null value ends it, and so does the next yearly revaluation of an amount
// the law revalues on a fixed day (`metadata.revalued_yearly_on: "MM-DD"`)
// when its new value is not written yet.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace proactif {

struct DatedValue {
  Days start = 0;
  bool is_null = false;
  double number = 0;               // numbers and booleans (1/0)
  std::vector<std::string> codes;  // list-valued parameters (lists of codes)
  bool is_list = false;
  std::string reference;           // "title <href>", as the law text is cited
};

struct ScaleBracket {
  std::vector<DatedValue> threshold;
  std::vector<DatedValue> amount;
};

struct Parameter {
  enum class Kind { kValue, kScale };
  std::string path;  // dotted, from the parameters root
  std::string file;
  int line = 0;
  Kind kind = Kind::kValue;
  std::string description;
  std::string unit;            // metadata.unit as written (currency, /1, year...)
  // metadata.period as written (month, year), the parameter's own or that of
  // the nearest node above it in its file: an amount per month or per year.
  std::string period;
  std::string threshold_unit;  // scales only
  std::vector<DatedValue> values;  // sorted by start
  int revalued_month = 0, revalued_day = 0;  // metadata.revalued_yearly_on, 0 when not revalued so
  std::vector<ScaleBracket> brackets;
};

// The value in force on `date`, or nullptr when none is (not yet defined, or
// ended by a null value).
const DatedValue* value_at(const std::vector<DatedValue>& values, Days date);
// The entry in force on `date`, null ones included (their reference says
// why there is no value), or nullptr before the first.
const DatedValue* entry_at(const std::vector<DatedValue>& values, Days date);

struct ScaleRow {
  double threshold;
  double amount;
  const DatedValue* amount_source;
};
// The scale's brackets in force on `date`, sorted by threshold; an error names
// the bracket that has no value then.
Result<std::vector<ScaleRow>> scale_at(const Parameter& scale, Days date);

class ParameterSet {
 public:
  // Loads every parameter under `root` (a folder or a single file).
  static Result<ParameterSet> load(const std::string& root);
  const Parameter* find(const std::string& path) const;
  size_t size() const { return params_.size(); }

 private:
  std::map<std::string, Parameter> params_;
  friend class ParameterLoader;
};

}  // namespace proactif
