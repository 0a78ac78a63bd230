// How many requests an address may make to the citizen endpoints that take
// a message's code: a few a minute and a few hundred a day, enough for a
// person and their family, while an attacker guessing codes (60 random
// bits) at 200 a day would need over a million years per address to hit
// one of ten million messages (docs/service.md). Counted in this process's
// memory: with several servers behind one address, each counts its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace proactif {

class RateLimit {
 public:
  RateLimit(int per_minute, int per_day) : per_minute_(per_minute), per_day_(per_day) {}
  // Counts one request from `address`; false when it is over either limit,
  // with the seconds until it may ask again, and `first_held` true for the
  // first request held back in that limit's minute or day (the one the audit
  // trail records: the others of the window would only flood it).
  bool allow(const std::string& address, int64_t now_seconds, int64_t& retry_after, bool& first_held);
  int per_minute() const { return per_minute_; }
  int per_day() const { return per_day_; }

 private:
  struct Counts {
    int64_t minute = -1, day = -1;
    int in_minute = 0, in_day = 0;
    int64_t held_minute = -1, held_day = -1;  // the last minute and day a request was held back
  };
  int per_minute_, per_day_;
  std::mutex mutex_;
  std::unordered_map<std::string, Counts> counts_;
  int64_t swept_day_ = -1;
};

}  // namespace proactif
