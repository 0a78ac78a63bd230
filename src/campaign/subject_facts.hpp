// What the extracts say of a subject before any decision, which the
// planner and the data asked of API Particulier both read: its allocataire,
// whether one of its persons' identity is under review, whether its data
// are incomplete for the program, and whether it already receives the
// benefit (a campaign's `already_receiving`).
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/campaign.hpp"
#include "eval/outcome.hpp"
#include "population/batch.hpp"
#include "population/snapshot.hpp"

namespace proactif {

// The allocataire of a household of the snapshot: its person whose role is
// "applicant", none when no extract says who it is.
inline std::optional<uint32_t> applicant_of(const Snapshot& snapshot, size_t household) {
  const SnapshotColumn* role = snapshot.column("role", true);
  if (!role || !role->text) return std::nullopt;
  for (uint32_t p = snapshot.person_offsets[household]; p < snapshot.person_offsets[household + 1]; ++p)
    if (role->string[p] != UINT32_MAX && snapshot.strings.at(role->string[p]) == "applicant") return p;
  return std::nullopt;
}

inline bool any_under_review(const Batch& b, size_t h) {
  if (b.under_review.empty()) return false;
  for (uint32_t p = b.person_offsets[h]; p < b.person_offsets[h + 1]; ++p)
    if (b.under_review[p]) return true;
  return false;
}

// The household's data are incomplete as far as the program is concerned
// (the evaluation then leaves it undetermined, with the reasons).
inline bool incomplete_for(const Plan& plan, const Batch& b, size_t h) {
  return !b.incomplete_reasons(h).empty() && incomplete_matters(plan, b);
}

// Whether the snapshot says a household (the persons of its foyer), or a
// person, already receives the benefit, or does not say.
class ReceivingTest {
 public:
  ReceivingTest(const Snapshot& snap, const std::vector<AlreadyReceiving>& rules) : snap_(snap) {
    for (const auto& r : rules)
      for (bool per_person : {false, true})
        if (const SnapshotColumn* c = snap.column(r.variable, per_person)) tests_.push_back({c, r.values});
    for (const auto& r : rules)
      for (const auto& c : snap.own_foyer_columns)
        if (c.name == r.variable) own_tests_.push_back({&c, r.values});
  }
  bool missing_column() const { return tests_.empty(); }
  template <typename Member>
  bool household(size_t h, Member member) const {
    for (const auto& t : tests_) {
      if (!t.column->per_person) {
        if (matches(t, h)) return true;
        continue;
      }
      for (uint32_t p = snap_.person_offsets[h]; p < snap_.person_offsets[h + 1]; ++p)
        if (member(p) && matches(t, p)) return true;
    }
    return false;
  }
  // A person who forms a foyer of their own: only what is said of them,
  // and what an extract says a household datum means for a member it lists
  // (own_foyer_means: the RSA is paid to the allocataire's dossier).
  bool person(size_t p) const {
    for (const auto& t : tests_)
      if (t.column->per_person && matches(t, p)) return true;
    for (const auto& t : own_tests_)
      if (matches(t, p)) return true;
    return false;
  }
  // Whether a value these tests read is unknown for the household, or for
  // one of its foyer's persons.
  template <typename Member>
  bool unknown(size_t h, Member member) const {
    for (const auto& t : tests_) {
      if (!t.column->per_person) {
        if (unknown_at(t, h)) return true;
        continue;
      }
      for (uint32_t p = snap_.person_offsets[h]; p < snap_.person_offsets[h + 1]; ++p)
        if (member(p) && unknown_at(t, p)) return true;
    }
    return false;
  }
  bool person_unknown(size_t p) const {
    for (const auto& t : tests_)
      if (t.column->per_person && unknown_at(t, p)) return true;
    for (const auto& t : own_tests_)
      if (unknown_at(t, p)) return true;
    return false;
  }
  // The extracts (snapshot sources) whose values these tests read for the
  // household or the person, as a message names the data it was chosen by.
  template <typename Member>
  std::vector<uint8_t> sources(size_t h, Member member) const {
    std::vector<uint8_t> from;
    for (const auto& t : tests_) {
      if (!t.column->per_person) {
        add_source(t, h, from);
        continue;
      }
      for (uint32_t p = snap_.person_offsets[h]; p < snap_.person_offsets[h + 1]; ++p)
        if (member(p)) add_source(t, p, from);
    }
    return from;
  }
  std::vector<uint8_t> person_sources(size_t p) const {
    std::vector<uint8_t> from;
    for (const auto& t : tests_)
      if (t.column->per_person) add_source(t, p, from);
    for (const auto& t : own_tests_) add_source(t, p, from);
    return from;
  }

