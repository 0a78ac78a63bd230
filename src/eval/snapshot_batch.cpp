#include "eval/snapshot_batch.hpp"

#include <algorithm>

namespace proactif {

Batch batch_of_snapshot(const Snapshot& snap, const Engine& engine, size_t& unknown_codes) {
  Batch b;
  b.person_offsets = snap.person_offsets;
  b.under_review = snap.under_review;
  for (uint32_t id : snap.household_ids) b.household_ids.emplace_back(snap.strings.at(id));
  for (uint32_t id : snap.person_ids) b.person_ids.emplace_back(snap.strings.at(id));
  b.source = "population snapshot";
  for (const auto& s : snap.sources)
    b.origin_labels.push_back(s.source + ", extrait « " + s.extract + " » du " + s.extracted_on + " (" + s.file + ")");
  for (const InputSlot& slot : engine.schema.slots) {
    bool per_person = slot.entity == Entity::kPerson;
    Column col;
    col.value.assign(per_person ? snap.persons() : snap.households(), kUnknown);
    std::vector<ValueOrigin> origins(col.value.size());
    if (const SnapshotColumn* c = snap.column(slot.name, per_person)) {
      for (size_t i = 0; i < origins.size(); ++i) origins[i] = {c->source[i], c->line[i]};
      for (size_t i = 0; i < col.value.size(); ++i) {
        if (!c->text) {
          col.value[i] = c->number[i];
          continue;
        }
        if (c->string[i] == UINT32_MAX) continue;
        auto id = engine.codes.find(snap.strings.at(c->string[i]));
        bool allowed = id && (slot.domain != CodeDomain::kListed ||
                              std::binary_search(slot.allowed.begin(), slot.allowed.end(), *id));
        if (allowed) col.value[i] = *id;
        else ++unknown_codes;
      }
    }
    b.inputs.push_back(std::move(col));
    b.origins.push_back(std::move(origins));
  }
  return b;
}

}  // namespace proactif
