#include "population/snapshot.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/output_file.hpp"

namespace proactif {

const SnapshotColumn* Snapshot::column(const std::string& name, bool per_person) const {
  for (const auto& c : columns)
    if (c.name == name && c.per_person == per_person) return &c;
  return nullptr;
}

const SnapshotColumn* Snapshot::own_foyer_column(const std::string& name) const {
  for (const auto& c : own_foyer_columns)
    if (c.name == name) return &c;
  return nullptr;
}

size_t Snapshot::memory_bytes() const {
  size_t bytes = (household_ids.size() + person_offsets.size() + person_ids.size()) * 4 + under_review.size() +
                 (incomplete_households.size() + incomplete_reasons.size()) * 4;
  bytes += strings.memory_bytes();
  for (const auto* set : {&columns, &own_foyer_columns})
    for (const auto& c : *set) bytes += c.number.size() * 8 + c.string.size() * 4 + c.source.size() + c.line.size() * 4;
  return bytes;
}

namespace {

// Version 6 added the own-foyer columns; a version 5 file has none.
constexpr char kMagic[] = "PROACTIF-SNAPSHOT-6";
constexpr char kMagicBefore[] = "PROACTIF-SNAPSHOT-5";
static_assert(sizeof kMagic == sizeof kMagicBefore);

struct File {
  std::FILE* f;
  ~File() {
    if (f) std::fclose(f);
  }
};

template <typename T>
bool put(std::FILE* f, const std::vector<T>& v) {
  uint64_t n = v.size();
  return std::fwrite(&n, 8, 1, f) == 1 && (n == 0 || std::fwrite(v.data(), sizeof(T), n, f) == n);
}
bool put(std::FILE* f, const std::string& s) {
  uint64_t n = s.size();
  return std::fwrite(&n, 8, 1, f) == 1 && (n == 0 || std::fwrite(s.data(), 1, n, f) == n);
}
template <typename T>
bool get(std::FILE* f, std::vector<T>& v) {
  uint64_t n;
  if (std::fread(&n, 8, 1, f) != 1 || n > (uint64_t{1} << 36)) return false;
  v.resize(n);
  return n == 0 || std::fread(v.data(), sizeof(T), n, f) == n;
}
bool get(std::FILE* f, std::string& s) {
  uint64_t n;
  if (std::fread(&n, 8, 1, f) != 1 || n > (uint64_t{1} << 32)) return false;
  s.resize(n);
  return n == 0 || std::fread(s.data(), 1, n, f) == n;
}

}  // namespace

Result<void> Snapshot::save(const std::string& path) const {
  // A snapshot is replaced whole or not at all: on a full disk the one
  // before stays.
  OutputFile file(path);
  std::FILE* f = file.stream();
  if (!f) return file.error();
  bool ok = std::fwrite(kMagic, sizeof kMagic, 1, f) == 1;
  uint64_t n = sources.size();
  ok = ok && std::fwrite(&n, 8, 1, f) == 1;
  for (const auto& s : sources) {
    uint64_t counts[3] = {s.rows_read, s.rows_accepted, s.rows_rejected};
    ok = ok && put(f, s.source) && put(f, s.extract) && put(f, s.extracted_on) && put(f, s.file) && put(f, s.route) &&
         std::fwrite(counts, 8, 3, f) == 3;
  }
  ok = ok && put(f, strings.text()) && put(f, strings.offsets());
  ok = ok && put(f, household_ids) && put(f, person_offsets) && put(f, person_ids) && put(f, under_review);
  ok = ok && put(f, incomplete_households) && put(f, incomplete_reasons);
  for (const auto* set : {&columns, &own_foyer_columns}) {
    n = set->size();
    ok = ok && std::fwrite(&n, 8, 1, f) == 1;
    for (const auto& c : *set) {
      uint8_t flags = static_cast<uint8_t>((c.per_person ? 1 : 0) | (c.text ? 2 : 0));
      ok = ok && put(f, c.name) && std::fwrite(&flags, 1, 1, f) == 1 && put(f, c.number) && put(f, c.string) &&
           put(f, c.source) && put(f, c.line);
    }
  }
  if (!ok) file.fail(errno ? errno : ENOSPC);
  return file.commit();
}

Result<Snapshot> Snapshot::load(const std::string& path) {
  File file{std::fopen(path.c_str(), "rb")};
  if (!file.f) return Error{ErrorKind::kNotFound, path + ": cannot open the snapshot (" + std::strerror(errno) + ")"};
  std::FILE* f = file.f;
  char magic[sizeof kMagic];
  if (std::fread(magic, sizeof magic, 1, f) != 1 ||
      (std::memcmp(magic, kMagic, sizeof kMagic) != 0 && std::memcmp(magic, kMagicBefore, sizeof kMagic) != 0))
    return Error{ErrorKind::kInput, path + ": not a Proactif population snapshot"};
  const bool own_foyers = std::memcmp(magic, kMagic, sizeof kMagic) == 0;
  Snapshot s;
  uint64_t n;
  bool ok = std::fread(&n, 8, 1, f) == 1 && n < 256;
  for (uint64_t i = 0; ok && i < n; ++i) {
    SnapshotSource src;
    uint64_t counts[3] = {};
    ok = get(f, src.source) && get(f, src.extract) && get(f, src.extracted_on) && get(f, src.file) && get(f, src.route) &&
         std::fread(counts, 8, 3, f) == 3;
    src.rows_read = counts[0], src.rows_accepted = counts[1], src.rows_rejected = counts[2];
    s.sources.push_back(std::move(src));
  }
  std::string text;
  std::vector<uint32_t> offsets;
  ok = ok && get(f, text) && get(f, offsets) && !offsets.empty() && offsets.back() == text.size();
  if (ok) s.strings.assign(std::move(text), std::move(offsets));
  ok = ok && get(f, s.household_ids) && get(f, s.person_offsets) && get(f, s.person_ids) && get(f, s.under_review);
  ok = ok && get(f, s.incomplete_households) && get(f, s.incomplete_reasons) &&
       s.incomplete_households.size() == s.incomplete_reasons.size();
  for (size_t i = 0; ok && i < s.incomplete_households.size(); ++i)
    ok = s.incomplete_households[i] < s.household_ids.size() && s.incomplete_reasons[i] < s.strings.size() &&
         (i == 0 || s.incomplete_households[i - 1] <= s.incomplete_households[i]);
  for (auto* set : {&s.columns, &s.own_foyer_columns}) {
    if (set == &s.own_foyer_columns && !own_foyers) break;
    ok = ok && std::fread(&n, 8, 1, f) == 1 && n < 4096;
    for (uint64_t i = 0; ok && i < n; ++i) {
      SnapshotColumn c;
      uint8_t flags = 0;
      ok = get(f, c.name) && std::fread(&flags, 1, 1, f) == 1 && get(f, c.number) && get(f, c.string) &&
           get(f, c.source) && get(f, c.line);
      c.per_person = flags & 1;
      c.text = flags & 2;
      set->push_back(std::move(c));
    }
  }
  if (!ok || s.person_offsets.size() != s.household_ids.size() + 1 || s.person_offsets.back() != s.person_ids.size())
    return Error{ErrorKind::kInput, path + ": the snapshot is truncated or damaged"};
  // A column's rows are its entity's: the evaluation reads them by index.
  // An own-foyer column holds a number per person.
  for (const auto& c : s.own_foyer_columns)
    if (!c.per_person || c.text)
      return Error{ErrorKind::kInput, path + ": the snapshot is truncated or damaged (column " + c.name + ")"};
  for (const auto* set : {&s.columns, &s.own_foyer_columns})
    for (const auto& c : *set) {
      const size_t rows = c.per_person ? s.persons() : s.households();
      if ((c.text ? c.string.size() : c.number.size()) != rows || c.source.size() != rows || c.line.size() != rows)
        return Error{ErrorKind::kInput, path + ": the snapshot is truncated or damaged (column " + c.name + ")"};
    }
  return s;
}

}  // namespace proactif
