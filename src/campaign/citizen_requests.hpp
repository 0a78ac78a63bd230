// What a person can ask of Proactif with the code printed on a message, as
// the command line and the service both call it: whether the message is
// authentic (and nothing personal beyond what it said), and an objection to
// the processing, recorded, pending messages cancelled, audited.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "campaign/retention.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace proactif {

struct MessageCheck {
  std::string code;  // as normalised
  bool authentic = false;
  std::string program;
  std::string right;   // the benefit's title, as the message named it ("" when its file is gone)
  std::string what;    // "information sur un droit possible", ...
  std::string medium;  // "courrier", "courriel", "SMS", "transmission entre administrations"
  bool medium_feminine = false;  // "transmission ... préparée"
  std::string sender;
  int64_t prepared_at = 0, sent_at = 0;  // sent_at 0: not sent
  // The outbox's state ("pending", "held", "dead", "expired", ...), and
  // whether a send was interrupted, so that it may have arrived.
  std::string state;
  bool in_doubt = false;
  bool cancelled = false;
  bool well_formed = true;  // false: not 12 characters of a code's alphabet, so not looked up
  // The reference of a decision taken at the counter (an instant decision),
  // which the person was given like a message's code.
  bool counter_decision = false;
  int64_t deleted_at = 0;  // a counter decision deleted since (its trace kept)
  std::string deletion;    // "objection" or "retention"
};

// `actor` is recorded in the audit trail with the code checked;
// `title_of` gives a program's title, "" for a program no longer in use.
using ProgramTitle = std::function<std::string(const std::string& program)>;
Result<MessageCheck> check_message(Store& store, const std::string& typed_code, const std::string& actor,
                                   const ProgramTitle& title_of);
// The title in the program's file, loaded for the occasion (the command line).
std::string program_title_from_file(const std::string& program);

// The answer to a person, in French: authentic and what, or unknown and what to do.
std::string message_check_text(const MessageCheck& check);

struct ObjectionRequest {
  std::string code;     // a message's code; or
  std::string subject;  // a household or person id (an agent on the person's behalf)
  std::string program;  // a program id; "" with a code: the message's program
  bool all = false;     // to every program
  std::string origin;   // how it reached us: "courrier", "page d'opposition", ...
  // A subject no stored record names is refused (an objection recorded
  // under "A00000048" would never reach "CAF:A00000048"), unless the agent
  // says the person is not yet known: recorded as given, for the campaigns
  // to come (unless a stored identifier is like it: that one was meant).
  bool not_yet_known = false;
};

struct ObjectionOutcome {
  bool code_unknown = false;  // no message has this code: nothing recorded
  // What was typed does not have a code's form (a typing error): said so,
  // as `verify` says it, not as a code unknown.
  bool code_malformed = false;
  std::string code;  // as normalised, to say it back
  // No stored record names the subject, and the agent did not say the
  // person is not yet known: nothing recorded; `near` lists the stored
  // identifiers it may have been meant for.
  bool subject_unknown = false;
  std::vector<std::string> near;
  // Said not yet known, the subject does not have the form campaigns name
  // households and persons (SOURCE:ID, without spaces, commas or %): it
  // would protect nobody; nothing recorded.
  bool subject_malformed = false;
  // The code was a counter decision's reference: the objection is to that
  // decision alone (the reference says nothing of the person's other
  // records, which a campaign knows under other identifiers).
  bool counter_decision = false;
  int64_t already_deleted_at = 0;  // that decision was deleted before (an objection, or retention)
  std::string subject, program;  // program "*": all
  ObjectionResult result;
  LettersDeleted letters;  // their PDFs in the letters folder
  Unlisted unlisted;       // the lists for the social services that named them
};

// A program named without a code must be one of `programs_dir()`: an
// objection to a program that does not exist would protect nobody while
// saying it was recorded.
Result<ObjectionOutcome> record_objection(Store& store, const ObjectionRequest& request, const std::string& actor);

}  // namespace proactif
