#include "core/nir.hpp"

#include <cstdint>

namespace proactif {

std::optional<int> nir_key(std::string_view body) {
  if (body.size() != 13) return std::nullopt;
  uint64_t number = 0;
  for (size_t i = 0; i < 13; ++i) {
    char c = body[i];
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (i == 6 && body[5] == '2' && (c == 'A' || c == 'B' || c == 'a' || c == 'b')) {
      // 2A counts as 19 and 2B as 18: the 2 already read becomes a 1.
      number -= 1;
      digit = (c == 'A' || c == 'a') ? 9 : 8;
    } else {
      return std::nullopt;
    }
    number = number * 10 + static_cast<uint64_t>(digit);
  }
  return 97 - static_cast<int>(number % 97);
}

NirCheck check_nir(std::string_view text) {
  NirCheck r;
  for (char c : text)
    if (c != ' ' && c != '.' && c != '-') r.nir += c;
  if (r.nir.size() != 15) {
    r.reason = "a NIR has 15 characters (13 and a 2-digit key), not " + std::to_string(r.nir.size());
    return r;
  }
  char sex = r.nir[0];
  // 1 and 2: born men and women; 3, 4, 7 and 8: temporary and foreign-born numbers.
  if (sex != '1' && sex != '2' && sex != '3' && sex != '4' && sex != '7' && sex != '8') {
    r.reason = "a NIR starts with 1, 2, 3, 4, 7 or 8";
    return r;
  }
  auto key = nir_key(std::string_view(r.nir).substr(0, 13));
  if (!key) {
    r.reason = "a NIR is made of digits (2A or 2B for Corsica)";
    return r;
  }
  std::string_view given = std::string_view(r.nir).substr(13);
  if (given[0] < '0' || given[0] > '9' || given[1] < '0' || given[1] > '9') {
    r.reason = "the NIR key is not a number";
    return r;
  }
  int expected = *key;
  if ((given[0] - '0') * 10 + (given[1] - '0') != expected) {
    r.reason = "the NIR key does not match (expected " + std::string(expected < 10 ? "0" : "") +
               std::to_string(expected) + ")";
    return r;
  }
  for (char& c : r.nir) c = static_cast<char>(c == 'a' ? 'A' : c == 'b' ? 'B' : c);
  return r;
}

}  // namespace proactif
