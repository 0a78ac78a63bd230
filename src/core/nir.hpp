// The NIR (numéro d'inscription au répertoire, the social security number):
// 13 characters and a 2-digit key, key = 97 - (number mod 97), Corsica's
// départements 2A and 2B counting as 19 and 18 in the computation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace proactif {

// The NIR without spaces if it is well formed and its key matches; otherwise
// the reason, for a rejects file.
struct NirCheck {
  std::string nir;     // 15 characters, spaces removed
  std::string reason;  // empty when valid
  bool ok() const { return reason.empty(); }
};

NirCheck check_nir(std::string_view text);

// The key a 13-character NIR body should carry, or nullopt when the body is
// not made of digits (and 2A/2B at the département's place).
std::optional<int> nir_key(std::string_view body);

}  // namespace proactif
