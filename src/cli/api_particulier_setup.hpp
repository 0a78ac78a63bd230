// What proofs and decide share: the person's identity read from a file, and
// the day to decide on.
#pragma once

#include <optional>
#include <string>

#include "sources/api_particulier.hpp"

namespace proactif {

// `path` "-" for standard input; errors name the file.
Result<CivilIdentity> read_identity_file(const std::string& path);

// What a command asks API Particulier with: the person and the checked
// settings; none, with the reason on standard error, when either is wrong.
struct ApiParticulierRequest {
  CivilIdentity person;
  ApiParticulierConfig config;
};
std::optional<ApiParticulierRequest> prepare_api_particulier(const std::string& identity_file,
                                                             const ApiParticulierConfig& config,
                                                             const std::string& token_file);
// The day to decide on: `date` (YYYY-MM-DD), else today.
Days decision_day(const std::string& date);

}  // namespace proactif
