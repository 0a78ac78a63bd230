#include "identity/normalise.hpp"

#include <cstdint>

namespace proactif {

namespace {

// The ASCII spelling of a Latin letter with diacritics, or nullptr.
const char* fold(uint32_t cp) {
  if (cp >= 0xC0 && cp <= 0xFF) {
    static const char* kLatin1[] = {
        "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",   // C0-CF
        "D", "N", "O", "O", "O", "O", "O",  nullptr, "O", "U", "U", "U", "U", "Y", "TH", "SS",  // D0-DF
        "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",   // E0-EF
        "D", "N", "O", "O", "O", "O", "O",  nullptr, "O", "U", "U", "U", "U", "Y", "TH", "Y"};  // F0-FF
    return kLatin1[cp - 0xC0];
  }
  switch (cp) {
    case 0x152: case 0x153: return "OE";
    case 0x160: case 0x161: return "S";
    case 0x178: return "Y";
    case 0x17D: case 0x17E: return "Z";
    case 0x100: case 0x101: case 0x102: case 0x103: case 0x104: case 0x105: return "A";
    case 0x106: case 0x107: case 0x10C: case 0x10D: return "C";
    case 0x112: case 0x113: case 0x116: case 0x117: case 0x118: case 0x119: case 0x11A: case 0x11B: return "E";
    case 0x12A: case 0x12B: case 0x130: case 0x131: return "I";
    case 0x141: case 0x142: return "L";
    case 0x143: case 0x144: case 0x147: case 0x148: return "N";
    case 0x14C: case 0x14D: case 0x150: case 0x151: return "O";
    case 0x158: case 0x159: return "R";
    case 0x15A: case 0x15B: case 0x15E: case 0x15F: return "S";
    case 0x162: case 0x163: case 0x164: case 0x165: return "T";
    case 0x16A: case 0x16B: case 0x16E: case 0x16F: case 0x170: case 0x171: return "U";
    case 0x179: case 0x17A: case 0x17B: case 0x17C: return "Z";
    default: return nullptr;
  }
}

}  // namespace

std::string fold_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  auto put = [&](const char* text) {
    if (space && !out.empty()) out += ' ';
    space = false;
    out += text;
  };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xC0 && c < 0xE0 && i + 1 < s.size()) cp = (c & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu), len = 2;
    else if (c >= 0xE0 && c < 0xF0 && i + 2 < s.size()) cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu), len = 3;
    else if (c >= 0xF0) len = 4, cp = 0;
    i += len;
    if (cp < 0x80 && std::isalpha(static_cast<int>(cp))) {
      char up[2] = {static_cast<char>(std::toupper(static_cast<int>(cp))), 0};
      put(up);
    } else if (const char* f = fold(cp)) {
      put(f);
    } else {
      space = true;  // hyphens, apostrophes, digits, punctuation: word breaks
    }
  }
  return out;
}

std::string family_name_key(std::string_view s) {
  std::string folded = fold_name(s);
  static const char* kParticles[] = {"DE LA ", "DE ", "DU ", "DES ", "D ", "LE ", "LA ", "L ", "VAN ", "VON ", "DEL ", "DI "};
  for (bool again = true; again;) {
    again = false;
    for (const char* p : kParticles) {
      std::string_view particle(p);
      if (folded.size() > particle.size() && folded.compare(0, particle.size(), particle) == 0) {
        folded.erase(0, particle.size());
        again = true;
      }
    }
  }
  std::string key;
  for (char c : folded)
    if (c != ' ') key += c;
  return key;
}

std::vector<std::string> first_name_keys(std::string_view s) {
  // Hyphens join a compound first name; spaces and commas separate first names.
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string folded = fold_name(current);
    if (!folded.empty()) out.push_back(folded);
    current.clear();
  };
  for (char c : s) {
    if (c == ' ' || c == ',' || c == ';') flush();
    else current += c;
  }
  flush();
  return out;
}

}  // namespace proactif
