// Reading a YAML file people write (programs, parameters, tests, source
// mappings, campaigns) without trusting it: a regular file (not a device
// such as /dev/zero, not a FIFO), at most 4 MiB, one document of text
// without control characters, without a key given twice in a mapping
// (yaml-cpp would keep both, and its lookups take the first), and without aliases
// (*name): an alias lets a few hundred bytes stand for billions of nodes
// once walked (the "billion laughs"), and none of these files needs one.
// Faults are thrown as YAML::Exception, with the line of the alias.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace proactif {

YAML::Node load_yaml_file(const std::string& path);
// The same checks on text already read (program files read with their includes).
YAML::Node load_yaml_text(const std::string& text);

// A configuration file's bytes, with the checks above on size and kind;
// throws YAML::Exception.
std::string read_config_file(const std::string& path);

}  // namespace proactif
