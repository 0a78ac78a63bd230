// A population in columns: households, their persons stored contiguously
// (persons of household h are rows person_offsets[h] .. person_offsets[h+1]),
// and one column per input the programs read. A value the source did not
// give is unknown, never zero or false: it is stored as NaN, so that
// arithmetic carries the unknown along without a branch (see eval/).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace proactif {

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
inline bool is_known(double v) { return !std::isnan(v); }

struct Column {
  std::vector<double> value;  // kUnknown where the value is unknown
};

// Where a value came from: the extract (an index in Batch::origin_labels)
// and the line; line 0 when the extract's absence said it; kWholeSource when
// the label says all (a datum fetched from a service).
struct ValueOrigin {
  static constexpr uint32_t kWholeSource = UINT32_MAX;
  uint8_t source = 255;  // 255: no extract gave it
  // Not the line's value but the one the extract's mapping gives a member
  // it lists there for their own foyer (own_foyer_means): the line is the
  // member's, and holds the dossier's.
  bool own_foyer = false;
  uint32_t line = 0;
};

// The source of a batch of a person's own answers (the service's "Suis-je
// concerné ?" form): each value is theirs, whichever administration holds
// such a datum otherwise.
inline constexpr const char* kOwnAnswers = "vos réponses à ce formulaire";
// The same, for a request for an instant decision (stored): the person's
// answers, beside the data fetched for them.
inline constexpr const char* kDeclaredAtRequest = "déclaré par la personne lors de sa demande";
// After an extract's line, in an explanation: the value is the one its
// mapping gives a member listed there for their own foyer
// (ValueOrigin::own_foyer), not the dossier's on that line.
inline constexpr const char* kOwnFoyerValue =
    " : personne inscrite dans ce dossier, valeur retenue pour son propre foyer (et non celle du dossier)";

struct Batch {
  Days date = 0;
  std::vector<uint32_t> person_offsets{0};
  std::vector<Column> inputs;  // one per input slot of the schema
  std::vector<std::string> household_ids;
  std::vector<std::string> person_ids;
  std::string source;  // where the data came from, for explanations
  // `source` says where every value came from, in place of the sources the
  // program declares for its inputs (an event's situation, sent whole by
  // one administration).
  bool source_exact = false;
  // Per input slot and row, when values come from several extracts (a
  // population snapshot); empty when `source` says it for all.
  std::vector<std::vector<ValueOrigin>> origins;
  std::vector<std::string> origin_labels;   // per extract: for an explanation, with its file
  std::vector<std::string> origin_sources;  // per extract: the administration that sent it (CAF)
  std::vector<std::string> origin_titles;   // per extract: as a person reads it, "CAF (allocataires, 15/06/2025)"
  // Per input slot of the household: each person's value as a foyer of
  // their own, and its origin, where an extract says it
  // (Snapshot::own_foyer_columns); empty when none does, and then unknown.
  std::vector<Column> own_foyer_inputs;
  std::vector<std::vector<ValueOrigin>> own_foyer_origins;
  // Per person, when known: the person's identity link is under review, and
  // nobody may act on a decision about them until an agent has decided it.
  std::vector<uint8_t> under_review;
  // Why a household's data are incomplete, when they are (a member rejected
  // at ingestion, nobody saying who lives with a person): a decision that
  // reads its members would be taken on part of them. Sorted by household.
  std::vector<std::pair<uint32_t, std::string>> incomplete;
  // The households are persons each decided alone (eval/own_foyers.hpp):
  // what makes one incomplete is about that person (a minor, who is not
  // decided alone), and matters whatever the program reads.
  bool persons_alone = false;
  // Of such a batch, the households incomplete only because their person is
  // not decided alone (a minor left out of a foyer), sorted: where the
  // dwelling leaves nobody eligible, they are not eligible either
  // (eval/dwelling_conditions.hpp).
  std::vector<uint32_t> alone_in_doubt;

  size_t households() const { return person_offsets.size() - 1; }
  size_t persons() const { return person_offsets.back(); }
  std::span<const std::pair<uint32_t, std::string>> incomplete_reasons(size_t household) const {
    auto first = std::lower_bound(incomplete.begin(), incomplete.end(), household,
                                  [](const auto& entry, size_t h) { return entry.first < h; });
    auto last = first;
    while (last != incomplete.end() && last->first == household) ++last;
    return {first, last};
  }
};

}  // namespace proactif
