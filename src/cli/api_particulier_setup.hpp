// What proofs and decide share: the person's identity read from a file, and
// the day to decide on.
#pragma once

#include <string>

#include "sources/api_particulier.hpp"

namespace proactif {

// `path` "-" for standard input; errors name the file.
Result<CivilIdentity> read_identity_file(const std::string& path);
// The day to decide on: `date` (YYYY-MM-DD), else today.
Days decision_day(const std::string& date);

}  // namespace proactif
