// The retention policy applied (GDPR art. 5-1-e): by `proactif purge`, and
// by every campaign and event as it starts, so that nothing is kept longer
// than allowed even if nobody runs the purge.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
};

// Applies the policy to the store and to the files, and records what it
// deleted in the audit trail under `actor`.
Result<RetentionReport> apply_retention(Store& store, const std::vector<WorkingFiles>& files, const std::string& actor);

// "retention: ..." lines saying what was deleted; empty when nothing was.
std::string retention_text(const RetentionReport& report);

}  // namespace proactif
