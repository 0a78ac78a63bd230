// What a tagged letter needs for a screen reader and that cairo 1.16 cannot
// write, added to cairo's file with qpdf (ISO 14289-1 PDF/UA, RGAA 4):
// - the document's language (/Lang), which chooses the reader's voice;
// - its title shown instead of its file name (/DisplayDocTitle);
// - an alternative text for each figure (/Alt on the Figure elements);
// - what is only layout (page numbers, rules) as artifacts, which a screen
//   reader skips. cairo 1.16 tags only the standard structure types, and an
//   artifact is not one: the letter draws it inside a "Private" element
//   (kArtifactTag), a type it uses for nothing else; here that element
//   leaves the structure tree and its marked content becomes "/Artifact BMC".
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace proactif {

// The structure type the letter draws artifacts in.
inline constexpr const char* kArtifactTag = "Private";

struct AccessibleParts {
  std::string language;                  // BCP 47: "fr-FR"
  std::vector<std::string> figure_alts;  // one per Figure element, in the order they were drawn
};

// Rewrites `pdf` (a whole file cairo wrote). Byte for byte the same output
// for the same input: the file's /ID is derived from its content. An error
// (kInternal) when the file does not have one Figure element per
// alternative text: a figure left without one is a defect, not a letter.
Result<void> make_accessible(std::string& pdf, const AccessibleParts& parts);

}  // namespace proactif
