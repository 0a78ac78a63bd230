// The public page of an algorithm (CRPA L312-1-3): generated at each request
// from the program file the service evaluates with, so that what is
// published is what runs.
#pragma once

#include <string>
#include <vector>

#include "rules/program.hpp"

namespace proactif {

std::string algorithm_page_body(const Program& program);
std::string algorithms_index_body(const std::vector<const Program*>& programs);

}  // namespace proactif
