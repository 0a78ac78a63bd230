#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

namespace proactif {

// Writes a YAML tree as JSON text, so that situations written in YAML (the
// programs' test cases) go through the very reader that JSONL input uses.
// Quoted scalars stay strings; plain ones become numbers, booleans or null
// when they read as such.
void append_yaml_as_json(std::string& out, const YAML::Node& node);

}  // namespace proactif
