// A population in columns: households, their persons stored contiguously
// (persons of household h are rows person_offsets[h] .. person_offsets[h+1]),
// and one column per input the programs read, with a validity mask (a field
// absent from the source is unknown, never zero or false).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace proactif {

struct Column {
  std::vector<double> value;
  std::vector<uint8_t> known;
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
