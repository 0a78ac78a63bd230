#pragma once

#include <string>

#include "cli/program_catalog.hpp"
#include "cli/situation_stream.hpp"

namespace proactif {

int evaluate_population(const Engine& engine, const std::string& path, const StreamOptions& options);

}  // namespace proactif
