// proactif event FILE|- --rules RULES.yaml: acts on facts, one household at a
// time (see campaign/events.hpp), then delivers what they call for: notices,
// and requests transmitted to the paying body (C2S on RSA).
#include <iostream>

#include "campaign/event_run.hpp"
#include "cli/campaign_report.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/store_url.hpp"

namespace proactif {

int event_command(const EventArguments& args) {
  auto rules = load_campaign(args.rules_file);
  if (!rules) {
    std::cerr << "proactif: " << rules.error().message << "\n";
    return 2;
  }
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto outcome = run_events(*rules, **store, {audit_actor(), args.store_url, delivery_progress(), {}}, args.path, args.plan_only, args.past_date, args.wait, std::cerr);
  if (!outcome) {
    std::cerr << "proactif: " << outcome.error().message << "\n";
    return 2;
  }
  std::cout << retention_text(outcome->retention) << outcome->events.events << " events read ("
            << outcome->events.rejected << " lines refused)\n";
  for (const std::string& lifted : outcome->events.refusals_lifted) std::cout << "refusal replaced: " << lifted << "\n";
  for (const std::string& refusal : outcome->events.refusals_recorded) std::cout << "refusal recorded: " << refusal << "\n";
  if (outcome->events.reached_unlisted)
    std::cout << outcome->events.reached_unlisted
              << " rights taken out of the lists for the social services, this event acting on them\n";
  // Sent by another run, the request is withdrawn by that run's delivery:
  // until an agent runs it, the paying body goes on with a right declined.
  for (const std::string& queued : outcome->events.refusals_queued_elsewhere)
    std::cerr << "proactif: the refusal withdrawing " << queued
              << " is queued, and leaves with that run's next delivery (proactif campaign deliver with its file)\n";
  PlanReport plan;
  plan.households = static_cast<int64_t>(outcome->events.events);
  plan.programs = outcome->events.programs;
  print_report(&plan, outcome->outbox, outcome->delivery ? &*outcome->delivery : nullptr);
  return outcome->exit_status();
}

}  // namespace proactif
