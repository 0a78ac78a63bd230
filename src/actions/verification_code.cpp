#include "actions/verification_code.hpp"

#include <sys/random.h>

#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace proactif {

namespace {
constexpr const char* kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

std::string new_verification_code() {
  uint64_t bits = 0;
  if (getrandom(&bits, sizeof bits, 0) != static_cast<ssize_t>(sizeof bits))
    throw std::runtime_error("the kernel's random source is unavailable");
  std::string code;
  for (int i = 0; i < 12; ++i) {
    if (i && i % 4 == 0) code += '-';
    code += kAlphabet[bits & 31];
    bits >>= 5;
  }
  return code;
}

std::string normalise_verification_code(const std::string& typed) {
  std::string chars;
  for (char c : typed) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (std::isalnum(static_cast<unsigned char>(c))) chars += c;
  }
  std::string code;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i && i % 4 == 0) code += '-';
    code += chars[i];
  }
  return code;
}

bool is_verification_code(const std::string& normalised) {
  if (normalised.size() != 14) return false;
  for (size_t i = 0; i < normalised.size(); ++i)
    if (i == 4 || i == 9 ? normalised[i] != '-' : std::string_view(kAlphabet).find(normalised[i]) == std::string_view::npos)
      return false;
  return true;
}

}  // namespace proactif
