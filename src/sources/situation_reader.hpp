// Reads situations (CONTRACT.md, one JSON object per line) into a columnar
// batch, extracting only the inputs the programs declare. A malformed line
// is refused whole with the field and the reason, and leaves the batch as it
// was; absent or null fields become unknown values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "core/value_domain.hpp"
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
  bool new_person_id(std::string_view id);  // false when the line already has it

  // A household has one applicant and at most one spouse (CASF L262-2,
  // CSS R861-2): checked where the programs read the role.
  void check_roles(const Batch& batch, size_t first_person) const;

  const InputSchema& schema_;
  const CodeTable& codes_;
  int role_slot_ = -1;
  double applicant_ = -1, spouse_ = -1;
  simdjson::ondemand::parser parser_;
  // Per line, kept to reuse their memory: the keys read (each object's own
  // run, then the situation's), the window dates must lie in once the
  // situation's date is known, dates read before it, and person ids. The
  // views point into the parser's buffers.
  std::vector<std::string_view> keys_, top_keys_;
  std::optional<DateWindow> window_;
  std::vector<std::pair<std::string, Days>> dates_;
  std::vector<std::string_view> person_ids_;
  std::unordered_set<std::string_view> many_person_ids_;
};

}  // namespace proactif
