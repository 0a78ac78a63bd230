// Builds the population snapshot from the rows of the extracts read and their
// linkage: households from the extracts that group persons into households
// (the CAF's allocataires), variables from every extract, the first extract
// named that knows a value giving it (with its provenance), identity traits
// left out.
#pragma once

#include <vector>

#include "identity/linkage.hpp"
#include "population/snapshot.hpp"
#include "sources/extract_reader.hpp"

namespace proactif {

// What the snapshot needs of an extract's accepted rows, kept compact (ten
// million rows must fit): identifiers and text interned, no identity traits.
class ReadExtract {
 public:
  ReadExtract(SourceMapping mapping, StringPool& strings);
  void add(const ExtractRow& row);

  struct Value {
    double number;
    uint32_t text;  // in the pool; UINT32_MAX unknown
    bool known;
  };
  SourceMapping mapping;
  ExtractStats stats;
  // Rows set aside that an extract grouping persons into households placed
  // in one: the household is then incomplete.
  struct RejectedMember {
    uint32_t household, person;  // in the pool
    uint32_t line;
    std::string reason;
  };
  std::vector<RejectedMember> rejected;
  void add_rejected(const Rejection& r);
  std::vector<size_t> kept;  // the mapping's columns kept, in order
  std::vector<uint32_t> household, person, line;
  // Per row, the year (two digits) and month of birth its NIR gives, as
  // yy * 100 + mm; 0 without a NIR whose month is a month (one of a person
  // born abroad may give 99, or 20 and more). What settles a birth date two
  // extracts give otherwise.
  std::vector<uint16_t> nir_birth;
  std::vector<Value> values;  // kept.size() per row
  size_t rows() const { return line.size(); }
  const Value& value(size_t row, size_t k) const { return values[row * kept.size() + k]; }

 private:
  StringPool& strings_;
};

// What makes a linked person's household incomplete beyond its own rows: a
// row an extract set aside that may be theirs (place_rejected), a dependant
// of theirs no household extract lists (unlisted_dependants).
struct PersonDoubt {
  uint32_t person;
  std::string reason;  // "a row that may be theirs was rejected at drm.csv line 8: ..."
};

// `linkage.person` lists the persons of all rows of `extracts`, extract after
// extract. `strings` is the pool the extracts interned into; it becomes the
// snapshot's.
Snapshot build_snapshot(const std::vector<ReadExtract>& extracts, const LinkageResult& linkage, StringPool strings,
                        const std::vector<PersonDoubt>& doubts = {});

}  // namespace proactif
