// proactif purge: applies the retention policy to the store now (campaigns
// and events also do it each time they start, so that nothing is kept
// longer than allowed even if nobody runs this).
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "store/store.hpp"

namespace proactif {

std::optional<Error> purge_store(Store& store, std::ostream& out) {
  auto r = store.purge(now_ms());
  if (!r) return r.error();
  if (r->decisions_deleted + r->actions_expired + r->traces_deleted + r->objections_deleted == 0) return std::nullopt;
  if (auto err = store.audit(audit_actor(), "retention applied",
                             std::to_string(r->decisions_deleted) + " decisions deleted, " +
                                 std::to_string(r->actions_expired) + " actions expired, " +
                                 std::to_string(r->traces_deleted) + " traces and " +
                                 std::to_string(r->objections_deleted) + " objections deleted"))
    return err;
  out << "retention: " << r->decisions_deleted << " decisions older than 12 months deleted, " << r->actions_expired
        << " unsent actions expired, " << r->traces_deleted << " exchange traces older than 36 months and "
        << r->objections_deleted << " objection traces older than 24 months deleted\n";
  return std::nullopt;
}

int64_t purge_old_files(const std::vector<CampaignFiles>& places, std::ostream& out) {
  namespace fs = std::filesystem;
  const auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * RetentionPolicy{}.data_days);
  int64_t removed = 0;
  for (const auto& [folder, extension] : places) {
    std::error_code ec;
    if (folder.empty() || !fs::is_directory(folder, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      std::error_code file_ec;
      if (it->path().extension() == extension && it->is_regular_file(file_ec) && !file_ec &&
          it->last_write_time(file_ec) < limit && !file_ec)
        removed += fs::remove(it->path(), file_ec);
    }
  }
  if (removed) out << "retention: " << removed << " files older than 12 months deleted from the campaign's folders\n";
  return removed;
}

int purge_command(const Args& args) {
  std::string store_url = default_store_url();
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--store" && i + 1 < args.size()) store_url = args[++i];
    else {
      std::cerr << "usage: proactif purge [--store URL]\n";
      return 2;
    }
  }
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  if (auto err = purge_store(**store, std::cout)) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  std::cout << "retention policy applied\n";
  return 0;
}

}  // namespace proactif
