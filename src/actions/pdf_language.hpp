// cairo 1.16 cannot give a PDF's language (/Lang in the Catalog), which
// tells a screen reader which voice to read it with. It is added as a PDF
// incremental update, the way PDF editors amend a file: a new copy of the
// Catalog appended after cairo's bytes, with its own cross-reference section
// and a trailer that points back to cairo's, so that no offset cairo wrote
// moves. A file not shaped as expected (or that has a /Lang already) is left
// as it is.
#pragma once

#include <string>

namespace proactif {

// `language`: a BCP 47 tag, "fr-FR".
void add_language(std::string& pdf, const std::string& language);

}  // namespace proactif
