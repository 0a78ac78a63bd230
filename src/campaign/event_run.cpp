#include "campaign/event_run.hpp"

#include "campaign/acting_day.hpp"
#include "campaign/campaign_run.hpp"

namespace proactif {

namespace {

// Each of `items`, for the audit entry.
std::string each_text(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += item + ", ";
  return text;
}

}  // namespace

Result<EventsOutcome> run_events(const Campaign& rules, Store& store, const Operator& by, const std::string& path,
                                 bool plan_only, bool past_date, double wait_seconds, std::ostream& line_errors) {
  if (rules.events.empty()) return Error{ErrorKind::kConfiguration, rules.file + " says nothing about events (events:)"};
  std::vector<std::string> programs;
  for (const auto& [kind, list] : rules.events)
    for (const auto& p : list) programs.push_back(p.id);
  auto engine = load_engine(programs);
  if (!engine) return engine.error();
  // What earlier events left to send goes with this file's: not where it
  // was planned too long ago.
  if (!plan_only)
    if (auto err = check_left_to_send(store, by, rules.file, event_runs(rules), past_date); !err.ok()) return err.error();
  EventsOutcome outcome;
  std::vector<WorkingFiles> files = {{rules.delivery.letters_dir, ".pdf"}};
  for (WorkingFiles& f : transmission_files(rules.delivery)) files.push_back(std::move(f));
  auto retention = apply_retention(store, files, by.actor);
  if (!retention) return retention.error();
  outcome.retention = *retention;
  auto report = process_events(rules, **engine, store, path, past_date, line_errors);
  if (!report) return report.error();
  outcome.events = std::move(*report);
  if (!outcome.events.refusals_recorded.empty()) store.write_back_deletions();
  if (auto err = store.audit(by.actor, "events read",
                             rules.id + ", " + path + ": " + std::to_string(outcome.events.events) + " events, " +
                                 std::to_string(outcome.events.rejected) + " lines refused, " +
                                 (outcome.events.past_dated ? std::to_string(outcome.events.past_dated) +
                                                                  " events dated more than " +
                                                                  std::to_string(kEventDaysBeforeToday) +
                                                                  " days before today acted on (--past-date), "
                                                            : std::string()) +
                                 (outcome.events.untold_grants.empty()
                                      ? std::string()
                                      : std::to_string(outcome.events.untold_grants.size()) +
                                            " actions not made, for an agent to see to: ") +
                                 each_text(outcome.events.untold_grants) +
                                 each_text(outcome.events.refusals_lifted) +
                                 (outcome.events.refusals_recorded.empty() ? std::string()
                                                                           : "refusals recorded: ") +
                                 each_text(outcome.events.refusals_recorded) +
                                 std::to_string(outcome.events.refusal_letters.deleted) + " letters deleted for a refusal" +
                                 letters_left_text(outcome.events.refusal_letters) +
                                 unlisted_text(outcome.events.unlisted) +
                                 (outcome.events.reached_unlisted
                                      ? " (of which " + std::to_string(outcome.events.reached_unlisted) +
                                            " an event acted on, not refusals)"
                                      : std::string()));
      !err.ok())
    return err.error();
  const std::string runs = event_runs(rules);
  if (!plan_only) {
    auto d = deliver(by.actor, by.store_url, store, rules.delivery, runs, wait_seconds, by.progress);
    if (!d) return d.error();
    outcome.delivery = *d;
    if (auto err = store.audit_delivery(by.actor, d->deliverer, delivery_audit_text(runs, *d)); !err.ok()) return err.error();
  }
  auto counts = store.outbox_counts(runs);
  if (!counts) return counts.error();
  outcome.outbox = *counts;
  return outcome;
}

}  // namespace proactif
