// A campaign's workflow, as the command line and the service call it:
// retention applied, the population read, the programs evaluated and the
// actions planned and stored (once: running again resumes), delivered,
// audited and reported. Results come back as structures; printing is the
// caller's.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "actions/delivery.hpp"
#include "campaign/ground_truth.hpp"
#include "campaign/planner.hpp"
#include "campaign/retention.hpp"

namespace proactif {

// Who acts (for the audit trail), on which store, and how they follow
// delivery and planning (either may be empty).
struct Operator {
  std::string actor;
  std::string store_url;
  DeliveryObserver progress;
  PlanningObserver planning;
};

struct CampaignOutcome {
  std::string run_id;
  RetentionReport retention;
  bool resumed = false;            // already planned: only what was left was delivered
  std::optional<PlanReport> plan;  // when this call planned it
  std::string population_log;      // the extracts read and linked: rows accepted and set aside, by reason
  double read_seconds = 0, plan_seconds = 0;
  std::optional<DeliveryStats> delivery;
  OutboxCounts outbox;
  // 0: nothing left to do; 1: dead letters, sends held for the operator,
  // refusals this planning could not transmit (PlanReport::refusals_for_an_agent), or
  // requests the paying body rejected in the acknowledgements read now, or
  // acknowledgements not read or filed (an agent must act); 3: delivery ran and actions are still queued (a
  // channel down, retries not yet due): deliver again later.
  int exit_status() const;
};

// The run of a campaign (its id and period), or the pattern of an events
// file's monthly runs.
std::string campaign_run_id(const Campaign& campaign);

// The audit entry "actions delivered" of `runs`: what was sent, and the
// acknowledgements read, the rejected requests named.
std::string delivery_audit_text(const std::string& runs, const DeliveryStats& d);

// What a planned run has left to send goes within kCampaignDaysBeforeToday
// of its planning (acting_day.hpp): past that it would tell what held then,
// and is refused unless `past_date` (audited). `runs`: a run id, or an
// events file's pattern ("id:%"), each of whose runs is checked.
Result<void> check_left_to_send(Store& store, const Operator& by, const std::string& file, const std::string& runs,
                                bool past_date);

// Plans the campaign unless it already is, then delivers unless
// `plan_only`. Over extracts, a run is planned only within the campaign's
// days (acting_day.hpp), and delivered within as many days of its planning,
// unless `past_date`. Progress lines go to `progress` as they happen.
Result<CampaignOutcome> run_campaign(const Campaign& campaign, Store& store, const Operator& by, bool plan_only,
                                     bool past_date, double wait_seconds, std::ostream& progress);
// Delivers what is pending or due for retry: within the days of its
// planning, as run_campaign, unless `past_date`.
Result<CampaignOutcome> deliver_campaign(const Campaign& campaign, Store& store, const Operator& by, bool past_date,
                                         double wait_seconds);
// Dead letters back in the queue; how many, and what became of the dead
// requests that are not sent (Store::requeue_dead).
Result<Store::RequeuedDead> requeue_campaign(const Campaign& campaign, Store& store, const Operator& by);
// The dead emails and SMS, by letter where the extracts gave a postal
// address (Store::requeue_dead_by_letter).
Result<Store::Requeued> requeue_campaign_by_letter(const Campaign& campaign, Store& store, const Operator& by);
// What the campaign's run planned and never sent (a plan previewed with
// --plan-only and given up), withdrawn (Store::withdraw_unsent).
Result<Store::Withdrawn> withdraw_campaign(const Campaign& campaign, Store& store, const Operator& by);
// Sends held without an answer: recorded as arrived, or queued again; all
// of the campaign's, or the messages of the codes listed.
Result<int64_t> settle_campaign(const Campaign& campaign, Store& store, const Operator& by, bool arrived,
                                const std::vector<std::string>& codes = {});
// The campaign's sends held without an answer, for the operator to decide on.
Result<std::vector<Store::HeldSend>> held_sends_of_campaign(const Campaign& campaign, Store& store);

// A synthetic population's campaign planned into a store of its own
// (WORK_DIR/truth.db), nothing delivered, each action compared with the
// ground truth; `households` other than 0 changes the population's size.
struct TruthOutcome {
  CampaignOutcome campaign;
  TruthReport truth;
  std::string truth_dir;
};
Result<TruthOutcome> campaign_against_truth(Campaign campaign, size_t households, std::ostream& progress);

}  // namespace proactif
