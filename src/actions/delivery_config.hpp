// Where actions go and how hard to try: the channels' endpoints and folders,
// the transmission to the paying body, retries and workers. Read from a
// campaign or event rules file (campaign/), used by the delivery worker.
#pragma once

#include <string>

#include "core/output_file.hpp"

namespace proactif {

// How long one attempt may take: to connect, and in all.
struct Timeouts {
  long connect = 10, send = 60;
};

struct DeliveryConfig {
  std::string file;                    // the file it was read from, for messages
  std::string smtp_url, email_from;    // email
  bool smtp_starttls = true;           // false only for a server on loopback
  // The certificates that sign the relay's (an administration's own
  // authority), in PEM; empty: the system's. The relay's certificate and
  // name are always verified.
  std::string smtp_ca_file;
  std::string sms_url, sms_sender;     // SMS provider (HTTP)
  std::string letters_dir;             // letters (PDF)
  Sharing letters_sharing;             // the printing service's group, which reads them
  std::string templates_dir;           // message templates; empty: templates_dir()
  // Grants: requests transmitted to the paying body, in batch files of a
  // drop folder (acknowledgements read back from its ack/ folder), or posted
  // to its HTTP endpoint.
  std::string transmission_to, transmission_folder, transmission_url;
  Sharing transmission_sharing;        // the body's group: reads and takes batches, writes ack/
  int workers = 4;                     // delivery threads
  int max_attempts = 6;
  double first_retry_seconds = 2;      // doubled after each failed attempt, up to max_retry_seconds
  double max_retry_seconds = 600;
  // A message that could not be delivered is a dead letter only once it
  // failed max_attempts times and this long has passed since it was planned
  // (or at once when the receiver refuses it for good): an outage of a few
  // minutes, or a night, costs a delay, not the campaign.
  double retry_for_seconds = 48 * 3600;
  // Per channel: `delivery: {connect_timeout_seconds, send_timeout_seconds}`
  // for all, `timeouts: {connect, send}` in a channel's section for it.
  Timeouts email_timeouts, sms_timeouts{10, 30}, transmission_timeouts{10, 30};
};

}  // namespace proactif
