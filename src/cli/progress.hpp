// What the operator sees while a long stage runs, and the log: on a
// terminal, one line rewritten in place with the rate and the time left;
// otherwise (a service's journal, a file) a timestamped line every ten
// seconds. Log lines carry a timestamp and a level (spdlog), on standard
// error; reports stay on standard output.
#pragma once

#include <map>
#include <string>

#include "actions/delivery.hpp"
#include "campaign/planner.hpp"

namespace proactif {

// Sets up the log on standard error; called once at start.
void start_log();
void log_warning(const std::string& text);

// Follow delivery and the storing of a plan: give them to deliver() and
// plan_campaign(); each ends its line when done.
DeliveryObserver delivery_progress();
PlanningObserver planning_progress();

// Failed attempts grouped by cause, as warnings: what the operator must
// look at, without opening the store.
void log_failure_causes(const std::map<std::string, int64_t>& causes);

}  // namespace proactif
