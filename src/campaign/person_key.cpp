#include "campaign/person_key.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/nir.hpp"

namespace proactif {

std::string person_key(const std::string& secret, const std::string& nir) {
  const NirCheck checked = check_nir(nir);
  if (!checked.ok() || secret.empty()) return "";
  const std::string body = checked.nir.substr(0, 13);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &size))
    return "";
  static const char* kHex = "0123456789abcdef";
  std::string out = "NIR:";
  for (unsigned int i = 0; i < 16 && i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::vector<std::string> keyed_entries(const std::vector<std::string>& persons,
                                       const std::unordered_map<std::string, std::string>& key_of) {
  std::vector<std::string> out;
  for (const std::string& p : persons)
    if (auto k = key_of.find(p); k != key_of.end()) out.push_back(p + "=" + k->second);
  return out;
}

}  // namespace proactif
