// The campaign runs an agent sees, read once for the pages and the API
// alike: those whose plan concerns one of the agent's programs, with the
// plan read back from the store; and the plan's reasons in French.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "campaign/run_report.hpp"
#include "store/store.hpp"

namespace proactif {

struct SeenRun {
  RunSummary summary;
  PlanReport plan;
  std::string delivery_json;  // the last delivery's report, "" before any
};

bool covers_any(const PlanReport& plan, const AgentAccount& agent);
// The outbox is the run's, all programs together: shown to who covers them all.
bool covers_all(const PlanReport& plan, const AgentAccount& agent);

// Latest first.
Result<std::vector<SeenRun>> runs_seen_by(Store& store, const AgentAccount& agent);
// None when the run is unknown, not yet planned, or of none of the agent's programs.
Result<std::optional<SeenRun>> run_seen_by(Store& store, const AgentAccount& agent, const std::string& run_id);

// A plan's reason for setting a household aside, or what it planned, as the
// planner counts them ("already receiving", "notify by email"), in French;
// a reason it does not know is shown as it is.
std::string reason_in_french(const std::string& reason);

}  // namespace proactif
