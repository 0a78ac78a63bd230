// What proofs and decide share: the person's identity read from a file, and
// the client's settings completed with its token and checked.
#pragma once

#include <string>

#include "sources/api_particulier.hpp"

namespace proactif {

// `path` "-" for standard input; errors name the file.
Result<CivilIdentity> read_identity_file(const std::string& path);
// The settings with the token (from `token_file`, else the environment), checked.
Result<ApiParticulierConfig> api_particulier_settings(ApiParticulierConfig config, const std::string& token_file);
// The day to decide on: `date` (YYYY-MM-DD), else today.
Days decision_day(const std::string& date);

}  // namespace proactif
