#include <gtest/gtest.h>

#include "rules/parser.hpp"

namespace proactif {

namespace {

std::string error_of(const std::string& text, int* offset = nullptr) {
  LexError e{};
  ExprPtr ast = parse_formula(text, e);
  if (ast) return "";
  if (offset) *offset = e.offset;
  return e.message;
}

}  // namespace

TEST(Formula, ParsesTheLanguage) {
  for (const char* ok : {"a + b * c <= d", "if a then 1 else if b then 2 else 3", "not a and (b or c)",
                         "x in [\"971\", \"972\"]", "sum(persons: resources_12m)",
                         "count(persons where role == \"child\")",
                         "any(persons where role in [\"applicant\", \"spouse\"]: age(birth_date, date) >= 25)",
                         "round_cent(x / 3 [month])", "min(a, b) - max(0, c)", "-x", "1_000.50"}) {
    EXPECT_EQ(error_of(ok), "") << ok;
  }
}

TEST(Formula, PrecedenceOfAndOverOr) {
  LexError e{};
  ExprPtr ast = parse_formula("a or b and c", e);
  ASSERT_TRUE(ast);
  EXPECT_EQ(ast->text, "or");
  EXPECT_EQ(ast->args[1]->text, "and");
}

TEST(Formula, ErrorsSayWhereAndWhatWasExpected) {
  int offset = -1;
  EXPECT_EQ(error_of("if a then b", &offset), "expected 'else' after the 'then' branch (every 'if' needs an 'else'), found end of formula");
  EXPECT_EQ(offset, 11);
  EXPECT_EQ(error_of("min(a, b", &offset), "expected ')' after the arguments of min, found end of formula");
  EXPECT_NE(error_of("a + * b", &offset).find("expected a value"), std::string::npos);
  EXPECT_EQ(offset, 4);
  EXPECT_NE(error_of("a $ b", &offset).find("unexpected character '$'"), std::string::npos);
  EXPECT_EQ(offset, 2);
  EXPECT_NE(error_of("\"open", &offset).find("string not closed"), std::string::npos);
  EXPECT_NE(error_of("a b").find("expected an operator"), std::string::npos);
}

}  // namespace proactif
