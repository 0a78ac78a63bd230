// Everything needed to evaluate a set of programs together: their compiled
// plans, the inputs they read, the codes they know and, when a program
// needs it, the official territory data.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.hpp"
#include "core/result.hpp"
#include "params/parameters.hpp"
#include "population/territory.hpp"
#include "rules/plan.hpp"

namespace proactif {

struct Engine {
  CodeTable codes;
  InputSchema schema;
  std::unique_ptr<ParameterSet> params;
  std::unique_ptr<Territory> territory;
  std::vector<std::shared_ptr<Plan>> plans;
};

// `refs` are built-in program ids (programs/<id>/program.yaml) or file paths.
Result<std::unique_ptr<Engine>> load_engine(const std::vector<std::string>& refs);

}  // namespace proactif
