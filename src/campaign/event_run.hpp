// A file of events acted on, as the command line and the service call it:
// retention applied, each event's household evaluated and its actions
// stored, then delivered (notices, and requests transmitted to the paying
// body), audited and counted.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "campaign/campaign_run.hpp"
#include "campaign/events.hpp"

namespace proactif {

struct EventsOutcome {
  RetentionReport retention;
  EventReport events;
  std::optional<DeliveryStats> delivery;
  OutboxCounts outbox;
  // As `campaign deliver`'s: 1 an agent must act (lines refused, a request
  // not transmitted for want of contact details, dead letters, held sends,
  // letters of a refusal left to delete, lists for the social services
  // still naming it, requests the paying body rejected in the
  // acknowledgements read now, or acknowledgements not read or filed), 3 actions still queued when the wait ended
  // (a request that has not reached the paying body yet, or a refusal
  // queued with the run of a campaign that sent the request it withdraws),
  // else 0.
  int exit_status() const {
    if (events.rejected || !events.untold_grants.empty() || outbox.dead || outbox.held || !events.refusal_letters.left.empty() ||
        !events.unlisted.left.empty() ||
        (delivery && (!delivery->rejected.empty() || !delivery->acknowledgement_problems.empty())))
      return 1;
    if (!events.refusals_queued_elsewhere.empty()) return 3;
    return delivery && outbox.pending + outbox.retry + outbox.sending > 0 ? 3 : 0;
  }
};

// `path`: events, one JSON object per line ("-" for standard input); each
// line refused is reported on `line_errors` with its number and reason.
Result<EventsOutcome> run_events(const Campaign& rules, Store& store, const Operator& by, const std::string& path,
                                 bool plan_only, bool past_date, double wait_seconds, std::ostream& line_errors);

}  // namespace proactif
