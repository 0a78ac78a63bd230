// Which program declares an automatic route of the law. A route asks the
// paying body once for a foyer: declared by two programs (a copy of the
// C2S's program under another id), a request would go under each, and a
// refusal recorded for one would not stop the other's, since the store
// keeps both by program.
#pragma once

#include <string>
#include <vector>

#include "rules/program.hpp"

namespace proactif {

// The files of other programs that declare one of `program`'s routes (the
// same id, or the same legal basis): among `others` (the programs a
// campaign or event rules evaluate together), and among the programs of
// `programs_dir` (each folder's program.yaml; one that cannot be read
// declares nothing here, as it cannot be loaded either).
std::vector<std::string> route_declared_elsewhere(const Program& program, const std::vector<const Program*>& others,
                                                  const std::string& programs_dir);

}  // namespace proactif
