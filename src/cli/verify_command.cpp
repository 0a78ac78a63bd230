// proactif verify CODE: tells a person (or an agent on the phone) whether a
// message with this code was sent by the administration, when and for which
// right, and nothing else: no name, no address, no amount.
#include <iostream>

#include "campaign/citizen_requests.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"

namespace proactif {

int verify_command(const std::string& code, const std::string& store_url) {
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto check = check_message(**store, code, audit_actor(), program_title_from_file);
  if (!check) {
    std::cerr << "proactif: " << check.error().message << "\n";
    return 2;
  }
  std::cout << message_check_text(*check) << "\n";
  return check->authentic ? 0 : 1;
}

}  // namespace proactif
