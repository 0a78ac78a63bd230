// A population in columns: households, their persons stored contiguously
// (persons of household h are rows person_offsets[h] .. person_offsets[h+1]),
// and one column per input the programs read. A value the source did not
// give is unknown, never zero or false: it is stored as NaN, so that
// arithmetic carries the unknown along without a branch (see eval/).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace proactif {

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
inline bool is_known(double v) { return !std::isnan(v); }

struct Column {
  std::vector<double> value;  // kUnknown where the value is unknown
};

struct Batch {
  Days date = 0;
  std::vector<uint32_t> person_offsets{0};
  std::vector<Column> inputs;  // one per input slot of the schema
  std::vector<std::string> household_ids;
  std::vector<std::string> person_ids;
  std::string source;  // where the data came from, for explanations

  size_t households() const { return person_offsets.size() - 1; }
  size_t persons() const { return person_offsets.back(); }
};

}  // namespace proactif
