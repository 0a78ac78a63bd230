#include <gtest/gtest.h>

#include "core/french_writing.hpp"

namespace proactif {

namespace {
// The no-break space French typesetting puts between the digits of
// thousands and before € and %, spelt out so that the expected texts read.
std::string nb(std::string text) {
  for (size_t at = text.find('_'); at != std::string::npos; at = text.find('_', at)) text.replace(at, 1, "\u00a0");
  return text;
}
}  // namespace

TEST(FrenchWriting, AmountsInEurosAsAPersonReadsThem) {
  EXPECT_EQ(euros(10339), nb("10_339_€"));                       // C2S ceiling, 1 person: whole euros, no cents
  EXPECT_EQ(euros(1234.56), nb("1_234,56_€"));
  EXPECT_EQ(euros(2.5), nb("2,50_€"));                            // cents kept to two digits
  EXPECT_EQ(euros(646.52), nb("646,52_€"));                       // RSA lump sum, 1 person, 2025-04-01
  EXPECT_EQ(euros(1000000), nb("1_000_000_€"));
  EXPECT_EQ(euros(-0.001), nb("0_€"));                            // no "-0"
  EXPECT_EQ(euros(-96.88), nb("-96,88_€"));
}

TEST(FrenchWriting, QuantitiesWithTheirUnit) {
  EXPECT_EQ(french_quantity(36, *Unit::parse("EUR/month")), nb("36_€ par mois"));
  EXPECT_EQ(french_quantity(7200, *Unit::parse("EUR/year")), nb("7_200_€ par an"));
  EXPECT_EQ(french_quantity(0.5, Unit(), true), nb("50_%"));
  EXPECT_EQ(french_quantity(1, Unit::base(Unit::kYear)), "1 an");
  EXPECT_EQ(french_quantity(25, Unit::base(Unit::kYear)), "25 ans");
  EXPECT_EQ(french_quantity(2, Unit::base(Unit::kPerson)), "2 personnes");
  EXPECT_EQ(french_quantity(1.5, Unit()), "1,5");
}

TEST(FrenchWriting, ListsJoinedWithEt) {
  EXPECT_EQ(french_list({}), "");
  EXPECT_EQ(french_list({"CAF"}), "CAF");
  EXPECT_EQ(french_list({"CAF", "DGFiP", "DRM"}), "CAF, DGFiP et DRM");
  EXPECT_EQ(capitalised("vous"), "Vous");
  EXPECT_EQ(capitalised("à la CAF"), "à la CAF");  // not an ASCII letter: left as it is
}

}  // namespace proactif
