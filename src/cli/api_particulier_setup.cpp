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
    if (!in) return Error{path + ": cannot read the identity"};
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto who = read_civil_identity(text);
  if (!who) return Error{path + ": " + who.error().message};
  return who;
}

Result<ApiParticulierConfig> api_particulier_settings(ApiParticulierConfig config, const std::string& token_file) {
  auto token = read_token(token_file);
  if (!token) return token.error();
  config.token = *token;
  if (std::string fault = config_fault(config); !fault.empty()) return Error{fault};
  return config;
}

Days decision_day(const std::string& date) {
  return date.empty() ? static_cast<Days>(now_ms() / 86'400'000) : *parse_iso_date(date);
}

}  // namespace proactif