 private:
  struct Test {
    const SnapshotColumn* column;
    std::vector<std::string> values;
  };
  static bool unknown_at(const Test& t, size_t row) {
    return t.column->text ? t.column->string[row] == UINT32_MAX : std::isnan(t.column->number[row]);
  }
  static void add_source(const Test& t, size_t row, std::vector<uint8_t>& from) {
    if (unknown_at(t, row) || row >= t.column->source.size()) return;
    const uint8_t s = t.column->source[row];
    if (s != 255 && std::find(from.begin(), from.end(), s) == from.end()) from.push_back(s);
  }
  bool matches(const Test& t, size_t row) const {
    if (t.column->text) {
      uint32_t id = t.column->string[row];
      if (id == UINT32_MAX) return false;
      std::string_view v = snap_.strings.at(id);
      return std::find(t.values.begin(), t.values.end(), v) != t.values.end();
    }
    double v = t.column->number[row];
    if (std::isnan(v)) return false;
    for (const auto& want : t.values)
      if ((want == "true" && v == 1) || (want == "false" && v == 0) || std::to_string(static_cast<long>(v)) == want)
        return true;
    return false;
  }
  const Snapshot& snap_;
  std::vector<Test> tests_;
  std::vector<Test> own_tests_;  // own_foyer_columns, per person
};

// The choice a household made with the claim an automatic route names (a
// campaign's `acceptance`), as its extracts give it, on a campaign's date:
// a choice more than a year before was made for an earlier claim (the C2S
// is granted for a year, CSS L861-5), and says nothing of this one.
class AcceptanceTest {
 public:
  enum class Choice { kUnknown, kAccepted, kRefused };
  AcceptanceTest(const Snapshot& snap, const Acceptance& a, Days on)
      : snap_(snap), choice_(snap.column(a.variable, false)), date_(snap.column(a.date, false)), on_(on) {}
  bool missing_column() const { return !choice_ || !choice_->text || !date_ || date_->text; }
  // The configuration error of a campaign whose program declares an
  // acceptance no extract gives (a misspelt variable would read as no
  // choice recorded, a refusal as none); empty when there is none to say.
  std::string missing_in(const std::string& file, const CampaignProgram& config) const {
    if (config.acceptance.variable.empty() || !missing_column()) return "";
    return file + ": program " + config.id + ": no extract gives " + config.acceptance.variable + " (a code) and " +
           config.acceptance.date + " (a date) of the household (acceptance)";
  }
  // Household h's choice, and its day in `day` when known.
  Choice of(size_t h, Days& day) const {
    if (missing_column() || choice_->string[h] == UINT32_MAX || std::isnan(date_->number[h])) return Choice::kUnknown;
    day = static_cast<Days>(date_->number[h]);
    if (day > on_ || on_ - day > 366) return Choice::kUnknown;
    std::string_view v = snap_.strings.at(choice_->string[h]);
    return v == "accepted" ? Choice::kAccepted : v == "refused" ? Choice::kRefused : Choice::kUnknown;
  }
  // The extract that gave household h's choice (Snapshot::sources).
  uint8_t source(size_t h) const { return missing_column() ? uint8_t{255} : choice_->source[h]; }

 private:
  const Snapshot& snap_;
  const SnapshotColumn* choice_;
  const SnapshotColumn* date_;
  Days on_;
};

}  // namespace proactif
