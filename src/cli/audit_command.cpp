// proactif audit: the store's audit trail (who planned, delivered, recorded an
// objection, requeued, purged, checked a code or read a decision, and when).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/json_text.hpp"
#include "store/store.hpp"

namespace proactif {

int audit_command(const AuditArguments& args) {
  const std::string& store_url = args.store_url;
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto entries = (*store)->audit_log(args.since_ms);
  if (!entries) {
    std::cerr << "proactif: " << entries.error().message << "\n";
    return 2;
  }
  for (const AuditEntry& e : *entries) {
    const std::string when = iso_timestamp(e.at);
    if (!args.json) {
      std::cout << when << "  " << e.actor << "  " << e.operation << "  " << e.detail << "\n";
      continue;
    }
    std::string line = "{\"at\":";
    append_json_string(line, when);
    for (const auto& [name, value] : {std::pair{"actor", &e.actor}, {"operation", &e.operation}, {"detail", &e.detail}}) {
      line += std::string(",\"") + name + "\":";
      append_json_string(line, *value);
    }
    std::cout << line << "}\n";
  }
  return 0;
}

}  // namespace proactif
