#pragma once

#include <string>

#include "eval/explanation.hpp"

namespace proactif {

// The explanation as plain French text, for the person concerned or an agent.
std::string explanation_text(const Explanation& e, const std::string& subject, const std::string& status,
                             const std::string& result_json, const std::string& missing);

}  // namespace proactif
