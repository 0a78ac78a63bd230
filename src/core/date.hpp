// Civil dates as a count of days since 1970-01-01 (proleptic Gregorian), the
// one representation the engine computes with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace proactif {

using Days = int32_t;

struct CivilDate {
  int year;
  int month;
  int day;
};

Days days_from_civil(CivilDate date);
CivilDate civil_from_days(Days days);

// Parses "YYYY-MM-DD"; rejects dates that do not exist (2025-02-30).
std::optional<Days> parse_iso_date(std::string_view text);
std::string format_iso_date(Days days);
// "1er juin 2025", "15 juin 2025", as a French letter dates; the text itself when not a date.
std::string french_long_date(const std::string& iso);

// Age in completed years on `on`: a person born on 29 February turns one
// year older on 1 March in common years, as French civil law counts it.
int age_in_years(Days birth, Days on);
// The day `years` years before `on` (28 February for a 29 February in a
// common year): age_in_years(b, on) >= years exactly when b <= that day.
Days years_before(Days on, int years);
Days start_of_year(Days days);

// The day a moment (milliseconds since 1970, UTC) falls on in metropolitan
// France's legal time: UTC+1, and UTC+2 from the last Sunday of March to the
// last Sunday of October, both at 01:00 UTC (directive 2000/84/EC). A letter
// prepared at 00:30 in Paris bears that day, not the UTC day before.
Days day_in_france(int64_t epoch_ms);
// "26/11/2026": a moment as a French date, the day it is in France.
std::string french_day(int64_t epoch_ms);
// The current moment, in milliseconds since 1970-01-01 UTC: when things
// are decided, sent and recorded.
int64_t now_ms();
// The current day in France (day_in_france).
Days today();
// "2026-11-26T09:30:00Z": a moment as ISO 8601, in UTC.
std::string iso_timestamp(int64_t epoch_ms);
// "12 mois", "2 ans": a period of days as a message to a person says it.
std::string french_duration(int64_t days);
// "15/06/2025": a date as French texts write it.
std::string format_french_date(Days days);

}  // namespace proactif
