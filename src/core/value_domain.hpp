// The values an input may take, declared once with the input (its unit, and
// `minimum`/`maximum` where the law allows other bounds) and enforced
// wherever values come in: the situation reader, the extract reader, and
// the programs' test cases (read by the situation reader). A value outside
// its domain is rejected with its line and field, like a malformed one: an
// income of 1.7e308 or of −50 000 € must not become free C2S or 3 979 € of
// RSA.
#pragma once

#include <optional>
#include <string>

#include "core/date.hpp"
#include "core/units.hpp"

namespace proactif {

struct ValueDomain {
  // No amount, count or duration of a household comes near 10^12: beyond
  // it, a value is a mistake or an attack (and two of them could sum to ∞).
  static constexpr double kLimit = 1e12;
  double minimum = -kLimit, maximum = kLimit;
  bool cents = false;  // money: to the cent at most
};

// Money (a unit in EUR) is at least 0 and to the cent; every number is
// finite and within ±10^12; `minimum` and `maximum`, declared with the
// input, replace those bounds.
ValueDomain value_domain(const Unit& unit, std::optional<double> minimum, std::optional<double> maximum);

// Empty when the number is in the domain, else why not ("below the minimum 0").
std::string domain_fault(double value, const ValueDomain& domain);

// Dates a person's data holds (a birth date) lie in the 150 years up to the
// date they are evaluated on (or the extract was taken on).
struct DateWindow {
  Days earliest, latest;
  bool holds(Days d) const { return d >= earliest && d <= latest; }
  std::string fault(Days d) const;  // why not; empty when it holds
};
DateWindow date_window(Days latest);

}  // namespace proactif
