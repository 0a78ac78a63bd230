#include "eval/row_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "core/date.hpp"
#include "eval/isa.hpp"
#include "eval/tolerance.hpp"

PROACTIF_ISA_BEGIN
#include "eval/lanes.hpp"

namespace proactif {
// Compiled once per instruction set in a portable build (eval/isa.hpp).
namespace PROACTIF_ISA {

namespace {

// Ages in completed years on one date, by comparing birth dates with the
// last birth date of each age: a first guess from the number of days, that
// the table corrects by one year at most, without a branch so that the pass
// vectorises; the rare ages out of the table go through the calendar.
class AgeTable {
 public:
  explicit AgeTable(Days on) : on_(on) {
    CivilDate o = civil_from_days(on);
    for (int k = 0; k < kMaxAge; ++k) {
      CivilDate d{o.year - k, o.month, o.day};
      while (civil_from_days(days_from_civil(d)).month != d.month) --d.day;  // 29 February in a common year: the 28th
      last_birth_[k] = static_cast<double>(days_from_civil(d));
    }
  }

  void ages(const double* __restrict birth, double* __restrict out, size_t n) const {
    const double on = static_cast<double>(on_);
    // Read through a restricted pointer: through `this`, the table might
    // alias `out`, and the loop would stay scalar, with a branch on each
    // correction that the processor mispredicts.
    const double* __restrict last_birth = last_birth_;
    int outside = 0;
    for (size_t i = 0; i < n; ++i) {
      double b = birth[i];
      double guess = (on - b) * (1 / 365.2425);
      // A birth date after the date, or unknown, is out of the table; only
      // the known ones need the calendar.
      bool in_table = (guess >= 0.0) & (guess < kMaxAge - 1.0);
      outside |= !in_table & (b == b);
      int k = static_cast<int>(in_table ? guess : 1.0);
      double older = last_birth[k + 1], younger = last_birth[k];
      double age = static_cast<double>(k) - (b > younger ? 1.0 : 0.0) + (b <= older ? 1.0 : 0.0);
      out[i] = in_table ? age : kUnknown;
    }
    if (!outside) return;
    for (size_t i = 0; i < n; ++i)
      if (unknown(out[i]) && !unknown(birth[i])) out[i] = age_in_years(static_cast<Days>(birth[i]), on_);
  }

