// Maps an offset inside a YAML scalar (a formula) back to the line and column
// of the program file, so that errors point into the file a legal officer
// edits, whether the formula is written inline or as a `|` / `>` block.
#pragma once

#include <string>
#include <vector>

namespace proactif {

struct SourcePos {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

class SourceMap {
 public:
  SourceMap() = default;
  // `file_lines`: the file's text split into lines; `mark_line`/`mark_column`:
  // yaml-cpp's 0-based mark of the scalar; `text`: the scalar's value.
  SourceMap(const std::vector<std::string>& file_lines, int mark_line, int mark_column,
            const std::string& text);
  SourcePos at(int offset) const;

 private:
  struct Piece {
    int text_offset;
    int line;
    int column;
  };
  std::vector<Piece> pieces_;
};

}  // namespace proactif
