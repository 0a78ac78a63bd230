// The formula parser on any text: an error or a tree, never a crash, however
// deep or long the formula.
#include <cstdint>
#include <string_view>

#include "rules/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  proactif::LexError error;
  proactif::parse_formula(std::string_view(reinterpret_cast<const char*>(data), size), error);
  return 0;
}
