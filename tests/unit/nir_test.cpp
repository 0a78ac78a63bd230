#include <gtest/gtest.h>

#include "core/nir.hpp"

namespace proactif {

TEST(Nir, KeyIs97MinusTheNumberModulo97) {
  EXPECT_EQ(nir_key("1850338185123"), 95);  // 97 - 1850338185123 mod 97
  EXPECT_EQ(check_nir("1 85 03 38 185 123 95").nir, "185033818512395");
  EXPECT_TRUE(check_nir("185033818512395").ok());
}

TEST(Nir, CorsicaCountsAs19And18) {
  // 2A -> 19: 97 - (1990219004002 mod 97) = 25; 2B -> 18.
  EXPECT_EQ(nir_key("199022A004002"), 97 - static_cast<int>(1990219004002ULL % 97));
  EXPECT_EQ(nir_key("199022B004002"), 97 - static_cast<int>(1990218004002ULL % 97));
  EXPECT_TRUE(check_nir("199022A00400225").ok()) << check_nir("199022A00400225").reason;
  EXPECT_EQ(check_nir("199022a00400225").nir, "199022A00400225");
  EXPECT_FALSE(nir_key("1990226A04002"));  // an A anywhere else is not a NIR
}

TEST(Nir, ReasonsForRejection) {
  EXPECT_EQ(check_nir("18503381851").reason, "a NIR has 15 characters (13 and a 2-digit key), not 11");
  EXPECT_EQ(check_nir("585033818512395").reason, "a NIR starts with 1, 2, 3, 4, 7 or 8");
  EXPECT_EQ(check_nir("1850338X8512395").reason, "a NIR is made of digits (2A or 2B for Corsica)");
  EXPECT_EQ(check_nir("185033818512300").reason, "the NIR key does not match (expected 95)");
  EXPECT_EQ(check_nir("1850338185123AB").reason, "the NIR key is not a number");
}

}  // namespace proactif
