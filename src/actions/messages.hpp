// A message rendered from its Mustache templates (templates/fr/<action>.txt
// and .html): the first line of the text template is the subject. The
// variables are those the planner stored with the action (message JSON).
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace proactif {

// Who writes: the body's letterhead as the campaign declares it (the
// sender block of a letter, the display name of an email's From).
struct Letterhead {
  std::string name;                  // "Grenoble-Alpes Métropole"
  std::vector<std::string> address;  // postal lines
  std::vector<std::string> contact;  // "04 76 59 59 59", "www.grenoblealpesmetropole.fr"
  std::string logo;                  // a PNG file, absolute path; empty: none
  std::string town;                  // "À Grenoble, le 29 novembre 2026"
  std::string signatory, signatory_title;
};

// A message as the channels send it. The text is the body in plain text:
// paragraphs separated by blank lines, "- " list items, and headings as a
// line underlined by a line of '=' only; it ends with the closing formula,
// then the signatory's name and title, one per line.
struct RenderedMessage {
  std::string subject, text, html;
  std::string date;        // ISO: the day it is dated, the day `verify` gives
  std::string reference;   // its reference (Message-ID, file name): the least code of its envelope
  std::vector<std::string> codes;  // the verification code of each right it tells of
  std::string verify_url;  // the page that checks its first right's code: https://…/verifier?code=…
  Letterhead from;
};


// One message telling a person of one or more rights (templates/fr/message.*),
// each given by the variables the planner stored with its action (notice
// JSON), in the order given; the reference is the first right's code.
Result<RenderedMessage> render_message(const std::string& dir, const std::vector<std::string>& rights_json);

// The postal recipient of a right's notice JSON, as a letter is addressed
// (the name, the address, the town, one per line); empty when the notice
// holds no postal address: an email or SMS refused for good goes by letter
// only where the extracts gave one.
std::string letter_recipient(const std::string& right_json);

// The same as the text of an SMS, on one line, as a JSON string.
Result<std::string> render_sms(const std::string& dir, const std::vector<std::string>& rights_json);

}  // namespace proactif
