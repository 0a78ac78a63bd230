// The identity traits of an extract's row, found by the variable names its
// mapping gives them (nir, ine, birth_name, usage_name, first_names,
// birth_date, sex, birth_place, commune), normalised for comparison, and the
// NIR of the insured a dependant is covered through (insured_nir).
#pragma once

#include "identity/linkage.hpp"
#include "sources/extract_reader.hpp"

namespace proactif {

// Whether a mapping's variable is one of a person's identity traits (the
// list above but the commune, which is also a datum of its own).
bool identity_variable(const std::string& variable);

class IdentityReader {
 public:
  IdentityReader(const SourceMapping& mapping, uint32_t source);
  // Normalised texts go to `strings`.
  IdentityRecord read(const ExtractRow& row, StringPool& strings) const;

 private:
  uint32_t source_;
  bool person_rows_;
  int nir_ = -1, ine_ = -1, birth_name_ = -1, usage_name_ = -1, first_names_ = -1, birth_date_ = -1, sex_ = -1,
      birth_place_ = -1, commune_ = -1, insured_nir_ = -1;
};

// Precision and recall of the links against a ground truth that gives, for
// each record (source and record id), the true person.
struct LinkageQuality {
  size_t true_pairs = 0, linked_pairs = 0, correct_pairs = 0;
  size_t records_in_truth = 0, records_not_in_truth = 0;
  double precision() const { return linked_pairs ? static_cast<double>(correct_pairs) / static_cast<double>(linked_pairs) : 1; }
  double recall() const { return true_pairs ? static_cast<double>(correct_pairs) / static_cast<double>(true_pairs) : 1; }
};

// `truth`: key "source\x1frecord" -> true person.
LinkageQuality linkage_quality(const std::vector<std::string>& record_keys, const LinkageResult& linkage,
                               const std::unordered_map<std::string, uint64_t>& truth);

}  // namespace proactif
