#include "identity/linkage.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "identity/similarity.hpp"

namespace proactif {

namespace {

// The levels of agreement of each field, with m: the level's probability for
// two records of the same person, from the defect rates administrations'
// files show, and u: for two different persons taken at random (name and
// first-name frequencies, 1 in 36 500 for a birth date...); see
// docs/record-linkage.md.
struct Level {
  const char* name;
  double m, u;
};
struct Field {
  const char* name;
  std::vector<Level> levels;
};
const std::vector<Field>& fields() {
  static const std::vector<Field> kFields = {
      {"family name", {{"exact", 0.90, 0.02}, {"similar", 0.06, 0.005}, {"disagree", 0.04, 0.975}}},
      {"first names",
       {{"exact", 0.85, 0.01}, {"another first name in common", 0.08, 0.01}, {"similar", 0.04, 0.005},
        {"disagree", 0.03, 0.975}}},
      {"birth date",
       {{"exact", 0.985, 0.0001}, {"day and month swapped", 0.003, 0.00001},
        {"same year, day or month differs", 0.008, 0.001}, {"disagree", 0.004, 0.999}}},
      {"sex", {{"agree", 0.99, 0.5}, {"disagree", 0.01, 0.5}}},
      {"birth place", {{"agree", 0.95, 0.02}, {"disagree", 0.05, 0.98}}},
      {"commune", {{"agree", 0.90, 0.05}, {"disagree", 0.10, 0.95}}},
  };
  return kFields;
}
constexpr size_t kFieldCount = 6;
constexpr uint8_t kMissing = 255;
constexpr double kSimilar = 0.92;  // Jaro-Winkler from which two names are "similar"

struct Compared {
  uint32_t a, b;
  uint8_t level[kFieldCount];
};

constexpr uint32_t kNone = IdentityRecord::kNone;

// Compares lists of pooled names: equal ids are equal names.
template <size_t N, size_t M>
double best_similarity(const StringPool& s, const uint32_t (&x)[N], const uint32_t (&y)[M], bool* shared) {
  double best = 0;
  for (uint32_t a : x)
    for (uint32_t b : y) {
      if (a == kNone || b == kNone) continue;
      if (a == b) *shared = true;
      best = std::max(best, a == b ? 1.0 : jaro_winkler(s.at(a), s.at(b)));
    }
  return best;
}

void compare(const StringPool& s, const IdentityRecord& a, const IdentityRecord& b, uint8_t* level) {
  std::fill(level, level + kFieldCount, kMissing);
  bool shared = false;
  if (a.family_names[0] != kNone && b.family_names[0] != kNone) {
    double best = best_similarity(s, a.family_names, b.family_names, &shared);
    level[0] = best == 1 ? 0 : best >= kSimilar ? 1 : 2;
  }
  if (a.first_names[0] != kNone && b.first_names[0] != kNone) {
    if (a.first_names[0] == b.first_names[0]) {
      level[1] = 0;
    } else {
      shared = false;
      double best = best_similarity(s, a.first_names, b.first_names, &shared);
      level[1] = shared ? 1 : best >= kSimilar ? 2 : 3;
    }
  }
  if (a.has_birth && b.has_birth) {
    CivilDate x = civil_from_days(a.birth), y = civil_from_days(b.birth);
    level[2] = a.birth == b.birth                                                   ? 0
               : x.year == y.year && x.day == y.month && x.month == y.day           ? 1
               : x.year == y.year && (x.day == y.day || x.month == y.month)         ? 2
                                                                                    : 3;
  }
  if (a.sex && b.sex) level[3] = a.sex == b.sex ? 0 : 1;
  if (a.birth_place != kNone && b.birth_place != kNone) level[4] = a.birth_place == b.birth_place ? 0 : 1;
  if (a.commune != kNone && b.commune != kNone) level[5] = a.commune == b.commune ? 0 : 1;
}

// The weight of each field's level of agreement: log2(m/u).
std::vector<std::vector<double>> level_weights() {
  std::vector<std::vector<double>> weight(kFieldCount);
  for (size_t f = 0; f < kFieldCount; ++f)
    for (const Level& l : fields()[f].levels) weight[f].push_back(std::log2(l.m / l.u));
  return weight;
}

// The weight of a pair's levels of agreement; a missing field adds nothing.
double weight_of_levels(const uint8_t* level, const std::vector<std::vector<double>>& weight) {
  double w = 0;
  for (size_t f = 0; f < kFieldCount; ++f)
    if (level[f] != kMissing) w += weight[f][level[f]];
  return w;
}

// `year_typo`: a birth date of another year on the same day and month
// weighs as one that differs by its day or month (looking for a link
// missed, not linking).
double weight_of(const StringPool& strings, const IdentityRecord& a, const IdentityRecord& b,
                 const std::vector<std::vector<double>>& weight, bool year_typo = false) {
  uint8_t level[kFieldCount];
  compare(strings, a, b, level);
  if (year_typo && level[2] == 3) level[2] = 2;
  return weight_of_levels(level, weight);
}

// The record with its first family name and its first first name in each
// other's place (the keys of both are folded alike).
IdentityRecord names_swapped(const IdentityRecord& r) {
  IdentityRecord swapped = r;
  swapped.family_names[0] = r.first_names[0];
  swapped.family_names[1] = kNone;
  swapped.first_names[0] = r.family_names[0];
  swapped.first_names[1] = swapped.first_names[2] = kNone;
  return swapped;
}

// A birth date a form gives where the real one is not known: 1 January.
bool placeholder_date(Days d) {
  const CivilDate c = civil_from_days(d);
  return c.day == 1 && c.month == 1;
}

// Whether two birth dates may be one with a typo: the same year, and the
// same day or month, or the two swapped.
bool close_birth(Days a, Days b) {
  const CivilDate d = civil_from_days(a), e = civil_from_days(b);
  return d.year == e.year && (d.day == e.day || d.month == e.month || (d.day == e.month && d.month == e.day));
}

bool same_day_and_month(Days a, Days b) {
  const CivilDate d = civil_from_days(a), e = civil_from_days(b);
  return d.day == e.day && d.month == e.month;
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n), sources_(n, 0), refused_(n, 0), nir_(n, IdentityRecord::kNone) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  uint32_t find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a == b) return;
    parent_[b] = a;
    sources_[a] |= sources_[b];
    refused_[a] += refused_[b];
    if (nir_[a] == IdentityRecord::kNone) nir_[a] = nir_[b];
  }
  uint64_t& sources(uint32_t x) { return sources_[find(x)]; }
  // How many of a set's records a reviewer said are not someone's.
  uint32_t& refused(uint32_t x) { return refused_[find(x)]; }
  // A definitive NIR of the set's records (kNone if none has one).
  uint32_t& nir(uint32_t x) { return nir_[find(x)]; }
  // Two definitive NIRs that differ are two persons, however alike their
  // traits: a homonym born the same day in the same country would
  // otherwise lend the other's coverage or resources.
  bool different_nirs(uint32_t a, uint32_t b) {
    const uint32_t x = nir(a), y = nir(b);
    return x != IdentityRecord::kNone && y != IdentityRecord::kNone && x != y;
  }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint64_t> sources_;  // which extracts a linked person already has a record in
  std::vector<uint32_t> refused_;
  std::vector<uint32_t> nir_;
};

