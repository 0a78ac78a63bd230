#include <gtest/gtest.h>

#include "core/units.hpp"

namespace proactif {

TEST(Unit, ParsesCompoundUnits) {
  auto per_month = Unit::parse("EUR/month");
  ASSERT_TRUE(per_month);
  EXPECT_EQ(per_month->exponent(Unit::kEur), 1);
  EXPECT_EQ(per_month->exponent(Unit::kMonth), -1);
  EXPECT_EQ(per_month->to_string(), "EUR/month");
  EXPECT_EQ(*Unit::parse("currency"), Unit::base(Unit::kEur));
  EXPECT_TRUE(Unit::parse("/1")->is_dimensionless());
  EXPECT_EQ(Unit::parse("EUR/person/year")->to_string(), "EUR/year*person");
  EXPECT_FALSE(Unit::parse("dollars"));
}

TEST(Unit, MultipliesAndDivides) {
  Unit eur_month = *Unit::parse("EUR/month");
  Unit month = Unit::base(Unit::kMonth);
  EXPECT_EQ(eur_month * month, Unit::base(Unit::kEur));
  EXPECT_EQ((Unit::base(Unit::kEur) / month), eur_month);
  EXPECT_FALSE(eur_month == *Unit::parse("EUR/year"));
}

}  // namespace proactif
