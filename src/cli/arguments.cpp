#include <charconv>
#include <cmath>

#include "cli/commands.hpp"

namespace proactif {

std::optional<double> number_argument(const std::string& text, double low, double high) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value) || value < low || value > high) return std::nullopt;
  return value;
}

}  // namespace proactif
