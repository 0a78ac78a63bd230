// Reading the YAML files people write (source mappings, campaigns): each
// fault is thrown as a Failure naming file:line:column and what was
// expected, caught once at the loader's edge and returned as an Error.
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

#include "core/result.hpp"

namespace proactif {

// A configuration error at a node: its file, line and column, and why.
Error yaml_error(const std::string& file, const YAML::Node& n, const std::string& reason);

// "file:line:column: " of a node.
std::string yaml_at(const std::string& file, const YAML::Node& n);

// Refuses a key outside `allowed` (a misspelt key would otherwise be ignored).
void check_yaml_keys(const std::string& file, const YAML::Node& map, const std::set<std::string>& allowed,
                     const std::string& what);

// A scalar's text; "" when absent and not required.
std::string yaml_text(const std::string& file, const YAML::Node& map, const char* key, bool required = true);

}  // namespace proactif
