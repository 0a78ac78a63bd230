#include "service/service.hpp"

#include <algorithm>
#include <filesystem>

#include "core/data_paths.hpp"

namespace proactif {

namespace {

// Connections are per thread and per store address (one address per process
// in practice; tests start several servers in one process of their own).
struct ThreadStore {
  std::string url;
  std::unique_ptr<Store> store;
};
thread_local ThreadStore this_thread_store;

}  // namespace

Service::Service(ServiceConfig config)
    : config_(std::move(config)),
      citizen_limit_(config_.citizen_per_minute, config_.citizen_per_day),
      sign_in_limit_(config_.sign_in_per_minute, config_.sign_in_per_day) {
  if (config_.api_particulier) api_particulier_ = std::make_unique<ApiParticulierClient>(*config_.api_particulier);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(programs_dir(), ec)) {
    const std::string id = entry.path().filename().string();
    if (!std::filesystem::is_regular_file(entry.path() / "program.yaml", ec)) continue;
    auto engine = load_engine({id});
    if (!engine) {
      refused_.push_back(engine.error().message);  // the service offers the others, and says so
      continue;
    }
    ids_.push_back(id);
    single_.emplace(id, std::shared_ptr<const Engine>(std::move(*engine)));
  }
  std::sort(ids_.begin(), ids_.end());
}

const Program* Service::program(const std::string& id) const {
  auto it = single_.find(id);
  return it == single_.end() ? nullptr : it->second->plans.front()->program.get();
}

std::string Service::title_of(const std::string& id) const {
  const Program* p = program(id);
  return p ? p->title : "";
}

Result<std::shared_ptr<const Engine>> Service::engine_for(std::vector<std::string> ids) {
  // In the order asked, as `proactif evaluate --program` takes them: the
  // decisions come in that order.
  std::string key;
  for (const auto& id : ids) {
    if (!single_.count(id)) return Error{ErrorKind::kNotFound, "'" + id + "' is not a program in use (see /api/v1/programs)"};
    key += id + "\n";
  }
  if (ids.size() == 1) return single_.at(ids.front());
  std::lock_guard lock(engines_mutex_);
  if (auto it = engines_.find(key); it != engines_.end()) return it->second;
  auto engine = load_engine(ids);
  if (!engine) return engine.error();
  std::shared_ptr<const Engine> shared(std::move(*engine));
  if (engines_.size() >= 256) engines_.clear();  // a bound on what callers can make it compile
  engines_.emplace(key, shared);
  return shared;
}

Result<Store*> Service::store() {
  ThreadStore& mine = this_thread_store;
  if (!mine.store || mine.url != config_.store_url) {
    auto opened = Store::open(config_.store_url);
    if (!opened) return opened.error();
    mine.store = std::move(*opened);
    mine.url = config_.store_url;
  }
  return mine.store.get();
}

std::unique_lock<std::mutex> Service::writing() {
  if (config_.store_url.rfind("sqlite:", 0) != 0) return {};
  return std::unique_lock<std::mutex>(writer_mutex_);
}

void Service::drop_store() { this_thread_store.store.reset(); }

}  // namespace proactif
