// Where messages go. Each channel sends one rendered message and says
// whether it arrived, or why not and whether trying again can help.
//  - email: SMTP through libcurl, multipart text and HTML, UTF-8; the
//    Message-ID is derived from the verification code, so that a message
//    sent again after an interruption is recognisably the same one;
//  - letter: a PDF laid out as a French administrative letter (window
//    envelope address block, object, body, GDPR art. 14 information,
//    verification code and its QR code), written to a temporary file and
//    renamed into place: a letter exists whole or not at all, and writing it
//    again replaces it.
#pragma once

#include <memory>
#include <string>

#include "actions/messages.hpp"
#include "core/output_file.hpp"

namespace proactif {

struct SendResult {
  bool delivered = false;
  bool permanent = false;  // failed, and trying again will not help (550 no such user)
  std::string error;       // no personal data: codes and reasons only
  // Sent whole, and no answer came: it may have arrived. Not sent again
  // without an operator's decision where the receiver cannot recognise a copy.
  bool unknown = false;
  std::string file;  // a letter: the PDF written (an absolute path)
};

// The email as it goes on the wire (RFC 5322 and MIME, CRLF line ends):
// From with the letterhead's name as display name, folded encoded words,
// multipart/alternative text and HTML, a Message-ID derived from the
// message's reference (stable: sent again, it is recognisably the same).
std::string mime_message(const std::string& from, const std::string& to, const RenderedMessage& m);

class EmailChannel {
 public:
  EmailChannel(std::string smtp_url, std::string from, bool require_tls);
  ~EmailChannel();
  void set_timeouts(long connect_seconds, long total_seconds) {
    connect_timeout_ = connect_seconds;
    timeout_ = total_seconds;
  }
  // The authorities that sign the relay's certificate, instead of the system's.
  void set_ca_file(std::string path) { ca_file_ = std::move(path); }
  SendResult send(const std::string& to, const std::string& code, const RenderedMessage& m);

 private:
  std::string url_, from_, ca_file_;
  bool require_tls_;
  long connect_timeout_ = 10, timeout_ = 60;
  void* curl_;
};

SendResult write_letter(const std::string& folder, const std::string& recipient_block, const std::string& code,
                        const RenderedMessage& m, Sharing sharing = {});

}  // namespace proactif

namespace proactif {

// A JSON POST with an Idempotency-Key header (the verification code), so
// that a request sent again after an interruption is recognised by the
// receiver. 2xx: delivered; 4xx other than 408 and 429: permanent failure;
// anything else: try again later. Used for SMS providers and for
// transmissions to a paying body's endpoint.
class HttpChannel {
 public:
  HttpChannel();
  ~HttpChannel();
  void set_timeouts(long connect_seconds, long total_seconds) {
    connect_timeout_ = connect_seconds;
    timeout_ = total_seconds;
  }
  SendResult post(const std::string& url, const std::string& json, const std::string& idempotency_key);

 private:
  long connect_timeout_ = 10, timeout_ = 30;
  void* curl_;
};

// Transmissions in a drop folder: one JSON-lines file per batch, written
// to a temporary name, synced and renamed into place, so that the receiving
// body sees a batch whole or not at all. The body answers with
// ack/<batch>.ack, one line per request: {"request": CODE, "status":
// "accepted"} or {"request": CODE, "status": "rejected", "reason": "..."}.
// Shared with the body's group, the folder and ack/ are the group's to
// write too (it takes the batches and leaves its acknowledgements).
SendResult write_batch(const std::string& folder, const std::string& batch, const std::string& lines,
                       Sharing sharing = {});
// A batch is placed once its file, or the body's acknowledgement of it, exists.
bool batch_placed(const std::string& folder, const std::string& batch);

}  // namespace proactif
