#include "service/accounts.hpp"

#include <argon2.h>
#include <openssl/evp.h>

#include <optional>
#include <semaphore>

#include "core/bytes.hpp"

namespace proactif {

namespace {

constexpr uint32_t kPasses = 3, kMemoryKib = 64 * 1024, kLanes = 1, kHashBytes = 32, kSaltBytes = 16;

}  // namespace

std::optional<std::string> password_fault(const std::string& password) {
  if (password.size() < 12) return "a password has 12 characters at least";
  if (password.size() > 200) return "a password has 200 characters at most";
  return std::nullopt;
}

Result<std::string> hash_password(const std::string& password) {
  unsigned char salt[kSaltBytes];
  random_bytes(salt, sizeof salt);
  std::string encoded(argon2_encodedlen(kPasses, kMemoryKib, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  int r = argon2id_hash_encoded(kPasses, kMemoryKib, kLanes, password.data(), password.size(), salt, sizeof salt,
                                kHashBytes, encoded.data(), encoded.size());
  if (r != ARGON2_OK) return Error{ErrorKind::kInternal, std::string("argon2: ") + argon2_error_message(r)};
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool password_matches(const std::string& password, const std::string& encoded) {
  // An unknown login is checked against a hash of nothing, at the same cost.
  static const std::string decoy = *hash_password("proactif: no such agent");
  // Each check takes 64 MiB: two at a time, whatever the number of attempts.
  static std::counting_semaphore<2> checking(2);
  checking.acquire();
  struct Release {
    std::counting_semaphore<2>& s;
    ~Release() { s.release(); }
  } release{checking};
  const bool known = !encoded.empty();
  const int r = argon2id_verify(known ? encoded.c_str() : decoy.c_str(), password.data(), password.size());
  return known && r == ARGON2_OK;
}

std::string random_token() {
  unsigned char bytes[16];
  random_bytes(bytes, sizeof bytes);
  return hex(bytes, sizeof bytes);
}

std::string token_hash(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr);
  return hex(digest, length);
}

}  // namespace proactif
