#pragma once

#include <string>

#include "actions/delivery.hpp"
#include "campaign/ground_truth.hpp"
#include "campaign/planner.hpp"

namespace proactif {

void print_report(const PlanReport* plan, const OutboxCounts& counts, const DeliveryStats* delivery);
// Prints the comparison with the ground truth; true when nothing planned is wrong.
bool print_truth_report(const TruthReport& truth, const std::string& truth_dir);

}  // namespace proactif
