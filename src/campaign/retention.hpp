// The retention policy applied (GDPR art. 5-1-e): by `proactif purge`, and
// by every campaign and event as it starts, so that nothing is kept longer
// than allowed even if nobody runs the purge.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actions/delivery_config.hpp"
#include "store/store.hpp"

namespace proactif {

struct RetentionReport {
  PurgeResult store;
  int64_t files_deleted = 0;  // working files older than the data retention
  bool empty() const {
    return store.decisions_deleted + store.actions_expired + store.traces_deleted + store.objections_deleted +
               files_deleted == 0;
  }
};

// Files Proactif wrote (letters, lists for the social services, rejected
// rows, linkage reviews): the store is not the only place personal data
// rest. Only files of the given extension, in the given folders (or the
// given file itself).
struct WorkingFiles {
  std::string folder, extension;
  bool recursive = true;  // a folder another group writes in is read at its top only
};

// The requests a drop folder holds for the paying body (each member's NIR,
// names, birth date) and the acknowledgements read back: the body takes the
// batches it reads, and what it left, as what it acknowledged, goes with
// the data retention. None without a drop folder.
std::vector<WorkingFiles> transmission_files(const DeliveryConfig& delivery);

// Applies the policy to the store and to the files, and records what it
// deleted in the audit trail under `actor`.
Result<RetentionReport> apply_retention(Store& store, const std::vector<WorkingFiles>& files, const std::string& actor);

// Deletes the letters an objection named (ObjectionResult::letter_files):
// only PDF files, not what a link leads to. A file gone already (taken by
// the printer's service) is neither; one this process may not delete is
// left, to say so, and the store names it again at the next objection of
// its household; the others it forgets.
struct LettersDeleted {
  int64_t deleted = 0;
  std::vector<std::string> left;  // the files, for whoever deletes them by hand (no personal data: a code names each)
};
Result<LettersDeleted> delete_objected_letters(Store& store, const std::vector<std::string>& files);
// "; letters this process could not delete: FILE ..." for an audit entry,
// naming them for whoever deletes them; empty when none was left.
std::string letters_left_text(const LettersDeleted& letters);
// " (of which refusals not transmitted, their month holding an earlier
// claim's: CODE ...)" for an audit entry, for an agent to tell the paying
// body; empty when every refusal was queued.
std::string blocked_withdrawals_text(const ObjectionResult& result);
// "request CODE, sent on DAY, stands at the paying body: ...", for the
// operator told that a refusal could not withdraw it.
std::string blocked_withdrawal_text(const ObjectionResult::Transmitted& request);

// Takes the rights an objection covers (ObjectionResult::listed) out of the
// lists for the social services that named them, a line per household and
// right: each file written again without those lines, deleted once none is
// left in it. `title_of` gives a program's title, as the list names it. A
// file gone already (its retention passed) is neither.
struct Unlisted {
  int64_t rights = 0;
  std::vector<std::string> left;  // the lists this process could not write again
};
Unlisted unlist_objected(const std::vector<ObjectionResult::Listed>& listed,
                         const std::function<std::string(const std::string&)>& title_of);
// "; N rights taken out of the lists for the social services" (and the
// lists left) for an audit entry; empty when none was named.
std::string unlisted_text(const Unlisted& unlisted);

// "retention: ..." lines saying what was deleted; empty when nothing was.
std::string retention_text(const RetentionReport& report);

}  // namespace proactif
