// The population the engine evaluates, built from linked extracts: one
// household per CAF allocataire (a person no CAF household holds lives alone),
// each person's and household's variables in columns, and for each value the
// extract and line it came from (provenance). Identity traits used for the
// linkage are not kept: programs do not read them. Text values are interned.
// Saved to and loaded from one binary file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/string_pool.hpp"

namespace proactif {

struct SnapshotSource {
  std::string source, extract, extracted_on, file;
  // What ingestion made of the extract, kept with the population it built.
  uint64_t rows_read = 0, rows_accepted = 0, rows_rejected = 0;
  // A datum asked of API Particulier rather than read in an extract: the
  // route that answered (source: the provider; extracted_on: the day asked).
  std::string route;
};

struct SnapshotColumn {
  std::string name;
  bool per_person = true;
  bool text = false;            // values are string ids (codes), not numbers
  std::vector<double> number;   // NaN: unknown
  std::vector<uint32_t> string; // text columns: id in the pool, UINT32_MAX unknown
  std::vector<uint8_t> source;  // provenance: index in sources, 255 unknown
  std::vector<uint32_t> line;   // provenance: line in that extract, 0 when absent from it (absent_means)
  // Bit e (the 64th standing for the 64th extract and those after it): the
  // extract of index e maps this column. When built; not saved.
  uint64_t given_by = 0;
};

// The household id of a person no extract places with others ("alone:"
// and their person id): known to an extract of persons alone only.
inline constexpr std::string_view kAloneHousehold = "alone:";

struct Snapshot {
  std::vector<SnapshotSource> sources;
  StringPool strings;
  std::vector<uint32_t> household_ids;   // string ids
  std::vector<uint32_t> person_offsets{0};
  std::vector<uint32_t> person_ids;      // string ids
  std::vector<uint8_t> under_review;     // per person
  // Households whose data are incomplete, and why (string ids), sorted by
  // household: a member rejected at ingestion, or a person whom no extract
  // places with others (Batch::incomplete).
  std::vector<uint32_t> incomplete_households, incomplete_reasons;
  std::vector<SnapshotColumn> columns;
  // Per person, the value a household column takes for a member who forms a
  // foyer of their own, where the extract that gave the household's value
  // lists them in it and says what that means (`own_foyer_means`): the RSA
  // and the housing benefit, paid to the CAF allocataire's dossier, are
  // none of their own. Unknown elsewhere; named as the household column.
  std::vector<SnapshotColumn> own_foyer_columns;
  // Values that two rows of one extract gave differently, left unknown:
  // where ("drm.csv lines 8 and 9: resources_3m"), when built; not saved.
  std::vector<std::string> conflicting_values;
  // Per household (its index), the communes other extracts give for its
  // members where they differ from the one its decisions read (the CPAM's,
  // where the CAF's is a former address) and none of them confirms it, each
  // with where ("38544", "cpam.csv line 12"): which is right is not known.
  // Where rows of one extract gave two communes (the commune is then
  // unknown), every commune given. When built; not saved.
  std::unordered_map<uint32_t, std::vector<std::pair<std::string, std::string>>> communes_elsewhere;
  // Per household, the extracts that list one of its persons, as
  // SnapshotColumn::given_by's bits: a column none of them maps can give it
  // nothing (the CAF's quotient familial, for a person the CAF does not
  // know). When built; not saved (empty when loaded).
  std::vector<uint64_t> household_sources;

  size_t households() const { return household_ids.size(); }
  static uint64_t source_bit(size_t extract) { return uint64_t{1} << (extract < 63 ? extract : 63); }
  size_t persons() const { return person_ids.size(); }
  const SnapshotColumn* column(const std::string& name, bool per_person) const;
  const SnapshotColumn* own_foyer_column(const std::string& name) const;
  size_t memory_bytes() const;

  Result<void> save(const std::string& path) const;
  static Result<Snapshot> load(const std::string& path);
};

}  // namespace proactif