// A NIR given to a person for life (its first digit 1 or 2), not a
// temporary number (7 or 8: the NIA while registration is pending) that
// a definitive one later replaces for the same person.
bool definitive_nir(const StringPool& strings, uint32_t nir) {
  if (nir == IdentityRecord::kNone) return false;
  const std::string_view text = strings.at(nir);  // "nir:..."
  return text.size() > 4 && (text[4] == '1' || text[4] == '2');
}

// 5. Records alone: no other record joined them. Each is compared with the
// records of the other extracts born the same year whose day or month
// agrees (a swap included); a person it resembles at least
// `unplaced_threshold`, and who has no record of its extract, may be its
// own. The weights take the same fields as linking.
// Then, where an extract groups households, the persons none of them
// places (known to the tax office and the DRM, say, not to the CAF) are
// looked for among the placed persons of the same family and first names
// (one key each, for the cost), born the same year as above or on the
// same day and month of another year (a typo in the year, whichever of its
// digits: a CAF row's 1998 for a son of 2008 whom the CPAM alone knows
// made him a foyer of his own, told he might have the RSA), given the same
// place of birth and no other sex where more than a year apart, or its
// date one a form writes where it is not known (1 January); and among
// those of
// one of these names whose other name is a typo of it, born the same year
// or a year apart on the same day and month.
void find_unplaced(const std::vector<IdentityRecord>& records, const StringPool& strings, const LinkageOptions& options,
                   UnionFind& sets, const std::vector<std::vector<double>>& weight, LinkageResult& result) {
  const uint32_t n = static_cast<uint32_t>(records.size());
  std::vector<uint32_t> size(result.persons, 0);
  std::vector<uint8_t> placed(result.persons, 0);
  auto grouping = [&](const IdentityRecord& r) { return (options.grouping_sources >> (r.source % 64)) & 1; };
  for (uint32_t i = 0; i < n; ++i) {
    ++size[result.person[i]];
    placed[result.person[i]] |= grouping(records[i]);
  }
  std::unordered_set<uint64_t> named;  // (record, person): once, by whichever search finds it
  auto add = [&](uint32_t o, uint32_t person) {
    if (named.insert(uint64_t{o} << 32 | person).second) result.unplaced.push_back({o, person});
  };
  std::unordered_map<int, std::vector<uint32_t>> by_year;  // records of persons of more than one record
  std::vector<uint32_t> alone;
  for (uint32_t i = 0; i < n; ++i) {
    const IdentityRecord& r = records[i];
    if (!r.has_birth) continue;
    if (size[result.person[i]] == 1 && !grouping(r)) alone.push_back(i);
    else by_year[civil_from_days(r.birth).year].push_back(i);
  }
  for (uint32_t o : alone) {
    auto block = by_year.find(civil_from_days(records[o].birth).year);
    if (block == by_year.end()) continue;
    uint32_t last = UINT32_MAX;
    for (uint32_t i : block->second) {
      const uint32_t person = result.person[i];
      if (person == last) continue;
      if (!close_birth(records[o].birth, records[i].birth)) continue;
      // A person who has a record of this extract already is another
      // person to it, unless the two records share the birth date and are
      // alike enough to link: the extract then lists one person twice, and
      // which record is right is not known. (The birth date first: most
      // candidates need no weighing.)
      if (sets.different_nirs(o, i)) continue;
      const bool listed_there = sets.sources(i) >> (records[o].source % 64) & 1;
      if (listed_there && records[o].birth != records[i].birth) continue;
      // Its family and first names swapped, as a form read the wrong way
      // gives them (a tax record of "FANTINE GUIAM" born the day Fantine
      // Guiam was, without a place of birth, weighed 3.7: her household was
      // told of a free C2S on no income; a tester's finding), where one of
      // them is the other's other name (most candidates share neither).
      const double threshold = listed_there ? options.link_threshold : options.unplaced_threshold;
      double alike = weight_of(strings, records[o], records[i], weight);
      if (alike < threshold && !listed_there &&
          (records[o].family_names[0] == records[i].first_names[0] ||
           records[o].first_names[0] == records[i].family_names[0]))
        alike = std::max(alike, weight_of(strings, names_swapped(records[o]), records[i], weight));
      if (alike < threshold) continue;
      add(o, person);
      last = person;
    }
  }
  if (options.grouping_sources == 0) return;
  // The placed records by their family and first names together, and by
  // each of them with the birth year: a typo in the other name (a CAF row
  // of "Coms" for the tax office's "COMAS", its day and month swapped too)
  // would otherwise leave the person's tax and DRM records to a person of
  // their own, and the CAF's person with no resources. Sorted (key, record)
  // pairs: a map per key would hold a vector per person.
  using Keyed = std::vector<std::pair<uint64_t, uint32_t>>;
  // Each family name (the birth and the usage name) with the first name:
  // one extract may give the one, another the other.
  auto names = [](uint32_t family, const IdentityRecord& r) { return uint64_t{family} << 32 | r.first_names[0]; };
  auto share_names = [](const IdentityRecord& a, const IdentityRecord& b) {
    if (a.first_names[0] == IdentityRecord::kNone || a.first_names[0] != b.first_names[0]) return false;
    for (uint32_t x : a.family_names)
      for (uint32_t y : b.family_names)
        if (x != IdentityRecord::kNone && x == y) return true;
    return false;
  };
  auto with_year = [](uint32_t name, int year) { return uint64_t{name} << 32 | static_cast<uint32_t>(year); };
  Keyed by_names, by_first, by_family;
  for (uint32_t i = 0; i < n; ++i) {
    const IdentityRecord& r = records[i];
    if (!r.has_birth || !placed[result.person[i]]) continue;
    const bool family = r.family_names[0] != IdentityRecord::kNone, first = r.first_names[0] != IdentityRecord::kNone;
    for (uint32_t name : r.family_names)
      if (name != IdentityRecord::kNone && first) by_names.emplace_back(names(name, r), i);
    const int year = civil_from_days(r.birth).year;
    if (first) by_first.emplace_back(with_year(r.first_names[0], year), i);
    if (family) by_family.emplace_back(with_year(r.family_names[0], year), i);
  }
  for (Keyed* keyed : {&by_names, &by_first, &by_family}) std::sort(keyed->begin(), keyed->end());
  auto each_of = [](const Keyed& keyed, uint64_t key, auto f) {
    for (auto it = std::lower_bound(keyed.begin(), keyed.end(), std::pair{key, uint32_t{0}});
         it != keyed.end() && it->first == key; ++it)
      f(it->second);
  };
  for (uint32_t o = 0; o < n; ++o) {
    const IdentityRecord& r = records[o];
    if (!r.has_birth || placed[result.person[o]]) continue;
    const CivilDate born = civil_from_days(r.birth);
    auto consider = [&](uint32_t i, bool names_agree) {
      if (sets.sources(i) >> (r.source % 64) & 1) return;
      if (sets.different_nirs(o, i)) return;
      const int year = civil_from_days(records[i].birth).year;
      // Both names the same, and the date of this record one a form writes
      // where the date is not known: 1 January of the person's year (the
      // place of birth not differing) or of 1900 (the place the same). Its
      // date then says nothing (a tax record of 1900-01-01, left alone,
      // made its person's household one without income, told of a free
      // C2S: a tester's finding). Not the placed person's 1 January, which
      // many born abroad really have, nor any other date: a namesake born
      // in the same town is often another person (a reviewer's findings).
      if (names_agree && placeholder_date(r.birth) && (born.year == year || born.year == 1900) &&
          r.birth != records[i].birth) {
        const uint32_t here = r.birth_place, there = records[i].birth_place;
        if (born.year == 1900 ? here == kNone || here != there : here != kNone && there != kNone && here != there)
          return;
        uint8_t level[kFieldCount];
        compare(strings, r, records[i], level);
        if (level[3] == 1) return;
        level[2] = kMissing;
        if (weight_of_levels(level, weight) >= options.unplaced_threshold) add(o, result.person[i]);
        return;
      }
      // A typo in the year, the day and month the same: any year where both
      // names agree, a year apart where one is a typo of the other (the
      // tax office's "PICILVAS" of 2007 for the CAF's Picilva of 2006).
      const bool year_typo = year != born.year;
      if (year_typo ? !same_day_and_month(r.birth, records[i].birth) || (!names_agree && std::abs(year - born.year) != 1)
                    : !close_birth(r.birth, records[i].birth))
        return;
      if (!names_agree || std::abs(year - born.year) > 1) {
        uint8_t level[kFieldCount];
        compare(strings, r, records[i], level);
        if (!names_agree) {
          // Found by one name, the other is a typo of it, not another name
          // nor none, and the birth date the same, its day and month
          // swapped or its year a year off: persons of one first name born
          // the same year are many.
          if (level[0] != 0 && level[0] != 1) return;
          if (level[1] == 3 || level[1] == kMissing || (!year_typo && level[2] > 1)) return;
        } else if (level[3] == 1 || level[4] != 0) {
          // More than a year apart, the place of birth must be given alike
          // too, and the sex not differ: a namesake born the same day of
          // another year elsewhere is another person (a reviewer's finding).
          return;
        }
      }
      if (weight_of(strings, r, records[i], weight, year_typo) < options.unplaced_threshold) return;
      add(o, result.person[i]);
    };
    if (r.first_names[0] != IdentityRecord::kNone)
      for (uint32_t name : r.family_names)
        if (name != IdentityRecord::kNone) each_of(by_names, names(name, r), [&](uint32_t i) { consider(i, true); });
    // Those of both names again were weighed above; the others are looked
    // for born the same year or a year apart.
    auto other_names = [&](uint32_t i) { return !share_names(r, records[i]); };
    for (int year = born.year - 1; year <= born.year + 1; ++year) {
      if (r.first_names[0] != IdentityRecord::kNone)
        each_of(by_first, with_year(r.first_names[0], year), [&](uint32_t i) { if (other_names(i)) consider(i, false); });
      if (r.family_names[0] != IdentityRecord::kNone)
        each_of(by_family, with_year(r.family_names[0], year), [&](uint32_t i) { if (other_names(i)) consider(i, false); });
    }
  }
}

