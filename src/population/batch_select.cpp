#include "population/batch_select.hpp"

#include <algorithm>

namespace proactif {

Batch select_households(const Batch& batch, const std::vector<size_t>& households,
                        const std::vector<bool>& person_columns) {
  Batch out;
  out.date = batch.date;
  out.persons_alone = batch.persons_alone;
  out.source = batch.source;
  out.source_exact = batch.source_exact;
  out.origin_labels = batch.origin_labels;
  out.origin_sources = batch.origin_sources;
  out.origin_titles = batch.origin_titles;
  out.inputs.resize(batch.inputs.size());
  out.origins.resize(batch.origins.size());
  for (size_t h : households) {
    uint32_t from = batch.person_offsets[h], to = batch.person_offsets[h + 1];
    for (const auto& [from_household, reason] : batch.incomplete_reasons(h))
      out.incomplete.emplace_back(static_cast<uint32_t>(out.household_ids.size()), reason);
    if (std::binary_search(batch.alone_in_doubt.begin(), batch.alone_in_doubt.end(), h))
      out.alone_in_doubt.push_back(static_cast<uint32_t>(out.household_ids.size()));
    out.household_ids.push_back(batch.household_ids[h]);
    for (uint32_t p = from; p < to; ++p) {
      out.person_ids.push_back(batch.person_ids[p]);
      if (!batch.under_review.empty()) out.under_review.push_back(batch.under_review[p]);
    }
    out.person_offsets.push_back(out.person_offsets.back() + (to - from));
    for (size_t c = 0; c < batch.inputs.size(); ++c) {
      const bool per_person = person_columns[c];
      const size_t begin = per_person ? from : h, end = per_person ? to : h + 1;
      for (size_t r = begin; r < end; ++r) {
        out.inputs[c].value.push_back(batch.inputs[c].value[r]);
        if (c < batch.origins.size() && !batch.origins[c].empty()) out.origins[c].push_back(batch.origins[c][r]);
      }
    }
  }
  return out;
}

}  // namespace proactif
