#include "campaign/rows_elsewhere.hpp"

#include <algorithm>
#include <unordered_set>

#include "core/nir.hpp"

namespace proactif {

namespace {

// The rows of extract `m` that linkage joined to `persons`, found through
// the values the snapshot took from them; none when it read no such extract.
struct JoinedRows {
  std::unordered_map<uint32_t, uint32_t> line_of;  // person -> line of their row
  std::unordered_set<size_t> lines;
};
JoinedRows joined_rows(const Snapshot& snapshot, const SourceMapping& m, const std::vector<uint32_t>& persons) {
  JoinedRows out;
  auto source = std::find_if(snapshot.sources.begin(), snapshot.sources.end(),
                             [&](const SnapshotSource& s) { return s.file == m.path; });
  if (source == snapshot.sources.end()) return out;
  const auto s = static_cast<uint8_t>(source - snapshot.sources.begin());
  for (uint32_t p : persons)
    for (const SnapshotColumn& c : snapshot.columns)
      if (c.per_person && c.source[p] == s && c.line[p] > 0) {
        out.line_of[p] = c.line[p];
        out.lines.insert(c.line[p]);
        break;
      }
  return out;
}

}  // namespace

Result<std::unordered_map<std::string, std::string>> nirs_elsewhere(
    const Snapshot& snapshot, const Batch& batch, const std::vector<SourceMapping>& mappings,
    std::unordered_map<std::string, std::vector<PersonIdentity>>& identities) {
  struct Member {
    PersonIdentity* identity;
    const std::vector<PersonIdentity>* household;
  };
  std::unordered_map<std::string, Member> by_id;
  for (auto& [household, persons] : identities)
    for (PersonIdentity& person : persons)
      if (person.nir.empty()) by_id.emplace(person.person, Member{&person, &persons});
  std::unordered_map<uint32_t, Member> lacking;  // person in the snapshot -> their identity
  for (uint32_t p = 0; p < batch.person_ids.size() && lacking.size() < by_id.size(); ++p)
    if (auto at = by_id.find(batch.person_ids[p]); at != by_id.end()) lacking.emplace(p, at->second);
  struct Found {
    std::string nir, title, source;
    bool conflict = false;
  };
  std::unordered_map<uint32_t, Found> found;
  std::unordered_map<std::string, std::string> refused;  // member -> the first extract whose row was not certainly theirs
  std::vector<uint32_t> persons;
  for (const auto& [p, member] : lacking) persons.push_back(p);
  for (const SourceMapping& m : mappings) {
    const JoinedRows rows = joined_rows(snapshot, m, persons);
    auto read = read_identities_at(m, rows.lines);
    if (!read) return read.error();
    for (const auto& [p, member] : lacking) {
      auto line = rows.line_of.find(p);
      auto row = line == rows.line_of.end() ? read->end() : read->find(line->second);
      if (row == read->end() || row->second.nir.empty()) continue;
      const NirCheck nir = check_nir(row->second.nir);
      bool certain = nir.ok() && certainly_same_person(*member.identity, row->second);
      for (const PersonIdentity& other : *member.household)
        if (&other != member.identity && certainly_same_person(other, row->second)) certain = false;
      if (!certain) {
        refused.emplace(member.identity->person, m.source);
        continue;
      }
      auto [at, added] = found.try_emplace(p, Found{nir.nir, extract_title(m), m.source});
      if (!added && at->second.nir != nir.nir) {
        at->second.conflict = true;
        refused.emplace(member.identity->person, m.source);
      }
    }
  }
  std::unordered_map<std::string, int> given;  // NIR -> the members it was found for
  for (const auto& [p, f] : found) ++given[f.nir];
  for (const auto& [p, f] : found) {
    PersonIdentity& identity = *lacking.at(p).identity;
    if (f.conflict || given[f.nir] > 1) {
      refused.emplace(identity.person, f.source);
      continue;
    }
    identity.nir = f.nir;
    identity.nir_source = f.title;
    refused.erase(identity.person);
  }
  return refused;
}

Result<std::unordered_map<std::string, AddressElsewhere>> addresses_elsewhere(
    const Snapshot& snapshot, const std::vector<SourceMapping>& mappings,
    const std::unordered_map<std::string, uint32_t>& lacking,
    const std::unordered_map<uint32_t, PersonIdentity>& identity, std::map<std::string, int64_t>& unconfirmed) {
  std::unordered_map<std::string, AddressElsewhere> out;
  std::unordered_map<std::string, std::string> not_certain;  // subject -> the first extract whose row was not certainly theirs
  for (size_t k = 1; k < mappings.size() && out.size() < lacking.size(); ++k) {
    const SourceMapping& m = mappings[k];
    std::vector<uint32_t> persons;
    for (const auto& [subject, p] : lacking)
      if (!out.count(subject)) persons.push_back(p);
    const JoinedRows rows = joined_rows(snapshot, m, persons);
    auto got = read_contacts_at(m, rows.lines);
    if (!got) return got.error();
    for (const auto& [subject, p] : lacking) {
      if (out.count(subject)) continue;
      auto line = rows.line_of.find(p);
      if (line == rows.line_of.end()) continue;
      auto c = got->find(line->second);
      if (c == got->end()) continue;
      auto own = identity.find(p);
      if (own == identity.end() || !certainly_same_person(own->second, c->second.identity)) {
        not_certain.emplace(subject, m.source);
        continue;
      }
      out.emplace(subject, AddressElsewhere{m.source, c->second.contact});
    }
  }
  for (const auto& [subject, source] : not_certain)
    if (!out.count(subject)) ++unconfirmed[source];
  return out;
}

}  // namespace proactif
