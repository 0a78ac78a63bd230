#include "core/french_writing.hpp"

#include <cmath>
#include <cstdio>

namespace proactif {

std::string french_number(double v, int decimals, bool keep_zeros) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
  std::string digits = buf, fraction;
  if (auto dot = digits.find('.'); dot != std::string::npos) {
    fraction = digits.substr(dot + 1);
    digits.resize(dot);
  }
  if (!keep_zeros)
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out = v < 0 && (digits != "0" || !fraction.empty()) ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += kNoBreakSpace;
    out += digits[i];
  }
  return fraction.empty() ? out : out + "," + fraction;
}

std::string euros(double v) {
  const bool cents = std::fabs(v - std::round(v)) >= 0.005;
  return french_number(v, cents ? 2 : 0, cents) + kNoBreakSpace + "€";
}

std::string french_quantity(double v, const Unit& unit, bool rate) {
  if (rate) return french_number(v * 100, 3) + kNoBreakSpace + "%";
  if (unit.exponent(Unit::kEur) == 1) {
    std::string s = euros(v);
    if (unit.exponent(Unit::kMonth) == -1) s += " par mois";
    else if (unit.exponent(Unit::kYear) == -1) s += " par an";
    return s;
  }
  const std::string n = french_number(v, 3);
  const bool plural = std::fabs(v) >= 2;  // French: 0 an, 1 an, 2 ans
  if (unit == Unit::base(Unit::kYear)) return n + (plural ? " ans" : " an");
  if (unit == Unit::base(Unit::kMonth)) return n + " mois";
  if (unit == Unit::base(Unit::kDay)) return n + (plural ? " jours" : " jour");
  if (unit == Unit::base(Unit::kPerson)) return n + (plural ? " personnes" : " personne");
  return n;  // counts and ranks
}

std::string french_list(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : i + 1 == items.size() ? " et " : ", ") + items[i];
  return out;
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

}  // namespace proactif
