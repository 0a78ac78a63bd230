// Agents' credentials: passwords hashed with argon2id (RFC 9106's second
// recommended setting: 3 passes over 64 MiB), session tokens drawn from the
// kernel and kept only as their SHA-256.
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"

namespace proactif {

// A password an agent may choose: 12 characters at least, 200 at most.
std::optional<std::string> password_fault(const std::string& password);
Result<std::string> hash_password(const std::string& password);
// Takes as long for an unknown login (`encoded` empty) as for a known one,
// so that the time of an answer does not say whether a login exists.
bool password_matches(const std::string& password, const std::string& encoded);

std::string random_token();  // 32 hexadecimal digits, 128 bits from the kernel
std::string token_hash(const std::string& token);  // SHA-256, hexadecimal

}  // namespace proactif
