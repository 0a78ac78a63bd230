// A value written in a CSV file that agents open in a spreadsheet. Values
// come from extracts: one starting with '=', '+', '-', '@' (or a tab or
// carriage return before them) is a formula to a spreadsheet, and
// =HYPERLINK(…) or =WEBSERVICE(…) would run on the agent's machine. Such a
// value is written with a leading apostrophe, which spreadsheets show as
// text (OWASP, "CSV injection"); a plain number ("-3") is left as it is;
// separators, quotes and line breaks are
// quoted as RFC 4180 does.
#pragma once

#include <string>
#include <string_view>

namespace proactif {

void append_spreadsheet_cell(std::string& out, std::string_view value, char separator = ';');

}  // namespace proactif
