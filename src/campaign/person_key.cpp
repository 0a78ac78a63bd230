#include "campaign/person_key.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "core/bytes.hpp"
#include "core/nir.hpp"
#include "store/store.hpp"

namespace proactif {

namespace {

std::string hex_hmac(const std::string& key, const std::string& text, size_t bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
            text.size(), digest, &size))
    return "";
  return hex(digest, std::min<size_t>(bytes, size));
}

}  // namespace

Result<std::string> person_key_secret(Store& store) {
  const char* path = std::getenv("PROACTIF_PERSON_KEY_FILE");
  if (!path) {
    // A store keyed with a file is never keyed otherwise: a secret drawn
    // now would leave every objection made under the file unrecognised.
    auto filed = store.has_secret("person_key_check");
    if (!filed) return filed.error();
    if (*filed)
      return Error{ErrorKind::kConfiguration, "this store's persons' keys were made with the key of "
                                              "PROACTIF_PERSON_KEY_FILE: set it to that file"};
    return store.secret("person_key");
  }
  if (!*path) return Error{ErrorKind::kConfiguration, "PROACTIF_PERSON_KEY_FILE is set, and empty: name the key's file, or unset it"};
  const std::string where = std::string("PROACTIF_PERSON_KEY_FILE (") + path + ")";
  std::ifstream in(path);
  std::string key;
  if (!in || !std::getline(in, key)) return Error{ErrorKind::kConfiguration, where + ": cannot read the key"};
  while (!key.empty() && (key.back() == '\r' || key.back() == ' ')) key.pop_back();
  if (key.size() < 32)
    return Error{ErrorKind::kConfiguration, where + ": the key's first line holds " + std::to_string(key.size()) +
                                                " characters, fewer than 32"};
  auto own = store.has_secret("person_key");
  if (!own) return own.error();
  if (*own)
    return Error{ErrorKind::kConfiguration, where + ": this store's persons' keys were made with the secret it holds, "
                                                    "not with a key file"};
  const std::string check = hex_hmac(key, "proactif: the check of the persons' key", 32);
  auto kept = store.secret("person_key_check", check);
  if (!kept) return kept.error();
  if (*kept != check)
    return Error{ErrorKind::kConfiguration, where + ": not the key this store's persons' keys were made with (the "
                                                    "objections made under it would no longer be recognised)"};
  return key;
}

std::string person_key(const std::string& secret, const std::string& nir) {
  const NirCheck checked = check_nir(nir);
  if (!checked.ok() || secret.empty()) return "";
  const std::string hash = hex_hmac(secret, checked.nir.substr(0, 13), 16);
  return hash.empty() ? "" : "NIR:" + hash;
}

std::vector<std::string> keyed_entries(const std::vector<std::string>& persons,
                                       const std::unordered_map<std::string, std::string>& key_of) {
  std::vector<std::string> out;
  for (const std::string& p : persons)
    if (auto k = key_of.find(p); k != key_of.end()) out.push_back(p + "=" + k->second);
  return out;
}

}  // namespace proactif
