#pragma once

#include <string>

#include "core/result.hpp"
#include "params/parameters.hpp"
#include "rules/program.hpp"

namespace proactif {

// Reads a program file (and the files it includes), parses every formula and
// resolves its parameters. Errors name file:line:column and what was expected.
Result<std::shared_ptr<Program>> load_program(const std::string& file, const ParameterSet& params);

}  // namespace proactif
