#include "core/units.hpp"

namespace proactif {

namespace {

constexpr std::string_view kNames[] = {"EUR", "month", "year", "day", "person"};

std::optional<Unit> parse_factor(std::string_view name) {
  for (int b = 0; b < Unit::kBaseCount; ++b)
    if (name == kNames[b]) return Unit::base(static_cast<Unit::Base>(b));
  if (name == "currency") return Unit::base(Unit::kEur);
  if (name == "1" || name == "%" || name.empty()) return Unit::dimensionless();
  return std::nullopt;
}

}  // namespace

std::optional<Unit> Unit::parse(std::string_view text) {
  // A product of factors, then optional "/" and a product of divisors:
  // "EUR/month", "EUR/person/year" is read as EUR/(person*year).
  Unit result;
  bool dividing = false;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '/' && text[i] != '*') continue;
    auto factor = parse_factor(text.substr(start, i - start));
    if (!factor) return std::nullopt;
    result = dividing ? result / *factor : result * *factor;
    if (i < text.size() && text[i] == '/') dividing = true;
    start = i + 1;
  }
  return result;
}

Unit Unit::operator*(const Unit& o) const {
  Unit r;
  for (int b = 0; b < kBaseCount; ++b) r.exps_[b] = static_cast<int8_t>(exps_[b] + o.exps_[b]);
  return r;
}

Unit Unit::operator/(const Unit& o) const {
  Unit r;
  for (int b = 0; b < kBaseCount; ++b) r.exps_[b] = static_cast<int8_t>(exps_[b] - o.exps_[b]);
  return r;
}

std::string Unit::to_string() const {
  std::string num, den;
  for (int b = 0; b < kBaseCount; ++b) {
    std::string& side = exps_[b] > 0 ? num : den;
    for (int k = 0; k < (exps_[b] > 0 ? exps_[b] : -exps_[b]); ++k) {
      if (!side.empty()) side += '*';
      side += kNames[b];
    }
  }
  if (num.empty()) num = "1";
  return den.empty() ? num : num + "/" + den;
}

}  // namespace proactif
