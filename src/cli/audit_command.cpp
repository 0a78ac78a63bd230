// proactif audit: the store's audit trail (who planned, delivered, recorded an
// objection, requeued, purged, checked a code or read a decision, and when).
#include <ctime>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "store/store.hpp"

namespace proactif {

int audit_command(const Args& args) {
  std::string store_url = default_store_url();
  int64_t since = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--store" && i + 1 < args.size()) {
      store_url = args[++i];
    } else if (args[i] == "--since" && i + 1 < args.size()) {
      auto d = parse_iso_date(args[++i]);
      if (!d) {
        std::cerr << "proactif audit: --since takes a date YYYY-MM-DD\n";
        return 2;
      }
      since = static_cast<int64_t>(*d) * 86400000;
    } else {
      std::cerr << "usage: proactif audit [--since YYYY-MM-DD] [--store URL]\n";
      return 2;
    }
  }
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto entries = (*store)->audit_log(since);
  if (!entries) {
    std::cerr << "proactif: " << entries.error().message << "\n";
    return 2;
  }
  for (const AuditEntry& e : *entries) {
    std::time_t t = static_cast<std::time_t>(e.at / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::cout << when << "  " << e.actor << "  " << e.operation << "  " << e.detail << "\n";
  }
  return 0;
}

}  // namespace proactif
