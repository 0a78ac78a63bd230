#include "eval/household_aggregates.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "eval/isa.hpp"
#include "eval/person_flags.hpp"
#include "eval/tolerance.hpp"

PROACTIF_ISA_BEGIN
#include "eval/lanes.hpp"

namespace proactif {
// Compiled once per instruction set in a portable build (eval/isa.hpp).
namespace PROACTIF_ISA {

namespace {

// Each household's persons' terms combined in order, from the identity
// (for a sum: 0 + t0 + t1 + ..., as a loop over them would). Most households
// have at most four persons, who are contiguous: four households' first four
// terms are read as four rows of four, those past a household's last person
// replaced by the identity, then transposed so that the first terms of the
// four households are combined, then the second, and so on. Contiguous
// loads are several times faster than a gather of the same terms. Then the
// persons past the fourth of the few larger households. The last
// households, whose four would read past the last person, one by one.
template <typename Combine>
void combine_per_household(const double* __restrict term, const uint32_t* __restrict offsets, size_t households,
                           const std::vector<uint32_t>& large, double identity, Combine combine,
                           double* __restrict out) {
  const uint32_t persons = offsets[households];
  size_t four = households;
  while (four > 0 && offsets[four - 1] + 4 > persons) --four;
  const Lanes4 position = {0, 1, 2, 3};
  const Doubles4 identities = Doubles4{} + identity;
  size_t h = 0;
  for (; h + 4 <= four; h += 4) {
    Doubles4 row[4];
    for (size_t k = 0; k < 4; ++k) {
      std::memcpy(&row[k], term + offsets[h + k], sizeof row[k]);
      const int64_t count = offsets[h + k + 1] - offsets[h + k];
      row[k] = position < count ? row[k] : identities;
    }
    // Row k holds household h + k's first four terms. After two rounds of
    // shuffles, each operand holds one term of each of the four households:
    // their first terms, then their second, and so on.
    Doubles4 evens01 = shuffle4<0, 4, 2, 6>(row[0], row[1]);
    Doubles4 odds01 = shuffle4<1, 5, 3, 7>(row[0], row[1]);
    Doubles4 evens23 = shuffle4<0, 4, 2, 6>(row[2], row[3]);
    Doubles4 odds23 = shuffle4<1, 5, 3, 7>(row[2], row[3]);
    Doubles4 total = identities;
    total = combine(total, shuffle4<0, 1, 4, 5>(evens01, evens23));
    total = combine(total, shuffle4<0, 1, 4, 5>(odds01, odds23));
    total = combine(total, shuffle4<2, 3, 6, 7>(evens01, evens23));
    total = combine(total, shuffle4<2, 3, 6, 7>(odds01, odds23));
    std::memcpy(out + h, &total, sizeof total);
  }
  for (; h < four; ++h) {
    uint32_t first = offsets[h], n = offsets[h + 1] - first;
    double total = identity;
    for (uint32_t p = 0; p < 4; ++p) total = combine(total, p < n ? term[first + p] : identity);
    out[h] = total;
  }
  for (uint32_t l : large) {
    if (l >= four) break;
    for (uint32_t p = offsets[l] + 4; p < offsets[l + 1]; ++p) out[l] = combine(out[l], term[p]);
  }
  for (h = four; h < households; ++h) {
    double total = identity;
    for (uint32_t p = offsets[h]; p < offsets[h + 1]; ++p) total = combine(total, term[p]);
    out[h] = total;
  }
}

struct Add {
  template <typename T>
  T operator()(T x, T y) const { return x + y; }
};

// The greater or lesser of two values, unknown when either is.
template <bool kGreatest>
struct Extreme {
  double operator()(double x, double y) const {
    double best = kGreatest ? (x > y ? x : y) : (x < y ? x : y);
    return x != x || y != y ? kUnknown : best;
  }
  Doubles4 operator()(Doubles4 x, Doubles4 y) const {
    Doubles4 best = kGreatest ? (x > y ? x : y) : (x < y ? x : y);
    return ((x != x) | (y != y)) ? Doubles4{} + kUnknown : best;
  }
};

}  // namespace

void add_per_household(const double* __restrict term, const uint32_t* __restrict offsets, size_t households,
                       const std::vector<uint32_t>& large, double* __restrict out) {
  combine_per_household(term, offsets, households, large, 0.0, Add{}, out);
}

// The number of each household's persons whose term is counted (bit 0 of
// their byte), and whether any of them has a term unsettled (bit 1): the
// first four in one word, then the persons past the fourth of the few larger
// households.
void count_per_household(const uint8_t* __restrict terms, const uint32_t* __restrict offsets, size_t households,
                         const std::vector<uint32_t>& large, double* __restrict count, uint8_t* __restrict open) {
  for (size_t h = 0; h < households; ++h) {
    const uint32_t four = first_four_flags(terms, offsets, h);
    // The four bytes' low bits added by one multiplication into the top byte:
    // it vectorises on every level, where a population count does so only
    // with AVX-512's VPOPCNT, which x86-64-v4 does not include.
    count[h] = ((four & 0x01010101u) * 0x01010101u) >> 24;
    open[h] = (four & 0x02020202u) != 0;
  }
  for (uint32_t h : large) {
    uint32_t more = 0, unsettled = 0;
    for (uint32_t p = offsets[h] + 4; p < offsets[h + 1]; ++p) {
      more += terms[p] & 1;
      unsettled |= terms[p] >> 1;
    }
    count[h] += more;
    open[h] |= unsettled;
  }
}

// The least or greatest value among each household's persons that pass the
// filter; unknown when one of them may pass and its value is unknown, or
// when none passes. Each person's candidate is their value if they pass,
// unknown if they may, and a value no one beats if they do not; then the
// candidates of each household are combined as a sum's terms are.
void extremum_per_household(bool greatest, const double* __restrict filter, const double* __restrict value,
                            Workspace& ws, double* __restrict out) {
  const size_t households = ws.h1 - ws.h0, persons = ws.p1 - ws.p0;
  const double none = greatest ? -HUGE_VAL : HUGE_VAL;
  double* __restrict candidate = ws.terms.data();
  for (size_t p = 0; p < persons; ++p) {
    const double f = filter ? filter[p] : 1.0, v = value[p];
    candidate[p] = f == 0 ? none : f != f ? kUnknown : v;
  }
  if (greatest) combine_per_household(candidate, ws.offsets.data(), households, ws.large, none, Extreme<true>{}, out);
  else combine_per_household(candidate, ws.offsets.data(), households, ws.large, none, Extreme<false>{}, out);
  for (size_t h = 0; h < households; ++h) out[h] = out[h] == none ? kUnknown : out[h];
}

namespace {

// The first N persons of a household from `first`, those past its last set
// to `fill` (D: four or eight doubles).
template <typename D, typename L>
inline D first_lanes(const double* __restrict column, uint32_t first, int64_t persons, double fill) {
  constexpr int kLanes = sizeof(D) / sizeof(double);
  L position{};
  for (int i = 0; i < kLanes; ++i) position[i] = i;
  D v;
  std::memcpy(&v, column + first, sizeof v);
  return position < persons ? v : D{} + fill;
}

// The ranks or running sums of a household of up to N persons, each person
// a lane, compared pairwise. `order` holds, for each person q, the lanes of
// those q comes up to (bits 8q to 8q+7), and `gone` the lanes left unknown:
// read when `ordered`, else found and written, for a running sum in the
// same order later in the chunk.
template <typename D, typename L>
inline D rank_lanes(const double* filter, const double* key, const double* value, const double* ones,
                    uint32_t first, int64_t persons, bool ordered, uint64_t& order, uint8_t& gone) {
  constexpr int kLanes = sizeof(D) / sizeof(double);
  L position{}, bit{};
  for (int i = 0; i < kLanes; ++i) position[i] = i, bit[i] = int64_t{1} << i;
  const D v = value ? first_lanes<D, L>(value, first, persons, 0.0) : D{} + 1.0;
  D total{};
  if (ordered) {
    for (int q = 0; q < kLanes; ++q) {
      const L comes = ((L{} + static_cast<int64_t>(order >> (8 * q))) & bit) != 0;
      total += comes ? D{} + v[q] : D{};
    }
    return ((L{} + gone) & bit) != 0 ? D{} + kUnknown : total;
  }
  const D f = first_lanes<D, L>(filter ? filter : ones, first, persons, 0.0);
  const D k = first_lanes<D, L>(key, first, persons, 0.0);
  const L unsettled_lane = (f != f) | ((f != 0) & (k != k));
  int64_t unsettled = 0;
  for (int i = 0; i < kLanes; ++i) unsettled |= unsettled_lane[i];
  // Person q comes up to person p (lane): it passes, and its key is below
  // p's, or equal with q listed first or q being p. The lanes past the last
  // person do not pass (their filter reads 0).
  order = 0;
  for (int q = 0; q < kLanes; ++q) {
    const L before = (D{} + k[q] < k) | ((D{} + k[q] == k) & (q <= position));
    const L comes = f[q] != 0 ? before : L{};
    total += comes ? D{} + v[q] : D{};
    const L bits = comes & bit;
    int64_t lanes = 0;
    for (int i = 0; i < kLanes; ++i) lanes |= bits[i];
    order |= static_cast<uint64_t>(lanes) << (8 * q);
  }
  const L unknown_lane = (k != k) | (L{} + unsettled);  // a person without a key has no place
  const L bits = unknown_lane & bit;
  int64_t lanes = 0;
  for (int i = 0; i < kLanes; ++i) lanes |= bits[i];
  gone = static_cast<uint8_t>(lanes);
  return unknown_lane ? D{} + kUnknown : total;
}

}  // namespace

// For each person, among the persons of their household that pass the
// filter, ordered by key (ties in the order the household lists them): how
// many come up to them, themselves included if they pass (`value` null),
// or the sum of their values. A filter or key that is unknown where it
// could change the order makes the whole household's values unknown; an
// unknown value, the sums from it on. A household of up to eight persons
// compares its persons pairwise in vectors; the others, and the chunk's last
// households, whose lanes would read past its persons, one by one. A call
// with the filter and key of the chunk's previous call (the RSA's running
// sum after its rank of the dependants) reads the order that call found.
void rank_in_household(const double* filter, const double* key, const double* value, Workspace& ws,
                       double* out) {
  const size_t households = ws.h1 - ws.h0;
  const uint32_t* offsets = ws.offsets.data();
  const uint32_t last_person = offsets[households];
  RankOrders& orders = ws.rank_orders;
  const bool ordered = orders.filter == filter && orders.key == key && orders.chunk_h0 == ws.h0;
  orders.filter = filter;
  orders.key = key;
  orders.chunk_h0 = ws.h0;
  if (orders.order.size() < households) orders.order.resize(households), orders.gone.resize(households);
  uint64_t* __restrict order = orders.order.data();
  uint8_t* __restrict gone = orders.gone.data();
  const double* ones = ws.ones.data();
  for (size_t h = 0; h < households; ++h) {
    const uint32_t first = offsets[h], last = offsets[h + 1];
    const int64_t persons = last - first;
    // All lanes written without a branch on the household's size: what
    // spills past it is overwritten by the next household, or falls in the
    // register's padding.
    if (persons <= 4 && first + 4 <= last_person) {
      const Doubles4 total =
          rank_lanes<Doubles4, Lanes4>(filter, key, value, ones, first, persons, ordered, order[h], gone[h]);
      std::memcpy(out + first, &total, sizeof total);
      continue;
    }
    if (persons <= 8 && first + 8 <= last_person) {
      const Doubles8 total =
          rank_lanes<Doubles8, Lanes8>(filter, key, value, ones, first, persons, ordered, order[h], gone[h]);
      std::memcpy(out + first, &total, sizeof total);
      continue;
    }
    bool unsettled = false;
    for (uint32_t p = first; p < last; ++p) {
      double f = filter ? filter[p] : 1.0;
      unsettled |= unknown(f) || (f != 0 && unknown(key[p]));
    }
    for (uint32_t p = first; p < last; ++p) {
      if (unsettled || unknown(key[p])) {
        out[p] = kUnknown;
        continue;
      }
      double sum = 0;
      for (uint32_t q = first; q < last; ++q) {
        bool passes = filter ? filter[q] != 0 : true;
        bool before = key[q] < key[p] || (key[q] == key[p] && q <= p);
        if (passes && before) sum += value ? value[q] : 1.0;
      }
      out[p] = sum;
    }
  }
}

}  // namespace PROACTIF_ISA
}  // namespace proactif
PROACTIF_ISA_END
