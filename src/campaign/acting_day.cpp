#include "campaign/acting_day.hpp"

namespace proactif {

std::string acting_day_refusal(Days day, Days today, Days most_days_before, bool past_allowed, const std::string& what) {
  if (day > today) return what + " " + format_iso_date(day) + " is after today (" + format_iso_date(today) + "): act on it on that day";
  if (!past_allowed && day < today - most_days_before)
    return what + " " + format_iso_date(day) + " is more than " + std::to_string(most_days_before) +
           " days before today (" + format_iso_date(today) +
           "): what it would tell or transmit is what held then; --past-date to act on it all the same";
  return {};
}

}  // namespace proactif
