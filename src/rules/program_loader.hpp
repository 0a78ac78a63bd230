#pragma once

#include <string>

#include "core/result.hpp"
#include "params/parameters.hpp"
#include "rules/program.hpp"

namespace proactif {

// Reads a program file (and the files it includes), parses every formula and
// resolves its parameters. Errors name file:line:column and what was expected.
Result<std::shared_ptr<Program>> load_program(const std::string& file, const ParameterSet& params);
// The same from a program's text, named `name` in errors: a program written
// from another format (rules/aides_jeunes.hpp), which includes nothing.
Result<std::shared_ptr<Program>> load_program_text(const std::string& name, const std::string& text,
                                                   const ParameterSet& params);

}  // namespace proactif
