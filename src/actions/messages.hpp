// A message rendered from its Mustache templates (templates/fr/<action>.txt
// and .html): the first line of the text template is the subject. The
// variables are those the planner stored with the action (message JSON).
#pragma once

#include <string>

#include "core/result.hpp"

namespace proactif {

struct RenderedMessage {
  std::string subject, text, html;
  std::string sender, date;  // from the variables: the letter's heading
};

std::string templates_dir();  // PROACTIF_TEMPLATES, or the source tree's templates/fr

Result<RenderedMessage> render_message(const std::string& dir, const std::string& message_json);

// The text of an SMS (templates/fr/<action>.sms.mustache), as a JSON string.
Result<std::string> render_sms(const std::string& dir, const std::string& message_json);

}  // namespace proactif
