// The short code printed on every message, that `proactif verify` confirms:
// 12 characters of Crockford's base 32 (no I, L, O or U, so nothing is
// misread), 60 random bits from the kernel, so that codes cannot be guessed
// and never collide in practice.
#pragma once

#include <string>

namespace proactif {

std::string new_verification_code();   // "K7M2-Q9XD-4HRA"
std::string normalise_verification_code(const std::string& typed);  // case, spaces, O->0, I/L->1
// Whether a normalised code has a code's form (12 characters of the alphabet).
bool is_verification_code(const std::string& normalised);

}  // namespace proactif
