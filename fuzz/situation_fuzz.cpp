// The situation reader (CONTRACT.md) on any line, with the inputs of the
// built-in programs: a situation read whole, or one error; never a crash,
// never a value outside its domain.
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "eval/engine.hpp"
#include "sources/situation_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto engine = proactif::load_engine({"c2s", "rsa", "m-reso-solidaire"});
  if (!engine) return 0;
  static proactif::SituationReader reader((*engine)->schema, (*engine)->codes);
  std::string line(reinterpret_cast<const char*>(data), size);
  line.resize(size + simdjson::SIMDJSON_PADDING, '\0');
  proactif::Batch batch;
  reader.reset(batch);
  proactif::Days date = 0;
  reader.append(std::string_view(line.data(), size), line.size(), batch, std::nullopt, date);
  return 0;
}
