// Where actions go and how hard to try: the channels' endpoints and folders,
// the transmission to the paying body, retries and workers. Read from a
// campaign or event rules file (campaign/), used by the delivery worker.
#pragma once

#include <string>

namespace proactif {

struct DeliveryConfig {
  std::string file;                    // the file it was read from, for messages
  std::string smtp_url, email_from;    // email
  std::string sms_url, sms_sender;     // SMS provider (HTTP)
  std::string letters_dir;             // letters (PDF)
  std::string templates_dir;           // message templates; empty: templates_dir()
  // Grants: requests transmitted to the paying body, in batch files of a
  // drop folder (acknowledgements read back from its ack/ folder), or posted
  // to its HTTP endpoint.
  std::string transmission_to, transmission_folder, transmission_url;
  int workers = 4;                     // delivery threads
  int max_attempts = 6;
  double first_retry_seconds = 2;      // doubled after each failed attempt
};

}  // namespace proactif
