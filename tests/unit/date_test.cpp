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

}  // namespace proactif
