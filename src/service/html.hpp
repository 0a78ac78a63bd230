// HTML of the service's pages: text escaped at every insertion, one layout
// in the State's design system (DSFR), served from the service itself, with
// no inline script or style so that the Content-Security-Policy can forbid
// them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace proactif {

std::string html_escape(std::string_view text);
// Text in paragraphs: blank lines separate them, single newlines break lines.
std::string html_paragraphs(std::string_view text);

// A table in the design system's markup: wide content scrolls inside it
// (reachable by keyboard), the page keeps its width. `caption` is HTML; the
// rows are HTML <tr> elements.
std::string html_table(const std::string& caption, const std::vector<std::string>& headers, const std::string& rows);

struct PageShell {
  std::string title;        // the page's h1 and <title>
  std::string lead;         // a sentence under the title, "" for none
  std::string body;         // HTML, already escaped
};

std::string render_page(const PageShell& page);

}  // namespace proactif
