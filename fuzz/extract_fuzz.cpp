// An extract read through a real mapping (the CAF's, with every column type:
// NIR, dates, codes, commune, money): rows accepted or set aside with their
// reason, never a crash.
#include <cstdint>
#include <fstream>
#include <sstream>

#include "core/data_paths.hpp"
#include "eval/engine.hpp"
#include "fuzz_support.hpp"
#include "sources/extract_reader.hpp"
#include "sources/source_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto territory = proactif::Territory::load(proactif::territory_dir());
  static auto mapping = [] {
    std::ifstream in(std::string(PROACTIF_SOURCE_DIR) + "/tests/data/extracts/caf_rejects.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    yaml.replace(yaml.find("file: caf_rejects.csv"), 21, "file: extract.csv");
    std::ofstream(proactif::fuzz::work_folder() + "/mapping.yaml") << yaml;
    return proactif::load_source_mapping(proactif::fuzz::work_folder() + "/mapping.yaml");
  }();
  if (!mapping || !territory) return 0;
  proactif::fuzz::write_input("extract.csv", data, size);
  // An error is a right answer to bad input: the fuzzer looks for crashes and leaks.
  (void)proactif::read_extract(*mapping, &*territory, [](const proactif::ExtractRow&) {}, [](const proactif::Rejection&) {});
  return 0;
}
