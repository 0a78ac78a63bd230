// From decisions to actions: a campaign's programs evaluated over its
// population, then, household by household, who is acted on and how.
// Targeting never contacts a person who objected, a household already
// receiving the benefit, one already acted on for the program and period by
// another run, or one whose identity link is under review; each skip is
// counted by reason. A decision that leads to an action is stored with its
// explanation (data and their source, parameters, operations) and the
// program's hash, in the same transaction as its action. Households found
// not eligible are counted, and nothing about them is kept.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "campaign/campaign.hpp"
#include "campaign/contacts.hpp"
#include "eval/outcome.hpp"
#include "eval/program_catalog.hpp"
#include "population/snapshot.hpp"
#include "sources/source_mapping.hpp"
#include "store/store.hpp"

namespace proactif {

struct ProgramPlan {
  std::string program;
  int64_t eligible = 0, not_eligible = 0, undetermined = 0;
  std::map<std::string, int64_t> skipped;  // by reason
  std::map<std::string, int64_t> planned;  // "notify by email"
};

struct PlanReport {
  int64_t households = 0, persons = 0;
  std::vector<ProgramPlan> programs;
};

// Campaigns and events act on households. For a program deciding per person
// (a fare), the household `h` is acted on once, for its first eligible
// person, else its first undetermined one: the outcome row that decides.
size_t representative_row(const Program& program, const Batch& batch, const Outcome& outcome, size_t h);

// SHA-256 of the program and the parameter files it applies, hashed
// together: the decision can be re-derived from exactly these texts.
Result<std::string> program_hash(const Program& program);

// The request transmitted to the paying body for a grant: who, which right,
// on which fact (an event, or the campaign), on which legal basis, and the
// decision that supports it.
std::string grant_request(const Campaign& rules, const Program& program, const std::string& household,
                          const std::vector<std::string>& persons, const std::string& event, const std::string& date,
                          const std::string& decision_json, const std::string& code);

// The variables of a notice (notify, notify_possible) for `row` of `outcome`,
// as the message templates read them: the right and its amounts, the data
// used and their source (GDPR art. 14), how to object, the code.
std::string notice_json(const Campaign& campaign, const std::string& date, const Program& program, const BoundPlan& bound,
                        const Outcome& outcome, size_t row, ActionKind action, const Contact& contact,
                        const std::string& code);

Result<PlanReport> plan_campaign(const Campaign& campaign, const Engine& engine, const Snapshot& snapshot,
                                 const SourceMapping& contacts, Store& store, const std::string& run_id);

}  // namespace proactif
