// A campaign file as an agent (or an attacker) may write it: a campaign, or
// an error naming the file, line and key; never a crash, never a path or an
// endpoint the checks refuse.
#include <cstdint>

#include "campaign/campaign.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An error is a right answer to bad input: the fuzzer looks for crashes and leaks.
  (void)proactif::load_campaign(proactif::fuzz::write_input("campaign.yaml", data, size));
  return 0;
}
