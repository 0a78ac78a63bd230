// proactif event FILE|- --rules RULES.yaml: acts on facts, one household at a
// time (see actions/events.hpp), then delivers what they call for: notices,
// and requests transmitted to the paying body (C2S on RSA).
#include <iostream>

#include "campaign/events.hpp"
#include "cli/campaign_report.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"

namespace proactif {

int event_command(const Args& args) {
  static constexpr const char* kUsage =
      "usage: proactif event FILE|- --rules RULES.yaml [--store URL] [--plan-only] [--wait SECONDS]\n"
      "  FILE: events, one JSON object per line (- for standard input)\n";
  std::string path, rules_file, store_url = default_store_url();
  bool plan_only = false;
  double wait = 120;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rules" && i + 1 < args.size()) rules_file = args[++i];
    else if (args[i] == "--store" && i + 1 < args.size()) store_url = args[++i];
    else if (args[i] == "--plan-only") plan_only = true;
    else if (args[i] == "--wait" && i + 1 < args.size() && number_argument(args[i + 1], 0, 86400))
      wait = *number_argument(args[++i], 0, 86400);
    else if (path.empty() && (args[i] == "-" || args[i].rfind("--", 0) != 0)) path = args[i];
    else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (path.empty() || rules_file.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  auto rules = load_campaign(rules_file);
  if (!rules) {
    std::cerr << "proactif: " << rules.error().message << "\n";
    return 2;
  }
  if (rules->events.empty()) {
    std::cerr << "proactif: " << rules_file << " says nothing about events (events:)\n";
    return 2;
  }
  std::vector<std::string> programs;
  for (const auto& [kind, list] : rules->events)
    for (const auto& p : list) programs.push_back(p.id);
  auto engine = load_engine(programs);
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  if (auto err = purge_store(**store, std::cout)) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  auto report = process_events(*rules, **engine, **store, path, std::cerr);
  if (!report) {
    std::cerr << "proactif: " << report.error().message << "\n";
    return 2;
  }
  std::cout << report->events << " events read (" << report->rejected << " lines refused)\n";
  if (auto err = (*store)->audit(audit_actor(), "events read",
                                 rules->id + ", " + path + ": " + std::to_string(report->events) + " events, " +
                                     std::to_string(report->rejected) + " lines refused")) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  PlanReport plan;
  plan.households = static_cast<int64_t>(report->events);
  plan.programs = report->programs;
  std::optional<DeliveryStats> delivery;
  if (!plan_only) {
    auto d = deliver(store_url, **store, rules->delivery, event_runs(*rules), wait);
    if (!d) {
      std::cerr << "proactif: " << d.error().message << "\n";
      return 2;
    }
    delivery = *d;
  }
  auto counts = (*store)->outbox_counts(event_runs(*rules));
  if (!counts) {
    std::cerr << "proactif: " << counts.error().message << "\n";
    return 2;
  }
  print_report(&plan, *counts, delivery ? &*delivery : nullptr);
  return report->rejected || counts->dead ? 1 : 0;
}

}  // namespace proactif
