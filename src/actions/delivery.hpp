// The delivery worker: claims due actions from the outbox, sends each by its
// channel, and records the outcome at once. A failed attempt is retried with
// exponential backoff (first_retry_seconds, doubled each time) until
// max_attempts, then the action is dead-lettered (state "dead") for an agent
// to look at. Rows a killed process left "sending" are taken up again first.
// Transmissions go in batches; a batch interrupted after it was placed is
// recognised by its file or acknowledgement and not placed twice.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "actions/delivery_config.hpp"
#include "store/store.hpp"

namespace proactif {

struct DeliveryStats {
  int64_t delivered = 0, failed_attempts = 0, dead = 0, resumed_in_doubt = 0, batches = 0, receipts = 0;
  // The requests the paying body acknowledged as rejected in the receipts
  // read this time, each as "CODE (FILE line N)": their persons were told the
  // request went, so an agent must read the reason there (it may name the
  // person, so it is not repeated here).
  std::vector<std::string> rejected;
  // The acknowledgements that could not be read or filed
  // (AcknowledgementsRead::problems): an agent must look at them.
  std::vector<std::string> acknowledgement_problems;
  int64_t held = 0;  // sent with no answer, held for the operator (Store::settle_held)
  std::string deliverer;  // this process's id, which the rows it delivered carry
  int64_t channel_pauses = 0;  // a channel down: its actions waited without attempts
  double seconds = 0;
  // Failed attempts by channel and cause ("email: SMTP 421 ..."): codes and
  // reasons only, never an address or a name.
  std::map<std::string, int64_t> failure_causes;
};

// How far delivery has got, for a progress display: the actions due when
// it started, those sent and the attempts failed so far.
struct DeliveryProgress {
  int64_t due = 0, sent = 0, failed_attempts = 0;
  double seconds = 0;
  bool finished = false;  // the last call
};
using DeliveryObserver = std::function<void(const DeliveryProgress&)>;

// Delivers the actions of the runs `runs` selects (SQL LIKE pattern) until
// none is due or waiting for a retry (but the notices of requests that
// failed for good, OutboxCounts::awaiting_failed_request), or until
// `wait_limit_seconds` have passed while only retries were waiting. `store`
// is open on `store_url`; each of the config's workers opens its own
// connection to it. One delivering process per store at a time: at start,
// actions left "sending" are taken as interrupted, and those a process gone
// delivered without its audit entry are audited, by `actor`. The caller
// audits this delivery (Store::audit_delivery, with `deliverer`). `observe`,
// when given, is called about once a second while the workers send, and
// once at the end.
Result<DeliveryStats> deliver(const std::string& actor, const std::string& store_url, Store& store, const DeliveryConfig& config,
                              const std::string& runs, double wait_limit_seconds, const DeliveryObserver& observe = {});

// The paying body's acknowledgements read: how many, and the rejected ones
// as DeliveryStats::rejected names them.
struct AcknowledgementsRead {
  int64_t read = 0;
  std::vector<std::string> rejected;
  // Files not read (a bad line, a last line without its end, unreadable:
  // none of their lines is recorded) or not moved, and lines naming no
  // request sent: each with its file and reason, hidden characters escaped
  // (the body writes them).
  std::vector<std::string> problems;
};

// Reads the paying body's acknowledgements (drop folder ack/*.ack) into the
// store, and moves each file read to ack/done/ (under a name of its own).
Result<AcknowledgementsRead> read_acknowledgements(Store& store, const std::string& folder);

}  // namespace proactif
