// What evaluating one program over a batch gives: per decision row (a
// household, or a person for person-level programs) a status, the results,
// and for the rows that need them the missing inputs and the explanation.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "eval/bound_plan.hpp"
#include "eval/explanation.hpp"
#include "population/batch.hpp"

namespace proactif {

enum class Status : uint8_t { kIneligible = 0, kEligible = 1, kUndetermined = 2 };
const char* status_name(Status s);

// An unknown input a decision waits for: which of the program's inputs, and
// for a person's input, which person (index in the batch).
struct MissingInput {
  static constexpr uint32_t kHousehold = UINT32_MAX;
  // In place of an input: the person is outside the program's foyer, so a
  // situation of their own decides for them, not this one.
  static constexpr uint32_t kOutsideFoyer = UINT32_MAX;
  // Or a parameter of the program (its index | kParameter) that has no
  // value on the evaluation date (ParamDecl::unknown_when_absent).
  static constexpr uint32_t kParameter = 0x80000000u;
  // Or the household's data are incomplete (Batch::incomplete[person]).
  static constexpr uint32_t kIncomplete = UINT32_MAX - 1;
  // Or, where no input is missing, a variable or result (its index in
  // Plan::named_value | kNoValue) whose formula gives no value for data
  // that are all known (a scale with no bracket for the value).
  static constexpr uint32_t kNoValue = 0x40000000u;
  uint32_t input;
  uint32_t person;
};

// Whether a person belongs to the foyer the program's law defines.
enum class Membership : uint8_t { kOutside = 0, kMember = 1, kUnknown = 2 };

struct Outcome {
  Entity entity = Entity::kHousehold;
  size_t results = 0;
  std::vector<Status> status;  // per row
  // A column per result, so that the evaluation writes each result in one
  // pass over its rows; an unknown value is NaN, as in the registers. Not
  // initialised before: the evaluation writes every row.
  std::unique_ptr<double[]> values;  // result j of row r at j * rows() + r
  // The missing inputs as the evaluation found them, chunk by chunk (so that
  // the chunks' lists are neither joined nor copied): chunk c holds rows
  // [chunk_first_row[c], chunk_first_row[c + 1]), and row r's missing inputs
  // start at missing_from[r] in its chunk's list.
  std::vector<size_t> chunk_first_row;  // per chunk, then the number of rows
  std::vector<std::vector<MissingInput>> chunk_missing;
  std::unique_ptr<uint32_t[]> missing_from;  // per row
  std::vector<std::unique_ptr<Explanation>> explanations;  // per row, when asked
  // Per person of the batch, when the program defines its foyer; else empty.
  std::vector<Membership> foyer;
  // Per automatic route of the program, per row: its condition certainly holds.
  std::vector<std::vector<uint8_t>> route_holds;
  // Per condition the program does not evaluate, per row: whether it may
  // concern the decision (its `when` true or unknown; always without one).
  // With the explanations only; empty otherwise (every condition may).
  std::vector<std::vector<uint8_t>> unchecked_applies;
  // Per row, with EvalOptions::dwelling: a condition of the eligibility that
  // reads only the dwelling is certainly not met (Plan::dwelling_conditions),
  // so the row is not eligible whatever its other data. Empty otherwise.
  std::vector<uint8_t> dwelling_excluded;

  size_t rows() const { return status.size(); }
  double value(size_t row, size_t result) const { return values[result * rows() + row]; }
  bool is_known(size_t row, size_t result) const { return !std::isnan(value(row, result)); }
  std::span<const MissingInput> missing_of(size_t row) const;
  size_t missing_count() const;
};

struct EvalOptions {
  unsigned threads = 1;
  bool explain = false;
  size_t chunk_households = 1024;
  bool dwelling = false;  // fill Outcome::dwelling_excluded
};

// The missing inputs of a row by the names CONTRACT.md uses
// (household.rsa, persons.p1.resources_12m), sorted; a parameter without
// a value on the date, and a person outside the program's foyer, are named
// with the reason.
std::vector<std::string> missing_names(const Program& program, const Batch& batch, std::span<const MissingInput> missing);

// Evaluates the plan over the batch. A household whose data are incomplete
// (Batch::incomplete) gets undetermined decisions with the reasons among the
// missing inputs, for a program that reads its members.
Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options);

// Whether a program's decisions read the household's members: an aggregate
// over persons, or for a household program, an input per person.
bool reads_members(const Plan& plan);

// Whether a batch's incomplete households leave the program's decisions on
// them undetermined: where it reads their members, and always for persons
// decided alone (what makes one incomplete is about them: a minor).
bool incomplete_matters(const Plan& plan, const Batch& batch);

}  // namespace proactif
