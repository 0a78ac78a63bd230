// How far from today a campaign or an event may be acted on. A message tells
// people of their rights now, and a request is transmitted now, from the law
// and the data of the day they are decided on: a day to come is not yet, and
// a day long past (an old campaign file run again, an event replayed years
// later) would tell them, or transmit for them, what held then.
#pragma once

#include <string>

#include "core/date.hpp"

namespace proactif {

// A campaign decides on its `date`: at most a month before today, the window
// in which it may also ask API Particulier (api_particulier_fill.hpp).
inline constexpr Days kCampaignDaysBeforeToday = 31;
// A campaign's extracts are taken at most a month before its date: a monthly
// extract, the last of the month before.
inline constexpr Days kExtractDaysBeforeCampaign = 31;
// An event (an RSA granted) is acted on within two months of its date: a
// month's events sent in the month after.
inline constexpr Days kEventDaysBeforeToday = 62;

// Why `day` may not be acted on `today` for `what` ("the campaign's date",
// "field 'date'"), or empty. `past_allowed`: the operator said so
// (--past-date), for a rehearsal on past extracts or rights decided as of
// that day; a day to come is refused all the same.
std::string acting_day_refusal(Days day, Days today, Days most_days_before, bool past_allowed, const std::string& what);

}  // namespace proactif