// One person listed twice by an extract that groups households, under two
// person ids and no NIR to tell them apart (a stale row, a child on both
// parents' files): the same family name, first name and birth date, and a
// sex and a place of birth that do not differ (twins differ by their first
// names). Nobody acts on either until a reviewer says whether they are
// one person (then listed in two households, both incomplete) or two: the
// pairs of records.
std::vector<std::pair<uint32_t, uint32_t>> listed_twice(const std::vector<IdentityRecord>& records,
                                                        const LinkageOptions& options, UnionFind& sets) {
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  if (options.grouping_sources == 0) return pairs;
  std::vector<std::pair<uint64_t, uint32_t>> keyed;  // (family name, first name, birth date) hashed, record
  for (uint32_t i = 0; i < records.size(); ++i) {
    const IdentityRecord& r = records[i];
    if (!((options.grouping_sources >> (r.source % 64)) & 1) || !r.has_birth || r.first_names[0] == kNone) continue;
    for (uint32_t name : r.family_names)
      if (name != kNone)
        keyed.push_back({std::hash<std::string>()(std::to_string(name) + "|" + std::to_string(r.first_names[0]) +
                                                   "|" + std::to_string(r.birth)),
                         i});
  }
  std::sort(keyed.begin(), keyed.end());
  auto share_family_name = [](const IdentityRecord& a, const IdentityRecord& b) {
    for (uint32_t x : a.family_names)
      for (uint32_t y : b.family_names)
        if (x != kNone && x == y) return true;
    return false;
  };
  for (size_t start = 0; start < keyed.size();) {
    size_t end = start;
    while (end < keyed.size() && keyed[end].first == keyed[start].first) ++end;
    for (size_t x = start; x < end; ++x)
      for (size_t y = x + 1; y < end; ++y) {
        const uint32_t a = std::min(keyed[x].second, keyed[y].second), b = std::max(keyed[x].second, keyed[y].second);
        const IdentityRecord &ra = records[a], &rb = records[b];
        if (ra.source != rb.source || sets.find(a) == sets.find(b) || sets.different_nirs(a, b)) continue;
        if (ra.birth != rb.birth || ra.first_names[0] != rb.first_names[0] || !share_family_name(ra, rb)) continue;
        if (ra.sex && rb.sex && ra.sex != rb.sex) continue;
        if (ra.birth_place != kNone && rb.birth_place != kNone && ra.birth_place != rb.birth_place) continue;
        pairs.push_back({a, b});
      }
    start = end;
  }
  // Two family names can key a pair twice.
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace

LinkageResult link_records(const std::vector<IdentityRecord>& records, const StringPool& strings,
                           const LinkageOptions& options) {
  LinkageResult result;
  const uint32_t n = static_cast<uint32_t>(records.size());
  UnionFind sets(n);
  for (uint32_t i = 0; i < n; ++i) {
    sets.sources(i) = uint64_t{1} << (records[i].source % 64);
    if (definitive_nir(strings, records[i].nir)) sets.nir(i) = records[i].nir;
  }

  // The weight of each field's level of agreement.
  const auto& fs = fields();
  const auto weight = level_weights();
  for (const Field& f : fs)
    for (const Level& l : f.levels) result.weights.push_back({f.name, l.name, l.m, l.u});
  auto score = [&](const Compared& c) {
    ScoredPair pair{c.a, c.b, 0, false, {}};
    for (size_t f = 0; f < kFieldCount; ++f) {
      if (c.level[f] == kMissing) {
        pair.fields.push_back({fs[f].name, "missing", 0});
        continue;
      }
      double w = weight[f][c.level[f]];
      pair.fields.push_back({fs[f].name, fs[f].levels[c.level[f]].name, w});
      pair.weight += w;
    }
    return pair;
  };
  std::vector<ScoredPair> review;

  // 0. What reviewers decided comes before any weight. Two records decided
  // two persons are never joined, not even through a third record that
  // resembles both: such a link goes to review instead.
  std::set<std::pair<uint32_t, uint32_t>> refuted;
  for (auto [a, b] : options.different_persons) {
    if (a >= n || b >= n) continue;
    if (refuted.insert({std::min(a, b), std::max(a, b)}).second) ++sets.refused(a), ++sets.refused(b);
  }
  auto would_join_refuted = [&](uint32_t a, uint32_t b) {
    const uint32_t ra = sets.find(a), rb = sets.find(b);
    if (ra == rb || !sets.refused(ra) || !sets.refused(rb)) return false;
    for (auto [x, y] : refuted) {
      const uint32_t rx = sets.find(x), ry = sets.find(y);
      if ((rx == ra && ry == rb) || (rx == rb && ry == ra)) return true;
    }
    return false;
  };
  for (auto [a, b] : options.same_person) {
    if (a >= n || b >= n || sets.find(a) == sets.find(b)) continue;
    sets.unite(a, b);
    ++result.linked_by_reviewer;
  }

  // 1. The same valid NIR (or INE) is the same person: equal pool ids. But
  // two records of one extract under one identifier are the same person only
  // if their traits say so too (a duplicate row); else one identifier names
  // two persons, and neither is linked by it: the pair goes to review.
  // So do records of two extracts under one NIR whose family names, first
  // names and birth dates all disagree (the same date, it is one person's
  // names mistyped in one of them, as the synthetic extracts' "LMREZ ROKAN"
  // for Lemrez Ronan): one carries another person's number (an employer's
  // declaration under a colleague's NIR moved her 18 379 € of wages to the
  // colleague, and left her own household told of the RSA: a tester's
  // finding).
  {
    std::unordered_map<uint32_t, uint32_t> by_id;
    // A NIR two persons' records carry, or a reviewer said they do, tells
    // neither who they are nor who they are not: a record alone under it
    // may link by its traits, as one without a NIR, to the person they
    // name. Not a person's whose records of two extracts agree on it.
    auto number_says_nothing = [&](uint32_t a, uint32_t b, uint32_t id) {
      for (uint32_t r : {a, b})
        if (id == records[r].nir && sets.find(r) == r && std::popcount(sets.sources(r)) == 1 && sets.nir(r) == id)
          sets.nir(r) = kNone;
    };
    for (uint32_t i = 0; i < n; ++i) {
      for (uint32_t id : {records[i].nir, records[i].ine}) {
        if (id == kNone) continue;
        auto [it, fresh] = by_id.emplace(id, i);
        if (fresh || sets.find(it->second) == sets.find(i)) continue;
        Compared c{std::min(it->second, i), std::max(it->second, i), {}};
        if (refuted.count({c.a, c.b})) {
          number_says_nothing(c.a, c.b, id);
          continue;
        }
        auto to_review = [&] {
          compare(strings, records[c.a], records[c.b], c.level);
          ScoredPair pair = score(c);
          pair.by_nir = true;
          review.push_back(std::move(pair));
        };
        // A link that would join records a reviewer said are two persons,
        // or a student number shared by records of two definitive NIRs (two
        // persons, or one NIR wrong): a reviewer says which.
        if (would_join_refuted(it->second, i) || sets.different_nirs(it->second, i)) {
          to_review();
          continue;
        }
        // Most records under one number give one birth date: nothing to weigh.
        const IdentityRecord &ra = records[c.a], &rb = records[c.b];
        const bool one_extract = sets.sources(it->second) & sets.sources(i);
        if (one_extract || !ra.has_birth || !rb.has_birth || ra.birth != rb.birth) {
          compare(strings, ra, rb, c.level);
          if (one_extract ? weight_of_levels(c.level, weight) < options.link_threshold
                          : c.level[0] == 2 && c.level[1] == 3 && c.level[2] != 0) {
            to_review();
            number_says_nothing(c.a, c.b, id);
            continue;
          }
        }
        sets.unite(it->second, i);
        ++result.linked_by_identifier;
      }
    }
  }

  // 2. Blocks. Each pass groups records by a key; a pair is compared in the
  // first pass whose key it shares, so no pair is compared twice and no set
  // of pairs is kept. Keys are narrow enough that blocks stay small as the
  // population grows (the cost stays near-linear):
  //   birth date and the first three letters of a family name (first names
  //   may differ);
  //   birth date and the first three letters of the first first name (family
  //   names may differ: usage name, typo at the start);
  //   family name, first first name and birth year (the date may be wrong);
  //   birth date and place of birth (the names may both differ: a typo at
  //   the start of the family name and the first names in another order).
  auto prefix = [&](uint32_t id) { return std::string(strings.at(id).substr(0, 3)); };
  auto keys_of = [&](const IdentityRecord& r, int pass) {
    std::vector<std::string> keys;
    std::string date = r.has_birth ? std::to_string(r.birth) : "";
    std::string year = r.has_birth ? std::to_string(civil_from_days(r.birth).year) : "";
    uint32_t first = r.first_names[0];
    if (pass == 0 && r.has_birth)
      for (uint32_t name : r.family_names)
        if (name != kNone) keys.push_back(date + "|" + prefix(name));
    if (pass == 1 && r.has_birth && first != kNone) keys.push_back(date + "|" + prefix(first));
    if (pass == 2 && first != kNone)
      for (uint32_t name : r.family_names)
        if (name != kNone) keys.push_back(std::to_string(name) + "|" + std::to_string(first) + "|" + year);
    if (pass == 3 && r.has_birth && r.birth_place != kNone) keys.push_back(date + "|" + std::to_string(r.birth_place));
    return keys;
  };
  auto share = [&](uint32_t a, uint32_t b, int pass) {
    auto ka = keys_of(records[a], pass), kb = keys_of(records[b], pass);
    for (const auto& x : ka)
      for (const auto& y : kb)
        if (x == y) return true;
    return false;
  };
  std::vector<Compared> compared;
  uint64_t sources_seen = 0;
  for (const auto& r : records) sources_seen |= uint64_t{1} << (r.source % 64);
  const bool several_sources = (sources_seen & (sources_seen - 1)) != 0;
  for (int pass = 0; several_sources && pass < 4; ++pass) {
    // Blocks by sorting (key hash, record) pairs: no map of strings. Two
    // keys with one hash only make a block larger, never a pair wrong.
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    for (uint32_t i = 0; i < n; ++i)
      for (const auto& key : keys_of(records[i], pass)) keyed.push_back({std::hash<std::string>()(key), i});
    std::sort(keyed.begin(), keyed.end());
    keyed.erase(std::unique(keyed.begin(), keyed.end()), keyed.end());
    std::vector<uint32_t> members;
    for (size_t start = 0; start < keyed.size();) {
      size_t end = start;
      members.clear();
      while (end < keyed.size() && keyed[end].first == keyed[start].first) members.push_back(keyed[end++].second);
      start = end;
      for (size_t x = 0; x < members.size(); ++x) {
        for (size_t y = x + 1; y < members.size(); ++y) {
          uint32_t a = members[x], b = members[y];
          if (records[a].source == records[b].source) continue;
          if (sets.find(a) == sets.find(b)) continue;  // already one person by identifier
          bool earlier = false;
          for (int p = 0; p < pass && !earlier; ++p) earlier = share(a, b, p);
          if (earlier) continue;
          // Two family names can put a pair in two blocks of one pass: keep
          // the block of the smallest shared key hash; and a hash shared by
          // two keys must not pair records that share no key.
          auto ka = keys_of(records[a], pass), kb = keys_of(records[b], pass);
          uint64_t first_shared = UINT64_MAX;
          for (const auto& x2 : ka)
            for (const auto& y2 : kb)
              if (x2 == y2) first_shared = std::min<uint64_t>(first_shared, std::hash<std::string>()(x2));
          if (first_shared != keyed[start - 1].first) continue;
          Compared c{std::min(a, b), std::max(a, b), {}};
          compare(strings, records[c.a], records[c.b], c.level);
          compared.push_back(c);
        }
      }
    }
  }
  result.compared = compared.size();

  // 3. Candidates are kept small (weight and pair); the field-by-field detail
  // is made only for the pairs that go to review.
  struct Candidate {
    double weight;
    uint32_t compared;
  };
  std::vector<Candidate> candidates;
  for (uint32_t i = 0; i < compared.size(); ++i) {
    const double w = weight_of_levels(compared[i].level, weight);
    if (w >= options.review_threshold) candidates.push_back({w, i});
  }

  // 4. Strongest links first; a person has at most one record per extract,
  // so a weaker pair that would give it a second one is not linked.
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& p, const Candidate& q) {
    const Compared& x = compared[p.compared];
    const Compared& y = compared[q.compared];
    return p.weight != q.weight ? p.weight > q.weight : std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  for (const auto& cand : candidates) {
    const Compared& c = compared[cand.compared];
    uint32_t ra = sets.find(c.a), rb = sets.find(c.b);
    if (ra == rb) continue;
    if (refuted.count({c.a, c.b})) continue;  // decided two persons: neither linked nor reviewed again
    if (sets.different_nirs(ra, rb)) {
      ++result.kept_apart_by_nir;
      continue;
    }
    if (would_join_refuted(c.a, c.b)) {
      review.push_back(score(c));
      continue;
    }
    // Family names that have nothing in common (neither birth nor usage
    // name alike) are two persons as often as one: the first name, the
    // birth date and place of a common name born abroad on 1 January are
    // enough to pass the threshold. Unless the two records also say the
    // same sex and commune (a usage name one extract lacks), a reviewer
    // says which.
    const bool names_disagree = c.level[0] == 2 && !(c.level[3] == 0 && c.level[5] == 0);
    if (cand.weight >= options.link_threshold && !names_disagree && !(sets.sources(ra) & sets.sources(rb))) {
      sets.unite(ra, rb);
      ++result.linked_by_weight;
    } else if (cand.weight < options.link_threshold || names_disagree) {
      review.push_back(score(c));
    }
  }

  for (auto [a, b] : listed_twice(records, options, sets)) {
    if (refuted.count({a, b})) continue;
    Compared c{a, b, {}};
    compare(strings, records[a], records[b], c.level);
    review.push_back(score(c));
  }

  // Persons, numbered in the order of their first record.
  std::vector<uint32_t> number(n, UINT32_MAX);
  result.person.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t root = sets.find(i);
    if (number[root] == UINT32_MAX) number[root] = result.persons++;
    result.person[i] = number[root];
  }
  result.under_review.assign(result.persons, 0);
  for (auto& pair : review) {
    if (result.person[pair.a] == result.person[pair.b]) continue;  // linked since by a stronger path
    result.under_review[result.person[pair.a]] = 1;
    result.under_review[result.person[pair.b]] = 1;
    result.review.push_back(std::move(pair));
  }
  find_unplaced(records, strings, options, sets, weight, result);
  return result;
}

