#include "core/value_domain.hpp"

#include <cmath>
#include <cstdio>

namespace proactif {

namespace {

std::string text(double x) {
  char t[32];
  std::snprintf(t, sizeof t, "%.15g", x);
  return t;
}

}  // namespace

ValueDomain value_domain(const Unit& unit, std::optional<double> minimum, std::optional<double> maximum) {
  ValueDomain d;
  if (unit.exponent(Unit::kEur) == 1) {
    d.minimum = 0;
    d.cents = true;
  }
  // Declared bounds replace the defaults; they are finite (the loader
  // checks), so a value within them stays finite when summed.
  if (minimum) d.minimum = *minimum;
  if (maximum) d.maximum = *maximum;
  return d;
}

std::string domain_fault(double value, const ValueDomain& d) {
  if (!std::isfinite(value)) return "not a finite number";
  if (value < d.minimum) return "below the minimum " + text(d.minimum);
  if (value > d.maximum) return "above the maximum " + text(d.maximum);
  if (d.cents) {
    // A decimal amount read into a double and scaled is a whole number of
    // cents within a few units of its last place (about 2e-16 of it): the
    // margin allows that much, not a fraction of a cent (13 957,004 € is
    // not 13 957 €, which a ceiling of 13 957 € would decide otherwise).
    const double cents = value * 100;
    if (std::fabs(cents - std::round(cents)) > 1e-14 * std::max(1.0, std::fabs(cents)))
      return "an amount of money has at most two decimals (cents)";
  }
  return "";
}

DateWindow date_window(Days latest) {
  CivilDate l = civil_from_days(latest);
  return {days_from_civil({l.year - 150, l.month, std::min(l.day, 28)}), latest};
}

std::string DateWindow::fault(Days d) const {
  if (d > latest) return "a date after " + format_iso_date(latest) + ", the date the data describe";
  if (d < earliest) return "a date more than 150 years before " + format_iso_date(latest);
  return "";
}

}  // namespace proactif
