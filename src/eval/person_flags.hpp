// Byte flags over a chunk's persons (0 or 1 each), read four persons of a
// household at a time: most households have at most four persons, and a
// 32-bit word is one load instead of a loop.
#pragma once

#include <cstdint>
#include <cstring>

namespace proactif {

// The flags of household h's first four persons as one word, a byte each,
// those past its last person masked out. The flags must have room for four
// past the chunk's last person.
inline uint32_t first_four_flags(const uint8_t* flags, const uint32_t* offsets, size_t h) {
  uint32_t persons = offsets[h + 1] - offsets[h], word;
  std::memcpy(&word, flags + offsets[h], sizeof word);
  return word & (persons >= 4 ? ~0u : (1u << (8 * persons)) - 1);
}

}  // namespace proactif
