// Which store the commands use: --store URL, else $PROACTIF_STORE, else the
// embedded default, an SQLite file in the working folder.
#pragma once

#include <cstdlib>
#include <string>

namespace proactif {

inline std::string default_store_url() {
  const char* env = std::getenv("PROACTIF_STORE");
  return env && *env ? env : "sqlite:proactif.db";
}

}  // namespace proactif
