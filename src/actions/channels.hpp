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

namespace proactif {

struct SendResult {
  bool delivered = false;
  bool permanent = false;  // failed, and trying again will not help (550 no such user)
  std::string error;       // no personal data: codes and reasons only
};

class EmailChannel {
 public:
  EmailChannel(std::string smtp_url, std::string from);
  ~EmailChannel();
  SendResult send(const std::string& to, const std::string& code, const RenderedMessage& m);

 private:
  std::string url_, from_;
  void* curl_;
};

SendResult write_letter(const std::string& folder, const std::string& recipient_block, const std::string& code,
                        const std::string& sender, const std::string& date, const RenderedMessage& m);

}  // namespace proactif
