// A campaign planned over a synthetic population, checked against the
// population's ground truth: each notice and grant the run planned is
// compared with the engine's decision on the true situation of the persons
// it concerns (truth_situations.jsonl, the true households without the
// extracts' defects, decided by the same programs and the same rules of
// foyer). A notice that says a right exists where the truth says none or
// cannot say, an amount that differs, a grant the truth does not support, a
// foyer counted otherwise, or an action the truth cannot be found for, is
// wrong.
#pragma once

#include <string>
#include <vector>

#include "campaign/campaign.hpp"
#include "eval/engine.hpp"
#include "store/store.hpp"

namespace proactif {

struct TruthProgramCounts {
  std::string program;
  // notify: the run says the subject is entitled.
  int64_t notices = 0, notices_entitled = 0, notices_not_entitled = 0, notices_truth_undetermined = 0;
  int64_t wrong_amounts = 0;
  // notify_possible: the run says the subject may be entitled.
  int64_t possible = 0, possible_entitled = 0, possible_not_entitled = 0, possible_truth_undetermined = 0;
  int64_t grants = 0, grants_not_entitled = 0;
  // The persons the run counted in the foyer are not those the truth counts
  // (a rejected member, a link missed or made wrongly).
  int64_t foyer_differs = 0;
  // Subjects whose persons are not all known to the truth, or not in one
  // true household.
  int64_t unmatched = 0;
  // Recall: foyers the truth says are entitled, and of those, how many a
  // notice or grant reached.
  int64_t truly_entitled = 0, truly_entitled_reached = 0;
  int64_t wrong() const {
    return notices_not_entitled + notices_truth_undetermined + wrong_amounts + grants_not_entitled + foyer_differs +
           unmatched;
  }
};

struct TruthReport {
  std::vector<TruthProgramCounts> programs;
  std::vector<std::string> examples;  // a few wrong ones: subject ids and what differs, no personal data
};

// `truth_dir`: where `proactif synth` wrote the population (truth_records.csv,
// truth_situations.jsonl).
Result<TruthReport> check_against_truth(const Campaign& campaign, const Engine& engine, Store& store,
                                        const std::string& run_id, const std::string& truth_dir);

}  // namespace proactif