std::vector<LinkageResult::Unplaced> place_rejected(const std::vector<IdentityRecord>& rejected,
                                                    const std::vector<IdentityRecord>& records,
                                                    const StringPool& strings, const LinkageResult& linkage,
                                                    const LinkageOptions& options) {
  std::vector<LinkageResult::Unplaced> out;
  if (rejected.empty()) return out;
  const auto weight = level_weights();
  std::vector<uint64_t> sources(linkage.persons, 0);  // per person: the extracts they have a record in
  std::unordered_map<uint32_t, uint32_t> by_identifier;  // NIR or INE -> person
  std::unordered_map<int, std::vector<uint32_t>> by_year;
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_name;  // family name -> records, when a row has no birth date
  for (uint32_t i = 0; i < records.size(); ++i) {
    const IdentityRecord& r = records[i];
    sources[linkage.person[i]] |= uint64_t{1} << (r.source % 64);
    for (uint32_t id : {r.nir, r.ine})
      if (id != kNone) by_identifier.emplace(id, linkage.person[i]);
    if (r.has_birth) by_year[civil_from_days(r.birth).year].push_back(i);
  }
  for (uint32_t o = 0; o < rejected.size(); ++o) {
    const IdentityRecord& row = rejected[o];
    const uint64_t extract = uint64_t{1} << (row.source % 64);
    const size_t first = out.size();
    auto add = [&](uint32_t person) {
      for (size_t k = first; k < out.size(); ++k)
        if (out[k].person == person) return;
      out.push_back({o, person});
    };
    for (uint32_t id : {row.nir, row.ine})
      if (auto it = by_identifier.find(id); id != kNone && it != by_identifier.end()) add(it->second);
    if (row.has_birth) {
      auto block = by_year.find(civil_from_days(row.birth).year);
      if (block == by_year.end()) continue;
      for (uint32_t i : block->second) {
        const uint32_t person = linkage.person[i];
        // A person with a row of that extract already is another person to
        // it, unless the two share the birth date and first name and are
        // alike enough to link (a twin's differs): a second row of theirs (a
        // second employer's wages, its NIR mistyped: the RSA was reckoned on
        // the first employer's alone, a tester's finding). (The cheapest
        // tests first: most are another person.)
        const bool listed_there = sources[person] & extract;
        if (listed_there ? row.birth != records[i].birth || row.first_names[0] != records[i].first_names[0]
                         : !close_birth(row.birth, records[i].birth))
          continue;
        if (weight_of(strings, row, records[i], weight) >=
            (listed_there ? options.link_threshold : options.unplaced_threshold))
          add(person);
      }
      continue;
    }
    // Without a birth date, the persons of the same family name.
    if (row.family_names[0] == kNone) continue;
    if (by_name.empty())
      for (uint32_t i = 0; i < records.size(); ++i)
        for (uint32_t name : records[i].family_names)
          if (name != kNone) by_name[name].push_back(i);
    for (uint32_t name : row.family_names) {
      auto block = by_name.find(name);
      if (name == kNone || block == by_name.end()) continue;
      for (uint32_t i : block->second) {
        const uint32_t person = linkage.person[i];
        if (!(sources[person] & extract) && weight_of(strings, row, records[i], weight) >= options.unplaced_threshold)
          add(person);
      }
    }
  }
  return out;
}

}  // namespace proactif
