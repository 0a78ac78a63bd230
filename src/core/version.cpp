#include "core/version.hpp"

#include "commit_id.hpp"  // written at each build (cmake/commit_id.cmake)

namespace proactif {

const char* proactif_version() { return PROACTIF_VERSION PROACTIF_COMMIT; }

}  // namespace proactif
