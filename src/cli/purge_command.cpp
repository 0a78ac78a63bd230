// proactif purge: applies the retention policy to the store now, and to the
// working files written beside it (campaigns and events also do it each time
// they start, so that nothing is kept longer than allowed even if nobody
// runs this).
#include <iostream>

#include "campaign/retention.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"

namespace proactif {

int purge_command(const std::string& store_url) {
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto report = apply_retention(**store, {{store_work_dir(store_url), ".csv"}}, audit_actor());
  if (!report) {
    std::cerr << "proactif: " << report.error().message << "\n";
    return 2;
  }
  std::cout << retention_text(*report) << "retention policy applied\n";
  return 0;
}

}  // namespace proactif
