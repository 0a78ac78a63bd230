// What every request of `proactif serve` shares: the programs in use, the
// store's address (each server thread keeps its own connection, so that
// several servers can run against one PostgreSQL: no state is kept here
// but caches and the citizen endpoints' counters), and the limits.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "eval/engine.hpp"
#include "service/rate_limit.hpp"
#include "sources/api_particulier.hpp"
#include "store/store.hpp"

namespace proactif {

struct ServiceConfig {
  std::string store_url;
  std::string web_dir;
  int citizen_per_minute = 10;
  int citizen_per_day = 200;
  // Agents' sign-in attempts per client address: a minute, a day.
  int sign_in_per_minute = 10;
  int sign_in_per_day = 100;
  std::optional<ApiParticulierConfig> api_particulier;  // none: not set up here
};

class Service {
 public:
  explicit Service(ServiceConfig config);

  const ServiceConfig& config() const { return config_; }
  // Ids of the programs in programs_dir(), sorted; each loaded on its own.
  const std::vector<std::string>& program_ids() const { return ids_; }
  // The program files that did not load, with the reason: not offered.
  const std::vector<std::string>& programs_refused() const { return refused_; }
  // nullptr for an id that is not in use.
  const Program* program(const std::string& id) const;
  // Its title, "" for an id not in use.
  std::string title_of(const std::string& id) const;
  // The programs evaluated together, compiled once per set.
  Result<std::shared_ptr<const Engine>> engine_for(std::vector<std::string> ids);
  // This thread's connection to the store, opened on first use; dropped by
  // drop_store() after a failure so that the next request reconnects.
  Result<Store*> store();
  void drop_store();
  RateLimit& citizen_limit() { return citizen_limit_; }
  RateLimit& sign_in_limit() { return sign_in_limit_; }
  // Held while a request writes to the store (an audit row at least).
  // SQLite takes one writer at a time and makes the others sleep and try
  // again, which stretched the slowest answers to 750 ms under load: this
  // process's writers queue here instead. PostgreSQL needs no such lock.
  std::unique_lock<std::mutex> writing();
  // The client of API Particulier, shared by the threads (its rate limit is
  // the token's); nullptr when it is not set up.
  ApiParticulierClient* api_particulier() { return api_particulier_.get(); }

 private:
  ServiceConfig config_;
  std::vector<std::string> ids_, refused_;
  std::map<std::string, std::shared_ptr<const Engine>> single_;
  std::mutex engines_mutex_;
  std::map<std::string, std::shared_ptr<const Engine>> engines_;
  RateLimit citizen_limit_;
  RateLimit sign_in_limit_;
  std::mutex writer_mutex_;
  std::unique_ptr<ApiParticulierClient> api_particulier_;
};

}  // namespace proactif
