// Physical units of numbers in programs: a product of base units with integer
// exponents (EUR/month is EUR^1 month^-1), so that adding a monthly amount to
// a yearly one, or comparing an age with a sum of money, is caught before run.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace proactif {

class Unit {
 public:
  enum Base { kEur, kMonth, kYear, kDay, kPerson, kBaseCount };

  static Unit dimensionless() { return Unit(); }
  static Unit base(Base b) {
    Unit u;
    u.exps_[b] = 1;
    return u;
  }
  // Accepts "EUR", "EUR/month", "EUR/year", "year", "person", "1", "%", and
  // OpenFisca's "/1" (a rate) and "currency" (an amount of euros).
  static std::optional<Unit> parse(std::string_view text);

  Unit operator*(const Unit& o) const;
  Unit operator/(const Unit& o) const;
  bool operator==(const Unit& o) const = default;
  bool is_dimensionless() const { return *this == Unit(); }
  int exponent(Base b) const { return exps_[b]; }
  std::string to_string() const;

 private:
  std::array<int8_t, kBaseCount> exps_{};
};

}  // namespace proactif
