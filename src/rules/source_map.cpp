#include "rules/source_map.hpp"

namespace proactif {

namespace {

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

SourceMap::SourceMap(const std::vector<std::string>& lines, int mark_line, int mark_column,
                     const std::string& text) {
  auto line_at = [&](int i) -> std::string {
    return i >= 0 && i < static_cast<int>(lines.size()) ? lines[static_cast<size_t>(i)] : "";
  };
  std::string first = line_at(mark_line);
  size_t col = static_cast<size_t>(mark_column);
  char lead = col < first.size() ? first[col] : ' ';
  int row = mark_line;
  if (lead == '|' || lead == '>') {
    ++row;  // a block scalar's text starts on the next line
  } else if (lead == '"' || lead == '\'') {
    pieces_.push_back({0, mark_line + 1, mark_column + 2});
    return;
  } else {
    pieces_.push_back({0, mark_line + 1, mark_column + 1});
    ++row;
  }
  size_t cursor = 0;
  for (; row < static_cast<int>(lines.size()) && cursor <= text.size(); ++row) {
    std::string raw = trim_right(line_at(row));
    size_t indent = raw.find_first_not_of(' ');
    if (indent == std::string::npos) continue;
    std::string content = raw.substr(indent);
    size_t found = text.find(content, cursor);
    if (found == std::string::npos) break;
    pieces_.push_back({static_cast<int>(found), row + 1, static_cast<int>(indent) + 1});
    cursor = found + content.size();
  }
  if (pieces_.empty()) pieces_.push_back({0, mark_line + 1, mark_column + 1});
}

SourcePos SourceMap::at(int offset) const {
  const Piece* best = &pieces_.front();
  for (const auto& p : pieces_)
    if (p.text_offset <= offset) best = &p;
  return {best->line, best->column + (offset - best->text_offset)};
}

}  // namespace proactif
