#include "core/confined_path.hpp"

#include <filesystem>

namespace fs = std::filesystem;

namespace proactif {

namespace {

fs::path resolved(const fs::path& base, const std::string& p) {
  fs::path full = fs::path(p).is_absolute() ? fs::path(p) : fs::absolute(base.empty() ? "." : base) / p;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(full, ec);
  return ec ? full.lexically_normal() : canonical;
}

bool within(const fs::path& path, const fs::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

}  // namespace

Result<std::string> confined_path(const PathRules& rules, const std::string& given, const std::string& what) {
  if (given.empty()) return Error{ErrorKind::kConfiguration, what + ": an empty path"};
  fs::path path = resolved(rules.base, given);
  if (within(path, resolved(rules.base, ".")))
    return fs::path(given).is_absolute() ? given : (fs::path(rules.base) / given).string();
  for (const auto& allowed : rules.outside)
    if (within(path, resolved(rules.base, allowed))) return path.string();
  return Error{ErrorKind::kConfiguration, what + ": '" + given + "' leads outside this file's folder; list the folder it is in under "
                      "paths_outside to allow it"};
}

}  // namespace proactif
