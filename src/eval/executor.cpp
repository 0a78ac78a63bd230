#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "core/check.hpp"
#include "eval/isa.hpp"
#include "eval/missing_columns.hpp"
#include "eval/outcome.hpp"
#include "eval/person_flags.hpp"
#include "eval/specialise.hpp"
#include "eval/tolerance.hpp"
#include "eval/trace.hpp"
#include "eval/workspace.hpp"

PROACTIF_ISA_BEGIN
namespace proactif {
// Compiled once per instruction set in a portable build (eval/isa.hpp).
namespace PROACTIF_ISA {

void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1,
               bool every_register = false, Households next = {});

namespace {
void reserve(const BoundPlan& bound, Workspace& ws, size_t households, size_t persons);

// The value of each constant register (literals, parameters, and what is
// computed from them alone); the other registers' are meaningless.
std::vector<double> constant_values(const BoundPlan& bound) {
  Workspace ws;
  reserve(bound, ws, Workspace::kKeyedRows, 1);
  std::vector<double> values(bound.plan->regs.size(), kUnknown);
  for (size_t r = 0; r < values.size(); ++r)
    if (bound.plan->constant[r]) values[r] = ws.values[r][0];
  return values;
}
}  // namespace

Result<BoundPlan> bind(const Plan& plan, Days date, const CodeTable& codes) {
  const Program& p = *plan.program;
  BoundPlan b;
  b.plan = &plan;
  b.date = date;
  size_t n = p.params.size();
  b.param_values.assign(n, 0);
  b.param_sets.resize(n);
  b.scales.resize(n);
  b.sources.assign(n, nullptr);
  for (size_t i = 0; i < n; ++i) {
    if (!plan.params_used[i]) continue;
    const ParamDecl& d = p.params[i];
    const Parameter& param = *d.parameter;
    if (d.type == Type::kScale) {
      auto rows = scale_at(param, date);
      if (!rows) return rows.error();
      if (rows->empty())
        return Error{ErrorKind::kProgram, param.file + ": scale " + param.path + " has no bracket in force on " + format_iso_date(date)};
      b.sources[i] = rows->front().amount_source;
      b.scales[i] = std::move(*rows);
      continue;
    }
    const DatedValue* v = value_at(param.values, date);
    if (!v && d.unknown_when_absent) {
      b.param_values[i] = kUnknown;
      continue;
    }
    if (!v)
      return Error{ErrorKind::kProgram, param.file + ": parameter " + param.path + " (" + d.name + " in " + p.file +
                   ") has no value in force on " + format_iso_date(date)};
    if ((d.type == Type::kCodeList) != v->is_list)
      return Error{ErrorKind::kProgram, param.file + ": parameter " + param.path + " on " + format_iso_date(date) + " should be " +
                   (d.type == Type::kCodeList ? "a list of codes" : "a single value")};
    b.sources[i] = v;
    b.param_values[i] = v->number;
    for (const auto& c : v->codes)
      if (auto id = codes.find(c)) b.param_sets[i].push_back(*id);
    std::sort(b.param_sets[i].begin(), b.param_sets[i].end());
  }
  // What the parameters' values on the date decide whatever the row is
  // decided once here.
  if (auto specialised = specialise(plan, constant_values(b))) {
    b.specialised = std::move(specialised);
    b.plan = b.specialised.get();
  }
  return b;
}

void execute(const BoundPlan& bound, Workspace& ws, const Instr& in, size_t n);

namespace {

inline double round_cent(double x) {
  // Half a cent away from zero, as on paper; the nudge keeps 1.005 € (stored
  // as 1.00499...) rounding up. floor, unlike round, vectorises.
  return std::copysign(std::floor(std::fabs(x) * 100.0 + 0.5 + 1e-6), x) / 100.0;
}

inline bool unknown(double v) { return v != v; }
inline double truth(bool b) { return b ? 1.0 : 0.0; }

// Four or eight doubles or 64-bit lanes in one register (GCC's vector
// extension, which falls back to plain code where the processor has none).
using Doubles4 = double __attribute__((vector_size(32)));
using Lanes4 = int64_t __attribute__((vector_size(32)));

// Lanes of x (0-3) and y (4-7) picked by constant positions: GCC and clang
// (the fuzzing build) spell it differently.
template <int A, int B, int C, int D>
inline Doubles4 shuffle4(Doubles4 x, Doubles4 y) {
#if defined(__clang__)
  return __builtin_shufflevector(x, y, A, B, C, D);
#else
  return __builtin_shuffle(x, y, Lanes4{A, B, C, D});
#endif
}
using Doubles8 = double __attribute__((vector_size(64)));
using Lanes8 = int64_t __attribute__((vector_size(64)));

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
    return (x != x) | (y != y) ? Doubles4{} + kUnknown : best;
  }
};

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
    count[h] = std::popcount(four & 0x01010101u);
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

size_t rows_of(const Register& r, const Workspace& ws) {
  return r.entity == Entity::kHousehold ? ws.h1 - ws.h0 : ws.p1 - ws.p0;
}

