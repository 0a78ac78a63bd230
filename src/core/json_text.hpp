// Small helpers to write JSON text by hand on the hot output path, where a
// DOM would cost more than the evaluation itself.
#pragma once

#include <string>
#include <string_view>

namespace proactif {

void append_json_string(std::string& out, std::string_view text);
// The same, as a value of its own: "\"text\"".
std::string json_string(std::string_view text);
// Shortest text that reads back to the same double; integers without ".0".
void append_json_number(std::string& out, double value);
// Money rounded to the cent, written without trailing zeros (12.5, 7, 0.07).
void append_json_money(std::string& out, double value);

}  // namespace proactif