 private:
  static constexpr int kMaxAge = 150;
  double last_birth_[kMaxAge];  // the last birth date of someone k years old on the date
  Days on_;
};

// Built once per date and thread: building one costs as much as a chunk.
const AgeTable& age_table(Days on) {
  static thread_local std::unordered_map<Days, AgeTable> tables;
  auto it = tables.find(on);
  if (it == tables.end()) it = tables.emplace(on, AgeTable(on)).first;
  return it->second;
}

}  // namespace

void ages_on(Days on, const double* __restrict birth, double* __restrict out, size_t n) {
  age_table(on).ages(birth, out, n);
}

namespace {


// Lists of codes and scales in law are short: up to this many codes or
// brackets are taken in one pass over the rows, the list padded with codes
// that equal nothing and thresholds that nothing reaches (unknown, as no
// comparison with it holds); longer ones in a pass each.
constexpr size_t kFew = 8;

}  // namespace

void in_codes(const std::vector<int32_t>& set, const double* __restrict a, double* __restrict o, size_t n) {
  if (set.size() <= kFew) {
    double codes[kFew];
    for (size_t k = 0; k < kFew; ++k) codes[k] = k < set.size() ? set[k] : kUnknown;
    for (size_t i = 0; i < n; ++i) {
      double x = a[i];
      bool in = false;
      for (size_t k = 0; k < kFew; ++k) in |= x == codes[k];
      o[i] = unknown(x) ? kUnknown : truth(in);
    }
    return;
  }
  std::fill_n(o, n, 0.0);
  for (int32_t code : set) {
    double id = code;
    for (size_t i = 0; i < n; ++i) o[i] = a[i] == id ? 1.0 : o[i];
  }
  for (size_t i = 0; i < n; ++i) o[i] = unknown(a[i]) ? kUnknown : o[i];
}

// Each code's image by the map (a commune's département), unknown for an
// unknown code or one the map does not hold; without a branch, reading slot
// 0 for the codes out of the map, so that the loop vectorises into gathers.
void map_codes(const std::vector<int32_t>& map, const double* __restrict a, double* __restrict o, size_t n) {
  if (map.empty()) {
    std::fill_n(o, n, kUnknown);
    return;
  }
  const int32_t* __restrict image = map.data();
  const double size = static_cast<double>(map.size());
  for (size_t i = 0; i < n; ++i) {
    double id = a[i];
    bool in_map = (id >= 0) & (id < size);  // false for an unknown code
    int32_t found = image[in_map ? static_cast<int>(id) : 0];
    o[i] = (in_map & (found >= 0)) ? found : kUnknown;
  }
}

// Thresholds ascend: each bracket overwrites the rows at or above it. Below
// the first threshold there is no amount: unknown. The first threshold is
// the scale's floor, in its bracket whichever bound is inclusive: a
// quotient familial of 0 is in the band "0 to 565" as "(lower, upper]"
// writes it with thresholds 0, 565, 715...
template <bool kFromLower>
void bracket(const std::vector<ScaleRow>& scale, const double* __restrict a, double* __restrict o, size_t n) {
  auto reaches = [](double x, double t) { return kFromLower ? x >= t : x > t; };
  if (scale.empty()) {
    std::fill_n(o, n, kUnknown);
    return;
  }
  const double floor = scale[0].threshold, first = scale[0].amount;
  if (scale.size() <= kFew) {
    double thresholds[kFew - 1], amounts[kFew - 1];  // the brackets after the first
    for (size_t k = 1; k < kFew; ++k) {
      thresholds[k - 1] = k < scale.size() ? scale[k].threshold : kUnknown;  // reached by nothing
      amounts[k - 1] = k < scale.size() ? scale[k].amount : kUnknown;
    }
    for (size_t i = 0; i < n; ++i) {
      double x = a[i], amount = x >= floor ? first : kUnknown;
      for (size_t k = 0; k < kFew - 1; ++k) amount = reaches(x, thresholds[k]) ? amounts[k] : amount;
      o[i] = amount;
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) o[i] = a[i] >= floor ? first : kUnknown;
  for (size_t k = 1; k < scale.size(); ++k) {
    const double t = scale[k].threshold, amount = scale[k].amount;
    for (size_t i = 0; i < n; ++i) o[i] = reaches(a[i], t) ? amount : o[i];
  }
}

// A select whose cases are small whole numbers with constant results (the
// ceilings by household size) is one lookup per row. Only the nearest whole
// number can equal the key within the tolerance, so the lookup finds the case
// the chain would. For an unknown key the chain gives a value only when every
// case and the default agree. Returns false when the cases do not fit.
bool select_by_table(const Plan& plan, const Workspace& ws, const Select& s, const double* __restrict key,
                     const double* __restrict otherwise, double* __restrict o, size_t n) {
  constexpr int kSize = 16;
  double table[kSize], present[kSize] = {};
  for (size_t k = 0; k < s.values.size(); ++k) {
    double value = ws.v[static_cast<size_t>(s.values[k])][0];
    if (!(value >= 0 && value < kSize && value == std::floor(value)) || !plan.constant[static_cast<size_t>(s.results[k])])
      return false;
    int at = static_cast<int>(value);
    if (present[at] != 0) continue;  // the first case wins, as in the chain
    present[at] = 1;
    table[at] = ws.v[static_cast<size_t>(s.results[k])][0];
  }
  double common = ws.v[static_cast<size_t>(s.results[0])][0];
  bool agree = !unknown(common);
  for (int r : s.results) agree = agree && ws.v[static_cast<size_t>(r)][0] == common;
  for (int at = 0; at < kSize; ++at)
    if (present[at] == 0) table[at] = 0;
  // `&` rather than `&&`, and the table read at slot 0 when out of it: no
  // branch, so that the loop vectorises into gathers.
  for (size_t i = 0; i < n; ++i) {
    double k = key[i], nearest = std::floor(k + 0.5);
    bool in_table = (nearest >= 0) & (nearest < kSize);  // false for an unknown key
    int at = static_cast<int>(in_table ? nearest : 0.0);
    bool match = in_table & (present[at] != 0) & equal_within_tolerance(k, nearest);
    double when_unknown = (agree & (otherwise[i] == common)) ? common : kUnknown;
    o[i] = unknown(k) ? when_unknown : match ? table[at] : otherwise[i];
  }
  return true;
}

template void bracket<true>(const std::vector<ScaleRow>&, const double*, double*, size_t);
template void bracket<false>(const std::vector<ScaleRow>&, const double*, double*, size_t);

// out[i] = by_count[key[i]], or by_count[last] for an unknown key.
void look_up(const double* __restrict by_count, size_t entries, const double* __restrict key,
             double* __restrict out, size_t n) {
  const int last = static_cast<int>(entries) - 1;
  size_t i = 0;
#if defined(PROACTIF_ISA_AVX512) && !defined(__clang__)  // GCC's shuffle by lanes known at run time
  // Up to 16 entries (households of up to 14 persons, and unknown) fit in
  // two vector registers: each row's entry is then picked by a permutation,
  // three times as fast as a gather.
  if (entries <= 16) {
    Doubles8 low, high;
    for (size_t k = 0; k < 8; ++k) {
      low[k] = k < entries ? by_count[k] : 0.0;
      high[k] = k + 8 < entries ? by_count[k + 8] : 0.0;
    }
    for (; i + 8 <= n; i += 8) {
      Doubles8 k;
      std::memcpy(&k, key + i, sizeof k);
      k = k != k ? Doubles8{} + last : k;
      Doubles8 v = __builtin_shuffle(low, high, __builtin_convertvector(k, Lanes8));
      std::memcpy(out + i, &v, sizeof v);
    }
  }
#endif
  for (; i < n; ++i) {
    double k = key[i];
    out[i] = by_count[unknown(k) ? last : static_cast<int>(k)];
  }
}

}  // namespace PROACTIF_ISA
}  // namespace proactif
PROACTIF_ISA_END
