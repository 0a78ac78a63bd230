// Identity traits as administrations write them differ in case, accents,
// hyphens, apostrophes and particles: "Lefèvre-Dubois", "LEFEVRE DUBOIS"
// and "lefevre dubois" are one name. These functions bring them to one form
// before comparison.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace proactif {

// Upper case, accents and ligatures folded (é->E, œ->OE, ß->SS), any other
// non-letter turned into a single space, spaces trimmed.
std::string fold_name(std::string_view utf8);

// A family name for comparison: folded, particles that come and go (DE, DU,
// DES, LE, LA, D', L', VAN, VON...) removed at the start, spaces removed.
std::string family_name_key(std::string_view utf8);

// First names, folded and split ("Marie-Hélène Anne" -> MARIE HELENE, ANNE;
// a hyphenated compound stays one first name).
std::vector<std::string> first_name_keys(std::string_view utf8);

}  // namespace proactif
