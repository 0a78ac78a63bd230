#include "core/version.hpp"

namespace proactif {

const char* proactif_version() { return PROACTIF_VERSION; }

}  // namespace proactif
