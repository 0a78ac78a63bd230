#include "population/snapshot_builder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace proactif {

namespace {

// Traits that serve the linkage only: programs do not read them, so the
// population does not keep them (data minimisation).
bool identity_only(const std::string& variable) {
  static const char* kIdentity[] = {"nir", "ine", "birth_name", "usage_name", "first_names", "sex", "birth_place"};
  return std::find_if(std::begin(kIdentity), std::end(kIdentity), [&](const char* v) { return variable == v; }) !=
         std::end(kIdentity);
}

}  // namespace

Snapshot build_snapshot(const std::vector<ReadExtract>& extracts, const LinkageResult& linkage) {
  Snapshot snap;
  const uint32_t persons = linkage.persons;
  // Where each linked person's records are: (extract, row).
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> records(persons);
  size_t record = 0;
  for (uint32_t e = 0; e < extracts.size(); ++e) {
    const auto& m = extracts[e].mapping;
    const ExtractStats& st = extracts[e].stats;
    snap.sources.push_back({m.source, m.extract, m.extracted_on, m.path, st.read, st.accepted, st.rejected});
    for (uint32_t r = 0; r < extracts[e].rows.size(); ++r) records[linkage.person[record++]].push_back({e, r});
  }

  // Households: the first extract that groups the person with others.
  std::map<std::string, std::vector<uint32_t>> households;  // ordered, for a stable output
  std::vector<std::string> person_id(persons);
  for (uint32_t p = 0; p < persons; ++p) {
    const auto& [e0, r0] = records[p].front();
    person_id[p] = extracts[e0].mapping.source + ":" + (extracts[e0].rows[r0].person.empty() ? extracts[e0].rows[r0].household
                                                                                               : extracts[e0].rows[r0].person);
    std::string household;
    for (const auto& [e, r] : records[p]) {
      const auto& m = extracts[e].mapping;
      if (!m.person_id.empty() && m.person_id != m.household_id) {
        household = m.source + ":" + extracts[e].rows[r].household;
        break;
      }
    }
    // Known to no extract that says who lives together: alone, as far as we know.
    if (household.empty()) household = "alone:" + person_id[p];
    households[household].push_back(p);
  }

  // Columns: every variable an extract maps, but identity traits.
  struct Source {
    uint32_t extract;
    size_t column;
  };
  std::map<std::pair<std::string, bool>, std::vector<Source>> variables;  // (name, per person) -> where, in order
  for (uint32_t e = 0; e < extracts.size(); ++e) {
    const auto& cols = extracts[e].mapping.columns;
    for (size_t c = 0; c < cols.size(); ++c)
      if (!identity_only(cols[c].variable)) variables[{cols[c].variable, !cols[c].household}].push_back({e, c});
  }

  std::vector<uint32_t> order;  // persons in snapshot order
  for (const auto& [id, members] : households) {
    snap.household_ids.push_back(snap.strings.intern(id));
    for (uint32_t p : members) {
      order.push_back(p);
      snap.person_ids.push_back(snap.strings.intern(person_id[p]));
      snap.under_review.push_back(linkage.under_review[p]);
    }
    snap.person_offsets.push_back(static_cast<uint32_t>(snap.person_ids.size()));
  }

  for (const auto& [key, sources] : variables) {
    const auto& [name, per_person] = key;
    SnapshotColumn col;
    col.name = name;
    col.per_person = per_person;
    const ColumnMapping& first = extracts[sources[0].extract].mapping.columns[sources[0].column];
    col.text = first.type == FieldType::kText || first.type == FieldType::kCode || first.type == FieldType::kCommune;
    size_t rows = per_person ? snap.persons() : snap.households();
    if (col.text) col.string.assign(rows, UINT32_MAX);
    else col.number.assign(rows, std::numeric_limits<double>::quiet_NaN());
    col.source.assign(rows, 255);
    col.line.assign(rows, 0);
    for (size_t h = 0; h < snap.households(); ++h) {
      for (uint32_t i = snap.person_offsets[h]; i < snap.person_offsets[h + 1]; ++i) {
        size_t row = per_person ? i : h;
        if (col.source[row] != 255) continue;  // a household's value comes from its first member who has one
        for (const auto& src : sources) {  // extracts in the order they were named
          for (const auto& [e, r] : records[order[i]]) {
            if (e != src.extract) continue;
            const FieldValue& v = extracts[e].rows[r].values[src.column];
            if (!v.known) continue;
            if (col.text) col.string[row] = snap.strings.intern(v.text);
            else col.number[row] = v.number;
            col.source[row] = static_cast<uint8_t>(e);
            col.line[row] = static_cast<uint32_t>(extracts[e].rows[r].line);
            break;
          }
          if (col.source[row] != 255) break;
        }
        // Not listed by an extract that lists everyone concerned: its default.
        for (const auto& src : sources) {
          if (col.source[row] != 255 || !per_person) break;
          const ColumnMapping& cm = extracts[src.extract].mapping.columns[src.column];
          if (cm.absent_means.empty()) continue;
          bool listed = false;
          for (const auto& rec : records[order[i]]) listed |= rec.first == src.extract;
          if (listed) continue;
          if (col.text) col.string[row] = snap.strings.intern(cm.absent_means);
          else col.number[row] = cm.type == FieldType::kBoolean ? (cm.absent_means == "true") : std::stod(cm.absent_means);
          col.source[row] = static_cast<uint8_t>(src.extract);
          col.line[row] = 0;  // provenance: absent from that extract
        }
      }
    }
    snap.columns.push_back(std::move(col));
  }
  snap.strings.drop_index();
  return snap;
}

}  // namespace proactif
