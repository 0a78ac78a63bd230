// Which store the commands use: --store URL, else $PROACTIF_STORE, else the
// embedded default, an SQLite file in the working folder.
#pragma once

#include <cstdlib>
#include <string>

namespace proactif {

// Who runs the command, for the audit log: $PROACTIF_ACTOR (an agent's
// identifier set by the deployment), else the system user.
inline std::string audit_actor() {
  for (const char* var : {"PROACTIF_ACTOR", "USER", "LOGNAME"})
    if (const char* v = std::getenv(var); v && *v) return v;
  return "unknown";
}

inline std::string default_store_url() {
  const char* env = std::getenv("PROACTIF_STORE");
  return env && *env ? env : "sqlite:proactif.db";
}

}  // namespace proactif
