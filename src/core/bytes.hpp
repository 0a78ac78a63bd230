// Bytes written as text, and bytes drawn from the kernel: for digests,
// keys and secrets.
#pragma once

#include <cstddef>
#include <string>

namespace proactif {

// Lower-case hexadecimal, two digits a byte.
std::string hex(const unsigned char* bytes, size_t n);

// `n` bytes from the kernel's random source (getrandom), which blocks until
// it is seeded and never fails for want of entropy afterwards.
void random_bytes(unsigned char* out, size_t n);

}  // namespace proactif
