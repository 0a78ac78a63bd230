// Paths named in configuration files (a campaign's output folders, a
// mapping's extract) stay inside the folder of the file that names them,
// unless that file lists the other folders it may use (`paths_outside`):
// a campaign copied from elsewhere cannot write letters over system files
// or read an extract it was not meant to.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace proactif {

struct PathRules {
  std::string base;                   // the folder of the configuration file
  std::vector<std::string> outside;   // other folders allowed, resolved from base
};

// `given` resolved from the rules' base (`..` and symbolic links followed as
// far as the path exists), or an error naming `what` when it leads outside
// the base and every allowed folder.
Result<std::string> confined_path(const PathRules& rules, const std::string& given, const std::string& what);

}  // namespace proactif
