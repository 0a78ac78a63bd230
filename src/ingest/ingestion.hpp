// proactif ingest, as a function campaigns call too: extracts read and
// checked, identities linked, the population snapshot built.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_set>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "population/snapshot.hpp"

namespace proactif {

// A pair of records whose link a reviewer decided, by extract and record id.
struct ReviewedPair {
  std::string source_a, record_a, source_b, record_b;
  bool same_person = false;
};

// A pair of records the linkage could not decide, for a reviewer; the
// record of the smaller (source, id) first.
struct PairToReview {
  std::string source_a, record_a, source_b, record_b;
  double weight = 0;
  std::string fields;  // each field's agreement and weight, "birth date exact +13.3, ..."
};

struct IngestOptions {
  std::string territory_dir;             // official communes, to check commune codes
  std::string rejects_dir;                // <mapping>.rejects.csv per extract
  std::string review_path;               // pairs of records whose link is under review
  std::string dump;                      // accepted rows in canonical JSON lines (tests)
  std::string truth_path;                // a synthetic population's truth: linkage quality printed
  bool build_snapshot = false;
  bool linkage_weights = true;           // print the linkage's weights (field by field)
  std::vector<ReviewedPair> reviewed;    // applied before any weight
  // A campaign's: the variables its programs and its targeting read. The
  // other columns are not read (a value there sets no row aside), and an
  // extract that gives none of them (identities alone, to link; the insured
  // of dependants too, unless `insured_nir` is named) is not read at all.
  // Empty: every column (`proactif ingest`). An extract that gives contact
  // details, or NIRs where `nirs_needed` (a campaign that grants: a request
  // carries each member's), is read whole: what a person's row there holds
  // is found through the values it gives.
  std::set<std::string> variables_read;
  bool nirs_needed = false;
};

struct Ingestion {
  int status = 0;  // 0; 1 when rows were set aside; 2 when an extract could not be read or its rejects written
  std::vector<Error> errors;  // why status is 2, each with its kind (also written to `err`)
  std::optional<Snapshot> snapshot;
  std::vector<std::string> sources;  // the extracts' sources, in the order read
  std::vector<std::string> not_read;  // the mappings of the extracts left out (IngestOptions::variables_read)
  std::vector<PairToReview> review;  // also written to the review list
  // Per mapping file, the lines of its extract set aside (SourceMapping::lines_set_aside).
  std::map<std::string, std::shared_ptr<const std::unordered_set<size_t>>> lines_set_aside;
};

// Counts and reasons go to `out`, errors to `err`.
Ingestion ingest_extracts(const std::vector<std::string>& mappings, const IngestOptions& options, std::ostream& out,
                          std::ostream& err);

}  // namespace proactif
