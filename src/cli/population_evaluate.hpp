#pragma once

#include <string>

#include "eval/engine.hpp"
#include "ingest/situation_stream.hpp"

namespace proactif {

// Writes the decisions with `format` (decision lines, or explanations).
int evaluate_snapshot_file(const Engine& engine, const std::string& path, const StreamOptions& options,
                        const DecisionFormatter& format);

}  // namespace proactif
