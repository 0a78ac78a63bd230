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
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/string_pool.hpp"

namespace proactif {

// One record's identity, compact (ten million records must fit): texts are
// ids in a StringPool shared by all records, kNone when absent.
struct IdentityRecord {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t source = 0;  // index of the extract
  // National identifiers shared by administrations, as pool ids of
  // "nir:..." and "ine:..." (the student number CROUS and universities share).
  uint32_t nir = kNone, ine = kNone;
  // The NIR of the insured through whom the person is covered, as a pool id
  // of "nir:...": the CPAM's "ouvrant droit" of a dependant (ayant droit).
  uint32_t insured_nir = kNone;
  uint32_t family_names[2] = {kNone, kNone};            // keys of the birth and usage names
  uint32_t first_names[3] = {kNone, kNone, kNone};      // keys, in the extract's order
  uint32_t birth_place = kNone, commune = kNone;
  Days birth = 0;
  bool has_birth = false;
  char sex = 0;  // 'M', 'F' or 0 when unknown
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
  // A record no other joined may be a link missed; the persons it resembles
  // at least this much may be its own (see LinkageResult::unplaced).
  double unplaced_threshold = 5;
  // The extracts (bits by source) that group persons into households: a
  // record of theirs is placed by its household, whatever links it.
  uint64_t grouping_sources = 0;
  // Pairs of records (indexes) a reviewer decided: the same person, linked
  // whatever their weight; or two persons, never linked to each other
  // directly nor sent to review again.
  std::vector<std::pair<uint32_t, uint32_t>> same_person, different_persons;
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
  // A record of a person no household extract places (known to one extract
  // only, or to extracts that do not group households) and a person it
  // resembles enough to be theirs: that person may have a record in that
  // extract that was not linked, so what its absence would say of them
  // cannot be trusted.
  struct Unplaced {
    uint32_t record, person;
  };
  std::vector<Unplaced> unplaced;
  size_t linked_by_identifier = 0, linked_by_weight = 0, linked_by_reviewer = 0, compared = 0;
  // Pairs alike enough to link or review whose definitive NIRs differ:
  // two persons.
  size_t kept_apart_by_nir = 0;
  std::vector<FieldLevelWeight> weights;
};

// `strings`: the pool the records' texts are in.
LinkageResult link_records(const std::vector<IdentityRecord>& records, const StringPool& strings,
                           const LinkageOptions& options);

// Rows an extract set aside, with the identity they could be read with: the
// linked persons each may be (`record`: its index in `rejected`). Same NIR,
// or traits that weigh at least `unplaced_threshold` against a person born
// the same year (of the same family name, for a row without a birth date)
// who has no record of that extract, or at least `link_threshold` against
// one born the same day who has (a second row of theirs): what that extract
// says of the person, by its absence or by their other row, cannot be
// trusted.
std::vector<LinkageResult::Unplaced> place_rejected(const std::vector<IdentityRecord>& rejected,
                                                    const std::vector<IdentityRecord>& records,
                                                    const StringPool& strings, const LinkageResult& linkage,
                                                    const LinkageOptions& options);

}  // namespace proactif
