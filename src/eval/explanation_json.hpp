// An explanation read back from the JSON it was stored as (decision_json's
// append_explanation_json), to show a decision months after it was taken.
#pragma once

#include <string>

#include "core/result.hpp"
#include "eval/explanation.hpp"

namespace proactif {

Result<Explanation> explanation_from_json(const std::string& json);

}  // namespace proactif