// Each household's first four persons' values in a vector, those past its
// last person set to `fill`, and which lanes hold a person.
inline Doubles4 first_four(const double* __restrict column, uint32_t first, int64_t persons, double fill) {
  const Lanes4 position = {0, 1, 2, 3};
  Doubles4 v;
  std::memcpy(&v, column + first, sizeof v);
  return position < persons ? v : Doubles4{} + fill;
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

// For each person, among the persons of their household that pass the
// filter, ordered by key (ties in the order the household lists them): how
// many come up to them, themselves included if they pass (`value` null),
// or the sum of their values. A filter or key that is unknown where it
// could change the order makes the whole household's values unknown; an
// unknown value, the sums from it on. A household of up to four persons
// compares its persons pairwise in vectors; the others one by one.
void rank_in_household(const double* filter, const double* key, const double* value, const Workspace& ws,
                       double* out) {
  const size_t households = ws.h1 - ws.h0;
  const uint32_t* offsets = ws.offsets.data();
  const uint32_t last_person = offsets[households];
  const Lanes4 position = {0, 1, 2, 3};
  for (size_t h = 0; h < households; ++h) {
    const uint32_t first = offsets[h], last = offsets[h + 1];
    const int64_t persons = last - first;
    if (persons <= 4 && first + 4 <= last_person) {
      const Doubles4 f = filter ? first_four(filter, first, persons, 0.0) : first_four(ws.ones.data(), first, persons, 0.0);
      const Doubles4 k = first_four(key, first, persons, 0.0);
      const Doubles4 v = value ? first_four(value, first, persons, 0.0) : Doubles4{} + 1.0;
      const Lanes4 unsettled_lane = (f != f) | ((f != 0) & (k != k));
      const bool unsettled = unsettled_lane[0] | unsettled_lane[1] | unsettled_lane[2] | unsettled_lane[3];
      // Person q comes up to person p (lane): it passes, and its key is
      // below p's, or equal with q listed first or q being p. The lanes past
      // the last person do not pass (their filter reads 0).
      Doubles4 total{};
      for (int q = 0; q < 4; ++q) {
        const Lanes4 before = (Doubles4{} + k[q] < k) | ((Doubles4{} + k[q] == k) & (q <= position));
        total += f[q] != 0 ? (before ? Doubles4{} + v[q] : Doubles4{}) : Doubles4{};
      }
      total = (k != k) | (Lanes4{} + unsettled) ? Doubles4{} + kUnknown : total;  // a person without a key has no place
      // All four lanes written without a branch on the household's size:
      // what spills past it is overwritten by the next household, or falls
      // in the register's padding.
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

// Lists of codes and scales in law are short: up to this many codes or
// brackets are taken in one pass over the rows, the list padded with codes
// that equal nothing and thresholds that nothing reaches (unknown, as no
// comparison with it holds); longer ones in a pass each.
constexpr size_t kFew = 8;

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
// the first threshold there is no amount: unknown.
template <bool kFromLower>
void bracket(const std::vector<ScaleRow>& scale, const double* __restrict a, double* __restrict o, size_t n) {
  auto reaches = [](double x, double t) { return kFromLower ? x >= t : x > t; };
  if (scale.size() <= kFew) {
    double thresholds[kFew], amounts[kFew];
    for (size_t k = 0; k < kFew; ++k) {
      thresholds[k] = k < scale.size() ? scale[k].threshold : kUnknown;  // reached by nothing
      amounts[k] = k < scale.size() ? scale[k].amount : kUnknown;
    }
    for (size_t i = 0; i < n; ++i) {
      double x = a[i], amount = kUnknown;
      for (size_t k = 0; k < kFew; ++k) amount = reaches(x, thresholds[k]) ? amounts[k] : amount;
      o[i] = amount;
    }
    return;
  }
  std::fill_n(o, n, kUnknown);
  for (const auto& row : scale) {
    const double t = row.threshold, amount = row.amount;
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

void fill_constants(const BoundPlan& bound, Workspace& ws) {
  const Plan& plan = *bound.plan;
  for (const Instr& in : plan.constants) {
    const Register& r = plan.regs[static_cast<size_t>(in.dest)];
    size_t cap = r.entity == Entity::kHousehold ? ws.household_capacity : ws.person_capacity;
    double value = in.op == Op::kConst   ? in.imm
                   : in.op == Op::kDate  ? static_cast<double>(bound.date)
                                         : bound.param_values[static_cast<size_t>(in.aux)];
    std::fill_n(ws.out(in.dest), cap, value);
  }
  // What depends on constants only is computed here once, not per chunk.
  ws.v.resize(plan.regs.size());
  for (size_t i = 0; i < plan.regs.size(); ++i)
    if (plan.regs[i].input < 0) ws.v[i] = ws.values[i].data();
  for (const Instr& in : plan.instrs) {
    if (!plan.constant[static_cast<size_t>(in.dest)]) continue;
    const Register& r = plan.regs[static_cast<size_t>(in.dest)];
    execute(bound, ws, in, r.entity == Entity::kHousehold ? ws.household_capacity : ws.person_capacity);
  }
}

void reserve(const BoundPlan& bound, Workspace& ws, size_t households, size_t persons) {
  if (households <= ws.household_capacity && persons <= ws.person_capacity && !ws.values.empty()) return;
  const Plan& plan = *bound.plan;
  ws.household_capacity = std::max(ws.household_capacity, households);
  ws.person_capacity = std::max(ws.person_capacity, std::max<size_t>(persons, 1));
  ws.values.resize(plan.regs.size());
  for (size_t i = 0; i < plan.regs.size(); ++i) {
    if (plan.regs[i].input >= 0) continue;
    size_t cap = plan.regs[i].entity == Entity::kHousehold ? ws.household_capacity
                                                           : ws.person_capacity + Workspace::kPersonPadding;
    ws.values[i].assign(cap, kUnknown);
  }
  ws.ones.assign(ws.person_capacity, 1.0);
  fill_constants(bound, ws);
  // The input registers an instruction, a decision or a result reads.
  std::vector<uint8_t> read(plan.regs.size(), 0);
  auto mark = [&](int r) {
    if (r >= 0) read[static_cast<size_t>(r)] = 1;
  };
  for (const Instr& in : plan.instrs) {
    for (int r : {in.a, in.b, in.c}) mark(r);
    if (in.op == Op::kSelect)
      for (int r : plan.selects[static_cast<size_t>(in.aux)].results) mark(r);
  }
  for (int r : plan.result_regs) mark(r);
  for (int r : plan.fallback_regs) mark(r);
  mark(plan.eligible_reg);
  ws.inputs_read.clear();
  for (size_t i = 0; i < plan.regs.size(); ++i)
    if (plan.regs[i].input >= 0 && read[i]) ws.inputs_read.push_back(static_cast<int>(i));
}

// out[i] = by_count[key[i]], or by_count[last] for an unknown key.
void look_up(const double* __restrict by_count, size_t entries, const double* __restrict key,
             double* __restrict out, size_t n) {
  const int last = static_cast<int>(entries) - 1;
  size_t i = 0;
#if defined(__AVX512F__) && !defined(__clang__)  // GCC's shuffle by lanes known at run time
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

// A keyed table's instructions run over the values the count takes in the
// chunk (0 to the largest, then unknown if some is), each register's values
// by count stored in its first rows; then the registers something may read
// are looked up per household. Larger households than a table holds are
// rare: the instructions then run over every row.
void run_keyed_table(const BoundPlan& bound, Workspace& ws, const KeyedTable& table, bool every_register) {
  constexpr int kLargest = Workspace::kKeyedRows - 2;
  const Plan& plan = *bound.plan;
  const size_t n = ws.h1 - ws.h0;
  const double* __restrict key = ws.v[static_cast<size_t>(table.key)];
  // In whole numbers, -1 for unknown, so that the passes vectorise.
  int top = 0, lowest = 0;
  for (size_t i = 0; i < n; ++i) {
    double k = key[i];
    int whole = unknown(k) ? -1 : k > kLargest ? kLargest + 1 : static_cast<int>(k);
    top = std::max(top, whole);
    lowest = std::min(lowest, whole);
  }
  const bool open = lowest < 0;
  if (top > kLargest) {
    for (int i : table.instrs) execute(bound, ws, plan.instrs[static_cast<size_t>(i)], n);
    return;
  }
  const size_t entries = static_cast<size_t>(top) + 1 + open;
  ws.keys.resize(entries);
  for (size_t k = 0; k <= static_cast<size_t>(top); ++k) ws.keys[k] = static_cast<double>(k);
  if (open) ws.keys[entries - 1] = kUnknown;
  ws.v[static_cast<size_t>(table.key)] = ws.keys.data();
  for (int i : table.instrs) execute(bound, ws, plan.instrs[static_cast<size_t>(i)], entries);
  ws.v[static_cast<size_t>(table.key)] = key;

  // What the decisions, the missing-input pass and the walk may read: the
  // outputs, every register with an unknown value and its operands.
  std::vector<uint8_t>& looked_up = ws.looked_up;
  looked_up.assign(plan.regs.size(), 0);
  for (int r : table.outputs) looked_up[static_cast<size_t>(r)] = 1;
  for (int i : table.instrs) {
    const Instr& in = plan.instrs[static_cast<size_t>(i)];
    const double* v = ws.v[static_cast<size_t>(in.dest)];
    bool some_unknown = false;
    for (size_t k = 0; k < entries; ++k) some_unknown |= unknown(v[k]);
    if (!some_unknown && !every_register) continue;
    looked_up[static_cast<size_t>(in.dest)] = 1;
    for (int r : {in.a, in.b, in.c})
      if (r >= 0) looked_up[static_cast<size_t>(r)] = 1;
    if (in.op == Op::kSelect)
      for (int r : plan.selects[static_cast<size_t>(in.aux)].results) looked_up[static_cast<size_t>(r)] = 1;
  }
  ws.keyed_values.resize(entries);
  double* by_count = ws.keyed_values.data();
  for (int i : table.instrs) {
    int r = plan.instrs[static_cast<size_t>(i)].dest;
    if (!looked_up[static_cast<size_t>(r)]) continue;
    double* o = ws.out(r);
    std::copy_n(o, entries, by_count);
    look_up(by_count, entries, key, o, n);
  }
}

// The input columns of the chunk a thread runs next, fetched into its L2
// cache a slice before each instruction of the current chunk. Without it the
// first instruction to read an input waits for memory: the hardware
// prefetcher starts anew on every 4 KB page of every column, and a chunk's
// column is two to five pages. Only the inputs that something reads: a
// program may declare one that none of its formulas uses.
class InputPrefetch {
 public:
  InputPrefetch(const Plan& plan, const Batch& batch, Households next, const std::vector<int>& inputs_read) {
    if (next.first >= next.last) return;
    const size_t p0 = batch.person_offsets[next.first], p1 = batch.person_offsets[next.last];
    size_t total = 0;
    for (int i : inputs_read) {
      const Register& r = plan.regs[static_cast<size_t>(i)];
      if (columns_ == kMostColumns) break;
      const bool household = r.entity == Entity::kHousehold;
      const size_t first = household ? next.first : p0, last = household ? next.last : p1;
      const char* from = reinterpret_cast<const char*>(batch.inputs[static_cast<size_t>(r.input)].value.data() + first);
      column_[columns_++] = {from, (last - first) * sizeof(double)};
      total += (last - first) * sizeof(double);
    }
    step_ = std::max<size_t>(kLine, (total + plan.instrs.size() - 1) / std::max<size_t>(1, plan.instrs.size()));
  }

  // The next slice: as many bytes as the columns hold over the number of
  // instructions.
  void some() {
    for (size_t budget = step_; budget > 0 && at_ < columns_;) {
      if (offset_ >= column_[at_].bytes) {
        ++at_;
        offset_ = 0;
        continue;
      }
      __builtin_prefetch(column_[at_].from + offset_, 0, 2);
      offset_ += kLine;
      budget -= std::min(budget, kLine);
    }
  }

 private:
  static constexpr size_t kLine = 64, kMostColumns = 64;
  struct Column {
    const char* from;
    size_t bytes;
  };
  Column column_[kMostColumns];
  size_t columns_ = 0, at_ = 0, offset_ = 0, step_ = 0;
};

}  // namespace

// Every loop below is branch-free where it can be, so that the compiler
// vectorises it: unknown is NaN, which arithmetic propagates by itself, and
// comparisons and logic test for it explicitly (Kleene logic).
void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1, bool every_register,
               Households next) {
  const Plan& plan = *bound.plan;
  ws.h0 = h0;
  ws.h1 = h1;
  ws.p0 = batch.person_offsets[h0];
  ws.p1 = batch.person_offsets[h1];
  reserve(bound, ws, std::max(h1 - h0, Workspace::kKeyedRows), ws.p1 - ws.p0);
  ws.offsets.resize(h1 - h0 + 1);
  for (size_t h = h0; h <= h1; ++h) ws.offsets[h - h0] = batch.person_offsets[h] - static_cast<uint32_t>(ws.p0);
  ws.large.resize(h1 - h0);
  size_t large = 0;
  for (size_t h = 0; h < h1 - h0; ++h) {
    ws.large[large] = static_cast<uint32_t>(h);
    large += ws.offsets[h + 1] - ws.offsets[h] > 4;
  }
  ws.large.resize(large);
  ws.terms.resize(ws.p1 - ws.p0);
  ws.terms_open.resize(ws.p1 - ws.p0 + Workspace::kPersonPadding);
  ws.household_open.resize(h1 - h0);

  ws.v.resize(plan.regs.size());
  for (size_t i = 0; i < plan.regs.size(); ++i) {
    const Register& r = plan.regs[i];
    if (r.input >= 0) {
      size_t at = r.entity == Entity::kHousehold ? h0 : ws.p0;
      ws.v[i] = batch.inputs[static_cast<size_t>(r.input)].value.data() + at;
    } else {
      ws.v[i] = ws.values[i].data();
    }
  }

  InputPrefetch prefetch(plan, batch, next, ws.inputs_read);
  for (size_t i = 0; i < plan.instrs.size(); ++i) {
    prefetch.some();
    const Instr& in = plan.instrs[i];
    if (plan.constant[static_cast<size_t>(in.dest)]) continue;
    if (int t = plan.keyed_of[i]; t >= 0) {
      // The whole table where its first instruction stands: its count is
      // computed by then, and nothing else in it reads other registers.
      const KeyedTable& table = plan.keyed[static_cast<size_t>(t)];
      if (table.instrs.front() == static_cast<int>(i)) run_keyed_table(bound, ws, table, every_register);
      continue;
    }
    execute(bound, ws, in, rows_of(plan.regs[static_cast<size_t>(in.dest)], ws));
  }
}

void execute(const BoundPlan& bound, Workspace& ws, const Instr& in, size_t n) {
  const Plan& plan = *bound.plan;
  // What the __restrict pointers below promise, and that the columns hold
  // the rows asked for.
  PROACTIF_CHECK(in.dest >= 0 && static_cast<size_t>(in.dest) < plan.regs.size() && plan.regs[static_cast<size_t>(in.dest)].input < 0);
  PROACTIF_CHECK(in.a != in.dest && in.b != in.dest && in.c != in.dest);
  PROACTIF_CHECK(ws.values[static_cast<size_t>(in.dest)].size() >= n);
  PROACTIF_CHECK(in.a < 0 || ws.v[static_cast<size_t>(in.a)] != ws.v[static_cast<size_t>(in.dest)]);
  {
    // Registers never alias: each instruction writes a register of its own.
    double* __restrict o = ws.out(in.dest);
    const double* __restrict a = in.a >= 0 ? ws.v[static_cast<size_t>(in.a)] : nullptr;
    const double* __restrict b = in.b >= 0 ? ws.v[static_cast<size_t>(in.b)] : nullptr;
    const double* __restrict c = in.c >= 0 ? ws.v[static_cast<size_t>(in.c)] : nullptr;

    switch (in.op) {
      case Op::kConst: case Op::kParam: case Op::kDate: break;
      case Op::kNeg: for (size_t i = 0; i < n; ++i) o[i] = -a[i]; break;
      case Op::kAdd: for (size_t i = 0; i < n; ++i) o[i] = a[i] + b[i]; break;
      case Op::kSub: for (size_t i = 0; i < n; ++i) o[i] = a[i] - b[i]; break;
      case Op::kMul: for (size_t i = 0; i < n; ++i) o[i] = a[i] * b[i]; break;
      case Op::kDiv: for (size_t i = 0; i < n; ++i) o[i] = b[i] != 0 ? a[i] / b[i] : kUnknown; break;
      case Op::kMin:
        for (size_t i = 0; i < n; ++i) o[i] = unknown(a[i]) || unknown(b[i]) ? kUnknown : std::min(a[i], b[i]);
        break;
      case Op::kMax:
        for (size_t i = 0; i < n; ++i) o[i] = unknown(a[i]) || unknown(b[i]) ? kUnknown : std::max(a[i], b[i]);
        break;
      case Op::kNot: for (size_t i = 0; i < n; ++i) o[i] = unknown(a[i]) ? kUnknown : truth(a[i] == 0); break;
#define PROACTIF_COMPARE(OP, TEST)                                                                       \
  case OP:                                                                                               \
    for (size_t i = 0; i < n; ++i) {                                                                     \
      double x = a[i], y = b[i];                                                                         \
      o[i] = unknown(x) || unknown(y) ? kUnknown : truth(TEST);                                          \
    }                                                                                                    \
    break;
      PROACTIF_COMPARE(Op::kLt, x < y - tolerance(x, y))
      PROACTIF_COMPARE(Op::kLe, x <= y + tolerance(x, y))
      PROACTIF_COMPARE(Op::kGt, x > y + tolerance(x, y))
      PROACTIF_COMPARE(Op::kGe, x >= y - tolerance(x, y))
      PROACTIF_COMPARE(Op::kEq, equal_within_tolerance(x, y))
      PROACTIF_COMPARE(Op::kNe, std::fabs(x - y) > tolerance(x, y))
#undef PROACTIF_COMPARE
      case Op::kAnd:
        // Kleene: false and unknown is false.
        for (size_t i = 0; i < n; ++i) {
          bool some_false = a[i] == 0 || b[i] == 0;
          o[i] = some_false ? 0.0 : unknown(a[i]) || unknown(b[i]) ? kUnknown : 1.0;
        }
        break;
      case Op::kOr:
        // Kleene: true or unknown is true.
        for (size_t i = 0; i < n; ++i) {
          bool some_true = a[i] == 1 || b[i] == 1;
          o[i] = some_true ? 1.0 : unknown(a[i]) || unknown(b[i]) ? kUnknown : 0.0;
        }
        break;
      case Op::kIf:
        // An unknown condition still decides when both branches agree.
        for (size_t i = 0; i < n; ++i) {
          double chosen = a[i] != 0 ? b[i] : c[i];
          o[i] = !unknown(a[i]) ? chosen : b[i] == c[i] ? b[i] : kUnknown;
        }
        break;
      case Op::kSelect: {
        const Select& s = plan.selects[static_cast<size_t>(in.aux)];
        if (select_by_table(plan, ws, s, a, b, o, n)) break;
        // The chain it replaces, evaluated from its last case to its first,
        // each case an `if key == value` with that if's rule for an unknown
        // condition. One pass per case keeps every pass vectorised.
        std::copy_n(b, n, o);
        for (size_t k = s.values.size(); k-- > 0;) {
          const double value = ws.v[static_cast<size_t>(s.values[k])][0];
          const double* __restrict x = ws.v[static_cast<size_t>(s.results[k])];
          for (size_t i = 0; i < n; ++i) {
            double key = a[i];
            bool decided = !unknown(key) && !unknown(value);
            bool match = equal_within_tolerance(key, value);
            o[i] = decided ? (match ? x[i] : o[i]) : x[i] == o[i] ? x[i] : kUnknown;
          }
        }
        break;
      }
      case Op::kRoundCent: for (size_t i = 0; i < n; ++i) o[i] = round_cent(a[i]); break;
      case Op::kCertainly: for (size_t i = 0; i < n; ++i) o[i] = truth(a[i] == 1); break;
      case Op::kScale: {
        double f = in.imm;
        for (size_t i = 0; i < n; ++i) o[i] = a[i] * f;
        break;
      }
      case Op::kAge:
        if (plan.constant[static_cast<size_t>(in.b)] && !unknown(b[0])) {
          age_table(static_cast<Days>(b[0])).ages(a, o, n);
        } else {
          for (size_t i = 0; i < n; ++i)
            o[i] = unknown(a[i]) || unknown(b[i]) ? kUnknown
                                                  : age_in_years(static_cast<Days>(a[i]), static_cast<Days>(b[i]));
        }
        break;
      case Op::kStartOfYear:
        for (size_t i = 0; i < n; ++i) o[i] = unknown(a[i]) ? kUnknown : start_of_year(static_cast<Days>(a[i]));
        break;
      case Op::kInSet: case Op::kInParam: {
        const auto& set = in.op == Op::kInSet ? plan.code_sets[static_cast<size_t>(in.aux)]
                                              : bound.param_sets[static_cast<size_t>(in.aux)];
        in_codes(set, a, o, n);
        break;
      }
      case Op::kMapCode: map_codes(plan.code_maps[static_cast<size_t>(in.aux)], a, o, n); break;
      case Op::kYearsBefore:
        for (size_t i = 0; i < n; ++i) o[i] = unknown(a[i]) ? kUnknown : years_before(static_cast<Days>(a[i]), static_cast<int>(in.imm));
        break;
      case Op::kHasCode: {
        const uint64_t bit = static_cast<uint64_t>(in.imm);
        for (size_t i = 0; i < n; ++i)
          o[i] = unknown(a[i]) ? kUnknown : truth((static_cast<uint64_t>(a[i]) & bit) != 0);
        break;
      }
      case Op::kBracket: {
        if (in.imm != 0) bracket<true>(bound.scales[static_cast<size_t>(in.aux)], a, o, n);  // [lower, upper)
        else bracket<false>(bound.scales[static_cast<size_t>(in.aux)], a, o, n);             // (lower, upper]
        break;
      }
      case Op::kBroadcast: {
        // Four persons of each household written without a branch; what
        // spills past a household is overwritten by the next one, or falls
        // in the register's padding. Then the persons past the fourth of the
        // few larger households.
        const uint32_t* offsets = ws.offsets.data();
        for (size_t h = 0, households = ws.h1 - ws.h0; h < households; ++h) {
          double v = a[h];
          double* to = o + offsets[h];
          to[0] = v;
          to[1] = v;
          to[2] = v;
          to[3] = v;
        }
        for (uint32_t h : ws.large)
          for (uint32_t p = offsets[h] + 4; p < offsets[h + 1]; ++p) o[p] = a[h];
        break;
      }
      // Aggregates: each person's term first, in vectorised passes, then
      // the terms of each household's persons added. A sum's terms are added
      // in order (0 + t0 + t1 + ...), a term the filter may or may not let
      // in being unknown; the other terms are 0 or 1, kept as a byte with
      // whether the term is unsettled, and counted in one pass, which is
      // exact in any order.
      case Op::kCount: case Op::kSum: case Op::kAny: case Op::kAll: {
        const uint32_t* offsets = ws.offsets.data();
        const size_t households = ws.h1 - ws.h0, persons = ws.p1 - ws.p0;
        if (in.op == Op::kCount && !a) {  // every person counts
          for (size_t h = 0; h < households; ++h) o[h] = offsets[h + 1] - offsets[h];
          break;
        }
        if (in.op == Op::kSum) {  // an unknown value makes the sum unknown by itself
          if (!a) {
            add_per_household(b, offsets, households, ws.large, o);
            break;
          }
          double* __restrict terms = ws.terms.data();
          for (size_t p = 0; p < persons; ++p) {
            bool concerned = (a[p] != 0) & (b[p] != 0);
            terms[p] = concerned ? (unknown(a[p]) ? kUnknown : b[p]) : 0.0;
          }
          add_per_household(terms, offsets, households, ws.large, o);
          break;
        }
        uint8_t* __restrict term = ws.terms_open.data();
        switch (in.op) {
          case Op::kCount:  // a person whose filter is unknown may count
            for (size_t p = 0; p < persons; ++p) term[p] = (a[p] != 0) | (unknown(a[p]) << 1);
            break;
          case Op::kAny: {  // term: f and v; counted when true
            // A filter or value left out is true for everyone.
            const double* __restrict f = a ? a : ws.ones.data();
            const double* __restrict v = b ? b : ws.ones.data();
            for (size_t p = 0; p < persons; ++p) {
              bool term_true = (f[p] == 1) & (v[p] == 1), term_false = (f[p] == 0) | (v[p] == 0);
              term[p] = term_true | ((!term_true & !term_false) << 1);
            }
            break;
          }
          default: {  // kAll, term: not f or v; counted when false
            const double* __restrict f = a ? a : ws.ones.data();
            const double* __restrict v = b ? b : ws.ones.data();
            for (size_t p = 0; p < persons; ++p) {
              bool term_true = (f[p] == 0) | (v[p] == 1), term_false = (f[p] == 1) & (v[p] == 0);
              term[p] = term_false | ((!term_true & !term_false) << 1);
            }
          }
        }
        uint8_t* __restrict open = ws.household_open.data();
        count_per_household(term, offsets, households, ws.large, o, open);
        // A decided any() or all() no longer needs the unsettled persons.
        switch (in.op) {
          case Op::kCount:
            for (size_t h = 0; h < households; ++h) o[h] = open[h] ? kUnknown : o[h];
            break;
          case Op::kAny:
            for (size_t h = 0; h < households; ++h) o[h] = o[h] > 0 ? 1.0 : open[h] ? kUnknown : 0.0;
            break;
          default:
            for (size_t h = 0; h < households; ++h) o[h] = o[h] > 0 ? 0.0 : open[h] ? kUnknown : 1.0;
        }
        break;
      }
      case Op::kMinOver: case Op::kMaxOver: extremum_per_household(in.op == Op::kMaxOver, a, b, ws, o); break;
      case Op::kRank: rank_in_household(a, b, c, ws, o); break;
    }
  }
}

namespace {

// The status and results of the chunk's n decisions, and which of them wait
// for inputs: the undetermined, and the eligible with a result unknown, who
// get the least favourable result (the fallback) when it is known. A result
// that stays unknown makes the decision undetermined, and the results after
// it no longer take a fallback. Column by column, so that each pass
// vectorises; returns whether any decision waits. The chunk's rows start at
// `first` of the outcome's.
bool settle_chunk(const Plan& plan, const Workspace& ws, Outcome& out, size_t first, size_t n,
                  uint8_t* __restrict traced) {
  Status* __restrict status = out.status.data() + first;
  const double* __restrict eligible = ws.v[static_cast<size_t>(plan.eligible_reg)];
  for (size_t i = 0; i < n; ++i) {
    double e = eligible[i];
    status[i] = unknown(e) ? Status::kUndetermined : e != 0 ? Status::kEligible : Status::kIneligible;
    traced[i] = status[i] == Status::kUndetermined;
  }
  const size_t rows = out.rows();
  for (size_t j = 0; j < plan.result_regs.size(); ++j) {
    const double* __restrict v = ws.v[static_cast<size_t>(plan.result_regs[j])];
    int fb = plan.fallback_regs[j];
    const double* __restrict fallback = fb >= 0 ? ws.v[static_cast<size_t>(fb)] : v;
    double* __restrict values = out.values.get() + j * rows + first;
    // Written with `&&` and a plain choice, which GCC vectorises where `&`
    // over bools of rows of bytes and doubles it does not.
    for (size_t i = 0; i < n; ++i) {
      double value = v[i];
      bool open = unknown(value) && status[i] == Status::kEligible;
      double chosen = open ? fallback[i] : value;  // an unknown fallback leaves it unknown
      values[i] = chosen;
      traced[i] = traced[i] | open;
      status[i] = open && unknown(chosen) ? Status::kUndetermined : status[i];
    }
  }
  uint8_t any = 0;
  for (size_t i = 0; i < n; ++i) any |= traced[i];
  return any;
}

// A person program decides for each person within the foyer its law
// defines. For a person outside it, this situation's foyer says nothing:
// their decision is undetermined, named as such, and a situation of their
// own decides (population/foyers_of_their_own.hpp). Returns whether any.
bool set_aside_outside_foyer(Outcome& out, size_t r0, size_t r1, uint8_t* __restrict traced) {
  bool any = false;
  for (size_t r = r0; r < r1; ++r) {
    if (out.foyer[r] != Membership::kOutside) continue;
    out.status[r] = Status::kUndetermined;
    for (size_t j = 0; j < out.results; ++j) out.values[j * out.rows() + r] = kUnknown;
    traced[r - r0] = 1;
    any = true;
  }
  return any;
}

}  // namespace


namespace {

// Decisions on a household whose data are incomplete (Batch::incomplete)
// would be taken on part of it: undetermined, whatever the rest says, with
// the reason among the missing inputs. Returns whether the chunk has any.
bool set_aside_incomplete(const Batch& batch, Outcome& out, size_t h0, size_t h1) {
  bool any = false;
  for (size_t h = h0; h < h1; ++h) {
    if (batch.incomplete_reasons(h).empty()) continue;
    any = true;
    const bool household = out.entity == Entity::kHousehold;
    const size_t first = household ? h : batch.person_offsets[h], last = household ? h + 1 : batch.person_offsets[h + 1];
    for (size_t r = first; r < last; ++r) {
      out.status[r] = Status::kUndetermined;
      for (size_t j = 0; j < out.results; ++j) out.values[j * out.rows() + r] = kUnknown;
    }
  }
  return any;
}

// The chunk's missing inputs with each incomplete household's reasons
// after its rows' own; `from` counts the entries per row.
void append_incomplete_reasons(const Batch& batch, const Outcome& out, size_t h0, size_t h1, size_t r0,
                               std::vector<MissingInput>& missing, uint32_t* from) {
  const bool household = out.entity == Entity::kHousehold;
  std::vector<MissingInput> merged;
  merged.reserve(missing.size());
  size_t taken = 0;
  for (size_t h = h0; h < h1; ++h) {
    const size_t first = household ? h : batch.person_offsets[h], last = household ? h + 1 : batch.person_offsets[h + 1];
    auto reasons = batch.incomplete_reasons(h);
    for (size_t r = first; r < last; ++r) {
      merged.insert(merged.end(), missing.begin() + static_cast<std::ptrdiff_t>(taken),
                    missing.begin() + static_cast<std::ptrdiff_t>(taken + from[r - r0]));
      taken += from[r - r0];
      for (const auto& reason : reasons)
        merged.push_back({MissingInput::kIncomplete, static_cast<uint32_t>(&reason - batch.incomplete.data())});
      from[r - r0] += static_cast<uint32_t>(reasons.size());
    }
  }
  missing = std::move(merged);
}

}  // namespace

Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options) {
  const Plan& plan = *bound.plan;
  const Program& program = *plan.program;
  Outcome out;
  out.entity = program.entity;
  out.results = plan.result_regs.size();
  size_t rows = program.entity == Entity::kHousehold ? batch.households() : batch.persons();
  out.status.assign(rows, Status::kUndetermined);
  out.values = std::make_unique_for_overwrite<double[]>(rows * out.results);
  out.missing_from = std::make_unique_for_overwrite<uint32_t[]>(rows);
  if (options.explain) out.explanations.resize(rows);
  if (plan.foyer_reg >= 0) out.foyer.resize(batch.persons());
  out.route_holds.assign(program.automatic_routes.size(), std::vector<uint8_t>(rows, 0));

  size_t chunk = std::max<size_t>(1, options.chunk_households);
  size_t chunks = (batch.households() + chunk - 1) / chunk;
  out.chunk_first_row.resize(chunks + 1);
  out.chunk_first_row[chunks] = rows;
  out.chunk_missing.resize(chunks);
  std::atomic<size_t> next{0};
  const bool per_household = program.entity == Entity::kHousehold;
  const bool incomplete_matters = !batch.incomplete.empty() && reads_members(plan);
  auto worker = [&] {
    Workspace ws;
    std::vector<uint8_t> traced;  // per decision of the chunk: its missing inputs are to be named
    // Each thread claims its next chunk before it runs one, so that it
    // fetches the right inputs ahead.
    auto households_of = [&](size_t c) {
      size_t h0 = c * chunk;
      return c < chunks ? Households{h0, std::min(batch.households(), h0 + chunk)} : Households{};
    };
    for (size_t c = next.fetch_add(1), following; c < chunks; c = following) {
      following = next.fetch_add(1);
      const auto [h0, h1] = households_of(c);
      PROACTIF_ISA::run_chunk(bound, batch, ws, h0, h1, options.explain, households_of(following));
      size_t r0 = per_household ? h0 : ws.p0;
      size_t r1 = per_household ? h1 : ws.p1;
      out.chunk_first_row[c] = r0;
      traced.resize(r1 - r0);
      bool any_traced = settle_chunk(plan, ws, out, r0, r1 - r0, traced.data());
      for (size_t k = 0; k < program.automatic_routes.size(); ++k) {
        const double* holds = ws.v[static_cast<size_t>(plan.route_regs[k])];
        for (size_t r = r0; r < r1; ++r) out.route_holds[k][r] = holds[r - r0] == 1;
      }
      if (plan.foyer_reg >= 0) {
        const double* member = ws.v[static_cast<size_t>(plan.foyer_reg)];
        for (size_t p = 0; p < ws.p1 - ws.p0; ++p)
          out.foyer[ws.p0 + p] = unknown(member[p]) ? Membership::kUnknown
                                 : member[p] != 0  ? Membership::kMember
                                                   : Membership::kOutside;
      }
      // The number of missing inputs of each row, then where they start.
      uint32_t* __restrict from = out.missing_from.get() + r0;
      std::fill_n(from, r1 - r0, 0u);
      std::vector<MissingInput>& missing = out.chunk_missing[c];
      if (any_traced && per_household) append_missing_inputs_of_chunk(bound, ws, traced.data(), missing, from);
      if (!per_household && plan.foyer_reg >= 0) any_traced |= set_aside_outside_foyer(out, r0, r1, traced.data());
      const bool incomplete = incomplete_matters && set_aside_incomplete(batch, out, h0, h1);
      if (any_traced && !per_household) {
        // A person program's household registers serve several decisions:
        // each is traced on its own, its household followed as they come.
        size_t household = 0;  // in the chunk
        for (size_t r = r0; r < r1; ++r) {
          if (!traced[r - r0]) continue;
          size_t before = missing.size();
          if (!out.foyer.empty() && out.foyer[r] == Membership::kOutside) {
            missing.push_back({MissingInput::kOutsideFoyer, static_cast<uint32_t>(r)});
          } else {
            while (ws.offsets[household + 1] <= r - ws.p0) ++household;
            append_missing_inputs(bound, ws, r, household, out.status[r], missing);
          }
          from[r - r0] = static_cast<uint32_t>(missing.size() - before);
        }
      }
      if (incomplete) append_incomplete_reasons(batch, out, h0, h1, r0, missing, from);
      for (uint32_t r = 0, at = 0; r < r1 - r0; ++r) {
        uint32_t count = from[r];
        from[r] = at;
        at += count;
      }
      if (options.explain)
        for (size_t r = r0; r < r1; ++r)
          out.explanations[r] = std::make_unique<Explanation>(explain(bound, batch, codes, ws, r));
    }
  };
  unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(chunks)));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  return out;
}


}  // namespace PROACTIF_ISA
}  // namespace proactif
PROACTIF_ISA_END
