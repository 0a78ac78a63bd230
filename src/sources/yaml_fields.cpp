#include "sources/yaml_fields.hpp"

namespace proactif {

std::string yaml_at(const std::string& file, const YAML::Node& n) {
  return file + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1) + ": ";
}

Error yaml_error(const std::string& file, const YAML::Node& n, const std::string& reason) {
  return Error{ErrorKind::kConfiguration, SourcePosition{file, n.Mark().line + 1, n.Mark().column + 1}, reason};
}

void check_yaml_keys(const std::string& file, const YAML::Node& map, const std::set<std::string>& allowed,
                     const std::string& what) {
  if (!map.IsMap()) throw Failure{yaml_error(file, map, what + " must be a mapping")};
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>();
    if (allowed.count(key)) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw Failure{yaml_error(file, kv.first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")")};
  }
}

std::string yaml_text(const std::string& file, const YAML::Node& map, const char* key, bool required) {
  YAML::Node n = map[key];
  if (!n) {
    if (required) throw Failure{yaml_error(file, map, "missing key '" + std::string(key) + "'")};
    return "";
  }
  if (!n.IsScalar()) throw Failure{yaml_error(file, n, "'" + std::string(key) + "' must be a text")};
  return n.as<std::string>();
}

}  // namespace proactif
