// Synthetic households for benchmarks: sizes, ages, resources and statuses in
// plausible proportions, a tenth of the optional fields unknown. Not
// calibrated on published aggregates (that is the synthetic population's job).
#pragma once

#include <cstdint>
#include <string>

#include "eval/engine.hpp"
#include "population/batch.hpp"

namespace proactif::bench {

// Fills a batch with `households` households for `engine`'s inputs.
Batch synthetic_batch(const Engine& engine, size_t households, uint64_t seed);

// Writes the same kind of households as CONTRACT.md situations (JSONL).
void write_situations(const std::string& path, size_t households, uint64_t seed);

}  // namespace proactif::bench
