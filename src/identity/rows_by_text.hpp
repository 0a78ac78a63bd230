// Whose a row may be that could not be read field by field: a row of a file
// that lists persons alone whose fields ran together (two separators
// missing: "BERNETSIXTE1980-06-05"), or whose moved fields and a typo left
// no reading resembling anyone. Its text still holds a person's family name
// with their birth date, or run into one of their first names: that person's
// household is not to be decided as if the row, and what it held, did not
// exist.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/string_pool.hpp"
#include "identity/linkage.hpp"

namespace proactif {

class RowsByText {
 public:
  // `texts` holds the records' normalised traits (IdentityReader); both
  // must outlive this.
  RowsByText(const std::vector<IdentityRecord>& records, const StringPool& texts, const LinkageResult& linkage);
  // The persons, with no record of `source` (the row's own extract: its
  // person's row was set aside), one of whose family names is in `text`
  // with their birth date, or right before or after one of their first
  // names.
  std::vector<uint32_t> persons_named_in(std::string_view text, uint32_t source) const;

 private:
  const std::vector<IdentityRecord>& records_;
  const StringPool& texts_;
  const LinkageResult& linkage_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_family_name_;  // key -> records
  std::vector<uint64_t> sources_;  // per person: bit s % 64 for each extract s with a record of theirs
};

}  // namespace proactif
