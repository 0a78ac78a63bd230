#include <gtest/gtest.h>

#include "core/date.hpp"

namespace proactif {

TEST(Date, ParsesAndFormatsIsoDates) {
  auto d = parse_iso_date("2025-06-15");
  ASSERT_TRUE(d);
  EXPECT_EQ(format_iso_date(*d), "2025-06-15");
  EXPECT_EQ(*parse_iso_date("1970-01-01"), 0);
  EXPECT_EQ(*parse_iso_date("2000-03-01") - *parse_iso_date("2000-02-28"), 2);  // 2000 is a leap year
}

TEST(Date, RefusesDatesThatDoNotExist) {
  EXPECT_FALSE(parse_iso_date("2025-02-29"));
  EXPECT_FALSE(parse_iso_date("1900-02-29"));
  EXPECT_TRUE(parse_iso_date("2024-02-29"));
  EXPECT_FALSE(parse_iso_date("2025-13-01"));
  EXPECT_FALSE(parse_iso_date("2025-04-31"));
  EXPECT_FALSE(parse_iso_date("15/06/2025"));
  EXPECT_FALSE(parse_iso_date("2025-6-15"));
  EXPECT_FALSE(parse_iso_date(""));
}

TEST(Date, AgeInCompletedYears) {
  auto at = [](const char* s) { return *parse_iso_date(s); };
  EXPECT_EQ(age_in_years(at("2000-06-15"), at("2025-06-15")), 25);
  EXPECT_EQ(age_in_years(at("2000-06-15"), at("2025-06-14")), 24);
  // Born on 29 February: one year older on 1 March in a common year.
  EXPECT_EQ(age_in_years(at("2004-02-29"), at("2025-02-28")), 20);
  EXPECT_EQ(age_in_years(at("2004-02-29"), at("2025-03-01")), 21);
  EXPECT_EQ(format_iso_date(start_of_year(at("2025-06-15"))), "2025-01-01");
}

// The day in France, in winter (UTC+1) and summer (UTC+2), on both sides of
// midnight and of the changes of time (last Sundays of March and October at
// 01:00 UTC): a letter prepared at 00:30 in Paris bears that day.
TEST(Date, TheDayInFrance) {
  auto at = [](const char* day, int hour, int minute) {
    return int64_t{*parse_iso_date(day)} * 86'400'000 + (hour * 60 + minute) * int64_t{60'000};
  };
  auto day = [](int64_t ms) { return format_iso_date(day_in_france(ms)); };
  EXPECT_EQ(day(at("2025-01-15", 22, 59)), "2025-01-15");  // 23:59 in Paris
  EXPECT_EQ(day(at("2025-01-15", 23, 0)), "2025-01-16");   // midnight in Paris, winter
  EXPECT_EQ(day(at("2025-06-15", 21, 59)), "2025-06-15");
  EXPECT_EQ(day(at("2025-06-15", 22, 30)), "2025-06-16");  // 00:30 in Paris, summer
  EXPECT_EQ(day(at("2025-03-29", 23, 30)), "2025-03-30");  // the night time changes (30 March 2025)
  EXPECT_EQ(day(at("2025-03-30", 0, 59)), "2025-03-30");
  EXPECT_EQ(day(at("2025-03-30", 22, 0)), "2025-03-31");   // 00:00 CEST
  EXPECT_EQ(day(at("2025-03-30", 21, 59)), "2025-03-30");
  EXPECT_EQ(day(at("2025-10-25", 22, 0)), "2025-10-26");   // still summer time: 00:00
  EXPECT_EQ(day(at("2025-10-26", 22, 59)), "2025-10-26");  // winter again (26 October 2025): 23:59
  EXPECT_EQ(day(at("2025-10-26", 23, 0)), "2025-10-27");
  EXPECT_EQ(day(at("2024-03-30", 23, 0)), "2024-03-31");   // 31 March 2024, a leap year
  EXPECT_EQ(day(at("2024-03-31", 22, 0)), "2024-04-01");
  EXPECT_EQ(day(at("1969-12-31", 23, 0)), "1970-01-01");   // before 1970: days below zero
  EXPECT_EQ(french_day(at("2025-06-15", 22, 30)), "16/06/2025");
}

}  // namespace proactif
