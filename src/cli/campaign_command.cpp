// proactif campaign run|deliver|report|requeue|settle|withdraw|truth CAMPAIGN.yaml: the
// campaign workflow (campaign/campaign_run.hpp), its results printed.
#include <algorithm>
#include <iostream>

#include "campaign/campaign_run.hpp"
#include "campaign/run_report.hpp"
#include "cli/campaign_report.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/store_url.hpp"
#include "core/date.hpp"
#include "core/json_text.hpp"

namespace proactif {

namespace {

int failed(const Error& error) {
  std::cerr << "proactif: " << error.message << "\n";
  return 2;
}

int print_outcome(const CampaignOutcome& outcome) {
  print_report(outcome.plan ? &*outcome.plan : nullptr, outcome.outbox, outcome.delivery ? &*outcome.delivery : nullptr);
  return outcome.exit_status();
}

int truth_command(const Campaign& campaign, size_t households) {
  auto outcome = campaign_against_truth(campaign, households, std::cout);
  if (!outcome) return failed(outcome.error());
  print_outcome(outcome->campaign);
  return print_truth_report(outcome->truth, outcome->truth_dir) ? 0 : 1;
}

// The stored report: the plan's summary as when the run was planned, the
// outbox as it is now, and the last delivery's.
int report_command(const Campaign& campaign, Store& store, bool json) {
  const std::string run_id = campaign_run_id(campaign);
  // An events file's runs, one a month, are reported together: the outbox
  // as it is now, no plan (each event planned its own).
  Result<std::optional<StoredReport>> stored = std::optional<StoredReport>();
  std::vector<std::string> event_run_ids;  // a rules file's, one a month
  if (campaign.programs.empty()) {
    auto runs = store.runs();
    if (!runs) return failed(runs.error());
    for (const RunSummary& r : *runs)
      if (r.run_id.rfind(campaign.id + ":", 0) == 0) event_run_ids.push_back(r.run_id);
    std::sort(event_run_ids.begin(), event_run_ids.end());
    if (!event_run_ids.empty()) stored = std::optional<StoredReport>(StoredReport{});
  } else {
    stored = store.run_report(run_id);
  }
  if (!stored) return failed(stored.error());
  // A run this store never saw has no report: said, and not a success
  // (a script asking for the wrong store or campaign file must notice).
  if (!*stored) {
    std::cerr << "proactif: campaign " << run_id << " has not been run on this store\n";
    return 1;
  }
  auto counts = store.outbox_counts(run_id);
  if (!counts) return failed(counts.error());
  const StoredReport& report = **stored;
  if (json) {
    // The run's id comes from the campaign file: written as a JSON string,
    // escaped. A rules file's monthly runs are listed instead.
    std::string head = "{\"run\": ";
    if (campaign.programs.empty()) {
      head += "null, \"runs\": [";
      for (size_t k = 0; k < event_run_ids.size(); ++k) {
        if (k) head += ", ";
        append_json_string(head, event_run_ids[k]);
      }
      head += "]";
    } else {
      append_json_string(head, run_id);
    }
    head += ", \"proactif_version\": ";
    append_json_string(head, report.proactif_version);
    std::cout << head << ", \"plan\": " << (report.plan_json.empty() ? "null" : report.plan_json)
              << ", \"last_delivery\": " << (report.delivery_json.empty() ? "null" : report.delivery_json)
              << ", \"now\": " << delivery_report_json(*counts, nullptr) << "}\n";
    return 0;
  }
  std::optional<PlanReport> plan;
  if (!report.plan_json.empty()) {
    auto read = plan_report_from_json(report.plan_json);
    if (!read) return failed(read.error());
    plan = std::move(*read);
  }
  print_report(plan ? &*plan : nullptr, *counts, nullptr);
  return 0;
}

}  // namespace

int campaign_command(const CampaignArguments& args) {
  auto campaign = load_campaign(args.file);
  if (!campaign) return failed(campaign.error());
  if (args.verb == "truth") return truth_command(*campaign, args.households);
  auto store = Store::open(args.store_url);
  if (!store) return failed(store.error());
  const Operator by{audit_actor(), args.store_url, delivery_progress(), planning_progress()};
  if (args.verb == "report") return report_command(*campaign, **store, args.json);
  if (args.verb == "withdraw") {
    auto w = withdraw_campaign(*campaign, **store, by);
    if (!w) return failed(w.error());
    std::cout << w->subjects << " subjects withdrawn: " << w->actions << " actions never sent and " << w->decisions
              << " decisions deleted"
              << (w->run_removed ? "; nothing of the run is left, the run is removed"
                                 : "; what was sent, or attempted, stays with its decisions")
              << "\n";
    return 0;
  }
  auto told_since = [](int64_t notices) {
    if (notices > 0)
      std::cout << notices << " dead notices cancelled: their household was told since, within 12 months, or is told by a "
                              "later one requeued with them\n";
  };
  if (args.verb == "requeue" && args.by_letter) {
    auto n = requeue_campaign_by_letter(*campaign, **store, by);
    if (!n) return failed(n.error());
    std::cout << n->by_letter << " dead letters back in the queue as letters, " << n->without_address
              << " left as they are (no postal address); deliver them with proactif campaign deliver\n";
    told_since(n->notices_told_since);
    return 0;
  }
  if (args.verb == "requeue") {
    auto n = requeue_campaign(*campaign, **store, by);
    if (!n) return failed(n.error());
    std::cout << n->requeued << " dead letters back in the queue; deliver them with proactif campaign deliver\n";
    told_since(n->notices_told_since);
    if (n->superseded > 0)
      std::cout << n->superseded << " dead requests cancelled with their notices: another request for the same household "
                                    "or its persons reached the paying body, or goes now\n";
    if (n->objected > 0)
      std::cout << n->objected << " dead requests cancelled with their notices: the persons objected since\n";
    if (n->left_dead > 0)
      std::cout << n->left_dead << " dead requests left as they are: another request for the same household waits to be "
                                   "sent, or is dead, later, in another run (requeue them again once it has gone, or that run)\n";
    return 0;
  }
  if (args.verb == "settle" && args.list) {
    auto held = held_sends_of_campaign(*campaign, **store);
    if (!held) return failed(held.error());
    for (const auto& h : *held)
      std::cout << h.code << "  " << h.channel << "  " << (h.attempt_started ? iso_timestamp(h.attempt_started) : "-")
                << "  " << h.reason << "\n";
    std::cout << held->size() << " held sends\n";
    return 0;
  }
  if (args.verb == "settle") {
    auto n = settle_campaign(*campaign, **store, by, args.arrived, args.codes);
    if (!n) return failed(n.error());
    std::cout << *n << (args.arrived ? " held sends recorded as arrived\n"
                                     : " held sends back in the queue; deliver them with proactif campaign deliver (a "
                                       "person may get two copies)\n");
    return 0;
  }
  auto outcome = args.verb == "run" ? run_campaign(*campaign, **store, by, args.plan_only, args.past_date, args.wait, std::cout)
                                    : deliver_campaign(*campaign, **store, by, args.past_date, args.wait);
  if (!outcome) return failed(outcome.error());
  if (args.verb == "deliver") std::cout << retention_text(outcome->retention);
  return print_outcome(*outcome);
}

}  // namespace proactif
