#include "cli/api_particulier_setup.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

namespace proactif {

Result<CivilIdentity> read_identity_file(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path);
    if (!in) return Error{ErrorKind::kNotFound, path + ": cannot read the identity"};
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto who = read_civil_identity(text);
  if (!who) return Error{who.error().kind, path + ": " + who.error().message};
  return who;
}

std::optional<ApiParticulierRequest> prepare_api_particulier(const std::string& identity_file,
                                                             const ApiParticulierConfig& config,
                                                             const std::string& token_file) {
  auto who = read_identity_file(identity_file);
  if (!who) {
    std::cerr << "proactif: " << who.error().message << "\n";
    return std::nullopt;
  }
  auto settings = api_particulier_settings(config, token_file);
  if (!settings) {
    std::cerr << "proactif: " << settings.error().message << "\n";
    return std::nullopt;
  }
  return ApiParticulierRequest{std::move(*who), std::move(*settings)};
}

Days decision_day(const std::string& date) {
  return date.empty() ? today() : *parse_iso_date(date);
}

}  // namespace proactif
