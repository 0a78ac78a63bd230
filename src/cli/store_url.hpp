// Which store the commands use: --store URL, else $PROACTIF_STORE, else the
// embedded default, an SQLite file in the working folder.
#pragma once

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace proactif {

// Who runs the command, for the audit log: the operating system's user, as
// the kernel knows it (uid and account name), not an environment variable
// anyone can set. $PROACTIF_ACTOR, an agent identifier a deployment may set,
// is recorded beside it as declared, never instead of it.
inline std::string audit_actor() {
  const uid_t uid = ::getuid();
  std::string actor = "uid " + std::to_string(uid);
  passwd entry{};
  passwd* found = nullptr;
  char buffer[1024];
  if (::getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found) actor += " (" + std::string(found->pw_name) + ")";
  if (const char* declared = std::getenv("PROACTIF_ACTOR"); declared && *declared)
    actor += ", declaring " + std::string(declared).substr(0, 64);
  return actor;
}

inline std::string default_store_url() {
  const char* env = std::getenv("PROACTIF_STORE");
  return env && *env ? env : "sqlite:proactif.db";
}

// Where commands write working files that hold personal data (rows set
// aside, linkage review lists): beside an SQLite store's file, so that they
// live and are purged with it; for a server store, in the current folder.
inline std::string store_work_dir(const std::string& store_url) {
  std::string folder = ".";
  if (store_url.rfind("sqlite:", 0) == 0) {
    const std::string file = store_url.substr(7);
    if (auto slash = file.rfind('/'); slash != std::string::npos) folder = slash == 0 ? "/" : file.substr(0, slash);
  }
  return folder + "/proactif-work";
}

}  // namespace proactif
