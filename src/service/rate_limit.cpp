#include "service/rate_limit.hpp"

namespace proactif {

bool RateLimit::allow(const std::string& address, int64_t now, int64_t& retry_after, bool& first_held) {
  const int64_t minute = now / 60, day = now / 86'400;
  std::lock_guard lock(mutex_);
  // Yesterday's counters go at the first request of a new day: the table
  // holds one day's addresses at most.
  if (day != swept_day_) {
    counts_.clear();
    swept_day_ = day;
  }
  Counts& c = counts_[address];
  if (c.minute != minute) c.minute = minute, c.in_minute = 0;
  if (c.day != day) c.day = day, c.in_day = 0;
  first_held = false;
  if (c.in_day >= per_day_) {
    retry_after = (day + 1) * 86'400 - now;
    first_held = c.held_day != day;
    c.held_day = day;
    return false;
  }
  if (c.in_minute >= per_minute_) {
    retry_after = (minute + 1) * 60 - now;
    first_held = c.held_minute != minute;
    c.held_minute = minute;
    return false;
  }
  ++c.in_minute;
  ++c.in_day;
  return true;
}

}  // namespace proactif
