#include "core/spreadsheet_cell.hpp"

namespace proactif {

namespace {

// "-3", "+33612345678", "12,50": a number a spreadsheet reads as one, and
// left as it is for the agent who corrects it.
bool is_plain_number(std::string_view v) {
  size_t i = v.front() == '+' || v.front() == '-' ? 1 : 0;
  bool digits = false, separator = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') digits = true;
    else if ((v[i] == '.' || v[i] == ',') && !separator && digits) separator = true;
    else return false;
  }
  return digits && v.back() != '.' && v.back() != ',';
}

}  // namespace

void append_spreadsheet_cell(std::string& out, std::string_view value, char separator) {
  const bool formula = !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos &&
                       !is_plain_number(value);
  bool quote = formula;
  // Quoted too when it holds another separator a spreadsheet may split on
  // (',' or a tab): a quoted cell is never split, so no part of it can
  // start a formula.
  for (char c : value) quote |= c == separator || c == ',' || c == '\t' || c == '"' || c == '\n' || c == '\r';
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace proactif
