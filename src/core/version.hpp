#pragma once

namespace proactif {

// This build's version: CMake's project version and the commit built
// ("0.5.0+7c9b49b1d2e3", ".modified" after it for uncommitted changes),
// printed by --version and recorded with every run and decision beside the
// programs' hash.
const char* proactif_version();

}  // namespace proactif
