#pragma once

namespace proactif {

// This build's version (CMake's project version), printed by --version and
// recorded with every run and decision beside the programs' hash.
const char* proactif_version();

}  // namespace proactif
