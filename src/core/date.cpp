#include "core/date.hpp"

#include <chrono>
#include <cstdio>

#include <charconv>

namespace proactif {

// Howard Hinnant's days_from_civil algorithm.
Days days_from_civil(CivilDate d) {
  int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Days>(era * 146097 + static_cast<int>(doe) - 719468);
}

CivilDate civil_from_days(Days z0) {
  const int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::optional<Days> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto number = [&](size_t from, size_t len, int& out) {
    auto [ptr, ec] = std::from_chars(s.data() + from, s.data() + from + len, out);
    return ec == std::errc() && ptr == s.data() + from + len;
  };
  CivilDate d{};
  if (!number(0, 4, d.year) || !number(5, 2, d.month) || !number(8, 2, d.day)) return std::nullopt;
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  return days_from_civil(d);
}

std::string format_iso_date(Days days) {
  CivilDate d = civil_from_days(days);
  char buf[16];
  buf[0] = static_cast<char>('0' + d.year / 1000 % 10);
  buf[1] = static_cast<char>('0' + d.year / 100 % 10);
  buf[2] = static_cast<char>('0' + d.year / 10 % 10);
  buf[3] = static_cast<char>('0' + d.year % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + d.month / 10);
  buf[6] = static_cast<char>('0' + d.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + d.day / 10);
  buf[9] = static_cast<char>('0' + d.day % 10);
  return std::string(buf, 10);
}

int age_in_years(Days birth, Days on) {
  CivilDate b = civil_from_days(birth);
  CivilDate o = civil_from_days(on);
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

Days years_before(Days on, int years) {
  CivilDate d = civil_from_days(on);
  d.year -= years;
  while (civil_from_days(days_from_civil(d)).month != d.month) --d.day;  // 29 February in a common year
  return days_from_civil(d);
}

Days start_of_year(Days days) { return days_from_civil({civil_from_days(days).year, 1, 1}); }

std::string format_french_date(Days days) {
  CivilDate c = civil_from_days(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", c.day, c.month, c.year);
  return buf;
}

Days day_in_france(int64_t epoch_ms) {
  constexpr int64_t kDay = 86'400'000, kHour = 3'600'000;
  auto floor_day = [](int64_t ms) { return static_cast<Days>(ms >= 0 ? ms / kDay : -((-ms + kDay - 1) / kDay)); };
  const int year = civil_from_days(floor_day(epoch_ms)).year;
  // 1970-01-01 was a Thursday: day d is a Sunday when (d + 4) % 7 == 0.
  auto last_sunday = [&](int month) {
    const Days last = days_from_civil({year, month, 31});
    return last - ((last + 4) % 7 + 7) % 7;
  };
  const int64_t summer_from = int64_t{last_sunday(3)} * kDay + kHour, summer_until = int64_t{last_sunday(10)} * kDay + kHour;
  const int64_t offset = epoch_ms >= summer_from && epoch_ms < summer_until ? 2 * kHour : kHour;
  return floor_day(epoch_ms + offset);
}

std::string french_day(int64_t epoch_ms) { return format_french_date(day_in_france(epoch_ms)); }

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso_timestamp(int64_t epoch_ms) {
  const int64_t seconds = epoch_ms / 1000;
  const int64_t in_day = ((seconds % 86400) + 86400) % 86400;
  const Days day = static_cast<Days>((seconds - in_day) / 86400);
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                static_cast<int>(in_day % 60));
  return format_iso_date(day) + time;
}

std::string french_long_date(const std::string& iso) {
  static const char* kMonths[] = {"janvier", "février", "mars", "avril", "mai", "juin",
                                  "juillet", "août", "septembre", "octobre", "novembre", "décembre"};
  auto d = parse_iso_date(iso);
  if (!d) return iso;
  CivilDate c = civil_from_days(*d);
  return std::to_string(c.day) + (c.day == 1 ? "er " : " ") + kMonths[c.month - 1] + " " + std::to_string(c.year);
}

std::string french_duration(int64_t days) {
  if (days % 365 == 0) return days == 365 ? "1 an" : std::to_string(days / 365) + " ans";
  return std::to_string(days * 12 / 365) + " mois";
}

Days today() { return day_in_france(now_ms()); }

}  // namespace proactif
