// Record linkage: which records of different administrations' extracts are
// the same person. Records sharing a valid NIR (or a student's INE) are
// linked outright. Others are compared within blocks (birth date and the
// start of a name; or names and birth year) on the "identité pivot" (family names,
// first names, sex, date and place of birth) and the commune, Fellegi-Sunter
// style: each field's level of agreement adds log2(m/u) to the pair's
// weight, where m is the level's probability for two records of one person
// and u for two persons taken at random (both set per field and level, see
// docs/record-linkage.md); a missing field adds nothing. A
// pair at or above the link threshold is linked, one between the thresholds
// goes to review, and a person with a link under review is acted on by
// nobody.
#pragma once

#include <string>
#include <vector>

#include "core/date.hpp"

namespace proactif {

struct IdentityRecord {
  uint32_t source = 0;     // index of the extract
  std::string id;          // the record's identifier in its extract
  // National identifiers shared by administrations, as "nir:..." or
  // "ine:..." (the student number CROUS and universities both use).
  std::vector<std::string> national_ids;
  std::vector<std::string> family_names;  // keys of the birth and usage names
  std::vector<std::string> first_names;   // keys, in the extract's order
  char sex = 0;            // 'M', 'F' or 0 when unknown
  Days birth = 0;
  bool has_birth = false;
  std::string birth_place;
  std::string commune;
};

// One field's contribution to a pair's weight, for the review list.
struct FieldWeight {
  const char* field;
  const char* level;  // "exact", "similar", "swapped", "disagree", "missing"...
  double weight;
};

struct ScoredPair {
  uint32_t a, b;  // record indexes
  double weight;
  bool by_nir;
  std::vector<FieldWeight> fields;
};

struct LinkageOptions {
  double link_threshold = 20;
  double review_threshold = 16;
};

// The model's m and u per field and level, shown with the summary so that
// the weights can be checked.
struct FieldLevelWeight {
  const char* field;
  const char* level;
  double m, u;
};

struct LinkageResult {
  std::vector<uint32_t> person;          // per record: the linked person it belongs to
  uint32_t persons = 0;
  std::vector<ScoredPair> review;        // pairs between the thresholds
  std::vector<uint8_t> under_review;     // per person: one of its links is under review
  size_t linked_by_identifier = 0, linked_by_weight = 0, compared = 0;
  std::vector<FieldLevelWeight> weights;
};

LinkageResult link_records(const std::vector<IdentityRecord>& records, const LinkageOptions& options);

}  // namespace proactif
