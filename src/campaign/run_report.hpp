// A run's report as stored with it (JSON): the plan's summary, written once
// when the run is planned, and the state of its outbox after each delivery.
#pragma once

#include <string>

#include "actions/delivery.hpp"
#include "campaign/planner.hpp"

namespace proactif {

std::string plan_report_json(const PlanReport& plan);
Result<PlanReport> plan_report_from_json(const std::string& json);
std::string delivery_report_json(const OutboxCounts& counts, const DeliveryStats* delivery);

}  // namespace proactif
