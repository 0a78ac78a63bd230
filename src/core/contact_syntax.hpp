// What a contact detail must look like before it reaches a protocol or a
// printed letter. Values come from other administrations' extracts and from
// events: a line break in an email address would let it write SMTP commands
// or headers of its own, so anything that is not plainly an address is set
// aside rather than repaired.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace proactif {

// An address as RFC 5321 §4.1.2 writes a Mailbox, restricted to what a
// mail server and a person can both read: a dot-atom local part (at most 64
// characters), '@', a domain of letters, digits and hyphens in dot-separated
// labels (or a bracketed IPv4 address), 254 characters at most; ASCII only
// (no SMTPUTF8), no space, no control character, no quote, no comment.
bool is_mailbox(std::string_view address);

// A mobile number in E.164 form ("+33612345678"), from what registers write:
// "+33 6 12 34 56 78", "06.12.34.56.78", "0692 12 34 56" (La Réunion:
// +262). Empty when it is not a mobile number of the French plans (the
// mainland's, or an overseas department's mobile ranges): a landline, a
// premium number or another country's number, whose plan is not known.
std::optional<std::string> e164_mobile(std::string_view number);

// A line of a postal address as it will be printed: a control character
// (a line break among them) would move text out of the window envelope's
// block, a format character reorder or hide it (core/hidden_characters.hpp);
// false when the line holds one.
bool is_postal_line(std::string_view line);

}  // namespace proactif
