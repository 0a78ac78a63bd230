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

Days decision_day(const std::string& date) {
  return date.empty() ? today() : *parse_iso_date(date);
}

}  // namespace proactif
