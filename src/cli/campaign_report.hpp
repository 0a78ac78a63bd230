#pragma once

#include <string>

#include "actions/delivery.hpp"
#include "campaign/planner.hpp"

namespace proactif {

std::string report_json(const PlanReport* plan, const OutboxCounts& counts, const DeliveryStats* delivery);
void print_report(const PlanReport* plan, const OutboxCounts& counts, const DeliveryStats* delivery);

}  // namespace proactif
