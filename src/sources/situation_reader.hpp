// Reads situations (CONTRACT.md, one JSON object per line) into a columnar
// batch, extracting only the inputs the programs declare. A malformed line
// is refused whole with the field and the reason, and leaves the batch as it
// was; absent or null fields become unknown values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "population/batch.hpp"
#include "population/territory.hpp"
#include "rules/plan.hpp"

namespace proactif {

class SituationReader {
 public:
  SituationReader(const InputSchema& schema, const CodeTable& codes);

  // Prepares an empty batch with one column per input slot.
  void reset(Batch& batch) const;

  // Parses one line and appends it to `batch`. `line` must be followed in
  // memory by simdjson::SIMDJSON_PADDING readable bytes. `date_override`, when
  // set, replaces the situation's own date. Returns an error message, or
  // nothing; `date` receives the situation's evaluation date.
  std::optional<std::string> append(std::string_view line, size_t capacity, Batch& batch,
                                    std::optional<Days> date_override, Days& date);

 private:
  void read_object(simdjson::ondemand::object obj, Entity entity, Batch& batch, size_t row, const std::string& where);

  const InputSchema& schema_;
  const CodeTable& codes_;
  simdjson::ondemand::parser parser_;
};

}  // namespace proactif
