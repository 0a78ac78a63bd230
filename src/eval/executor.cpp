#include "eval/executor.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/check.hpp"
#include "eval/household_aggregates.hpp"
#include "eval/isa.hpp"
#include "eval/person_flags.hpp"
#include "eval/row_kernels.hpp"
#include "eval/specialise.hpp"
#include "eval/tolerance.hpp"

PROACTIF_ISA_BEGIN
#include "eval/lanes.hpp"

namespace proactif {
// Compiled once per instruction set in a portable build (eval/isa.hpp).
namespace PROACTIF_ISA {

namespace {

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

Result<BoundPlan> bind(const Plan& plan, Days date, const CodeTable& codes, bool absent_is_unknown) {
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
    if (!v && (d.unknown_when_absent || (absent_is_unknown && (d.type == Type::kNumber || d.type == Type::kBool)))) {
      b.param_values[i] = kUnknown;
      continue;
    }
    if (!v) {
      const DatedValue* ended = entry_at(param.values, date);
      return Error{ErrorKind::kProgram, param.file + ": parameter " + param.path + " (" + d.name + " in " + p.file +
                   ") has no value in force on " + format_iso_date(date) +
                   (ended && !ended->reference.empty() ? " (" + ended->reference + ")" : "")};
    }
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

namespace {

inline double round_cent(double x) {
  // Half a cent away from zero, as on paper; the nudge keeps 1.005 € (stored
  // as 1.00499...) rounding up. floor, unlike round, vectorises.
  return std::copysign(std::floor(std::fabs(x) * 100.0 + 0.5 + 1e-6), x) / 100.0;
}

size_t rows_of(const Register& r, const Workspace& ws) {
  return r.entity == Entity::kHousehold ? ws.h1 - ws.h0 : ws.p1 - ws.p0;
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

}  // namespace

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

namespace {

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
    if (!every_register && plan.message_only[i] && plan.keyed_of[i] < 0) continue;
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
        for (size_t i = 0; i < n; ++i) o[i] = either_unknown(a[i], b[i]) ? kUnknown : std::min(a[i], b[i]);
        break;
      case Op::kMax:
        for (size_t i = 0; i < n; ++i) o[i] = either_unknown(a[i], b[i]) ? kUnknown : std::max(a[i], b[i]);
        break;
      // Logic over booleans (0, 1 or unknown): x * 0 is 0 for a known x and
      // unknown for an unknown one, so that an unknown operand passes
      // through without a comparison of its own, a third of the work.
      case Op::kNot: for (size_t i = 0; i < n; ++i) o[i] = a[i] == 0 ? 1.0 : a[i] * 0.0; break;
#define PROACTIF_COMPARE(OP, TEST)                                                                       \
  case OP:                                                                                               \
    for (size_t i = 0; i < n; ++i) {                                                                     \
      double x = a[i], y = b[i];                                                                         \
      o[i] = either_unknown(x, y) ? kUnknown : truth(TEST);                                              \
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
        for (size_t i = 0; i < n; ++i) o[i] = (a[i] == 0) | (b[i] == 0) ? 0.0 : a[i] * 0.0 + (b[i] * 0.0 + 1.0);
        break;
      case Op::kOr:
        // Kleene: true or unknown is true.
        for (size_t i = 0; i < n; ++i) o[i] = (a[i] == 1) | (b[i] == 1) ? 1.0 : a[i] * 0.0 + b[i] * 0.0;
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
          ages_on(static_cast<Days>(b[0]), a, o, n);
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

}  // namespace PROACTIF_ISA
}  // namespace proactif
PROACTIF_ISA_END
