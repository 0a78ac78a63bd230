#include "eval/missing_columns.hpp"

#include <algorithm>
#include <cstring>
#include <immintrin.h>

#include "eval/isa.hpp"
#include "eval/person_flags.hpp"
#include "eval/trace.hpp"
#include "eval/tolerance.hpp"

PROACTIF_ISA_BEGIN
namespace proactif {
namespace PROACTIF_ISA {

namespace {

inline uint8_t unknown(double v) { return v != v; }

// Flags are bytes, which may alias anything: loop bounds and pointers are
// read into locals first, or the compiler reloads them at every row and
// does not vectorise.

// Each household's flag copied to its persons: the first four in one 32-bit
// store, as the executor broadcasts (`to` has room for four past the last;
// what spills is overwritten by the next household), then the persons past
// the fourth of the few larger households.
void spread_to_persons(const uint8_t* __restrict from, const uint32_t* __restrict offsets, size_t households,
                       const std::vector<uint32_t>& large, uint8_t* __restrict to) {
  for (size_t h = 0; h < households; ++h) {
    uint32_t four = from[h] * 0x01010101u;
    std::memcpy(to + offsets[h], &four, sizeof four);
  }
  for (uint32_t h : large)
    for (uint32_t p = offsets[h] + 4; p < offsets[h + 1]; ++p) to[p] = from[h];
}

// Whether any person of each household is flagged: the first four in one
// word (flags have room for four past the last row), then the persons past
// the fourth of the few larger households.
void any_per_household(const uint8_t* __restrict flags, const uint32_t* __restrict offsets, size_t households,
                       const std::vector<uint32_t>& large, uint8_t* __restrict out) {
  for (size_t h = 0; h < households; ++h) out[h] = first_four_flags(flags, offsets, h) != 0;
  for (uint32_t h : large)
    for (uint32_t p = offsets[h] + 4; p < offsets[h + 1]; ++p) out[h] |= flags[p];
}

// need[reg][row] says that the register's unknown value at that row stands
// between a traced decision and an answer. The instructions are taken from
// the last to the first, so that a register's flags are complete when its
// own instruction passes them on to its operands, by the rules of the
// per-decision walk (trace.cpp): only to unknown operands, and an `if` with a
// known condition only to its branch, an aggregate only to the persons whose
// term is not settled. A person register of a household program belongs to
// one household, so each flag belongs to one decision.
class NeedPass {
 public:
  NeedPass(const BoundPlan& bound, Workspace& ws) : plan_(*bound.plan), ws_(ws) {
    ws.need.resize(plan_.regs.size());
    ws.need_active.assign(plan_.regs.size(), 0);
    ws.need_any.assign(plan_.regs.size(), 0);
    households_ = ws.h1 - ws.h0;
    persons_ = ws.p1 - ws.p0;
  }

  void seed(int reg, const uint8_t* traced) { flag_unknown(reg, traced); }

  // Most registers an undetermined decision could lead to are known in a
  // given chunk: only those with a flag set pass them on.
  void run() {
    for (auto it = plan_.instrs.rbegin(); it != plan_.instrs.rend(); ++it)
      if (ws_.need_any[static_cast<size_t>(it->dest)]) pass_on(*it);
  }

  // The flags of a register, or nullptr when no row of the chunk needs it.
  const uint8_t* need(int reg) const {
    return ws_.need_any[static_cast<size_t>(reg)] ? ws_.need[static_cast<size_t>(reg)].data() : nullptr;
  }

 private:
  size_t rows(int reg) const {
    return plan_.regs[static_cast<size_t>(reg)].entity == Entity::kHousehold ? households_ : persons_;
  }
  const double* values(int reg) const { return ws_.v[static_cast<size_t>(reg)]; }
  // Constants lead to no input, but for a parameter without a value on the
  // date, and what is computed from it alone.
  bool flaggable(int reg) const {
    return reg >= 0 && (!plan_.constant[static_cast<size_t>(reg)] || unknown(ws_.at(reg, 0)));
  }

  // The register's flags, cleared on first use in this chunk; with room for
  // four past the last row, which a household's first four persons may read.
  uint8_t* flags(int reg) {
    auto& column = ws_.need[static_cast<size_t>(reg)];
    size_t n = rows(reg);
    if (!ws_.need_active[static_cast<size_t>(reg)]) {
      if (column.size() < n + Workspace::kPersonPadding) column.resize(n + Workspace::kPersonPadding);
      std::fill_n(column.begin(), n, uint8_t{0});
      ws_.need_active[static_cast<size_t>(reg)] = 1;
    }
    return column.data();
  }

  // need[x] |= when & unknown(x), row by row.
  void flag_unknown(int x, const uint8_t* __restrict when) {
    if (!flaggable(x)) return;
    ws_.need_any[static_cast<size_t>(x)] |= flag_where_unknown(values(x), when, flags(x), rows(x));
  }

  // need[i] |= when[i] & unknown(v[i]); whether some flag was set.
  static uint8_t flag_where_unknown(const double* __restrict v, const uint8_t* __restrict when,
                                    uint8_t* __restrict need, size_t n) {
    uint8_t any = 0;
    size_t i = 0;
#if defined(PROACTIF_ISA_AVX512) && (defined(__AVX512BW__) || !defined(__AVX512F__))  // byte masks: AVX512BW
    // GCC turns each comparison's eight bits into bytes through four
    // shuffles; the comparisons of 64 rows joined into one mask set their
    // 64 flags in one masked move, with a third of the instructions.
    const __m512i one = _mm512_set1_epi8(1);
    __mmask64 seen = 0;
    for (; i + 64 <= n; i += 64) {
      uint64_t open = 0;
      for (unsigned k = 0; k < 8; ++k) {
        __m512d x = _mm512_loadu_pd(v + i + 8 * k);
        open |= static_cast<uint64_t>(_mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q)) << (8 * k);
      }
      __mmask64 flagged = _mm512_mask_test_epi8_mask(open, _mm512_loadu_si512(when + i), one);
      _mm512_storeu_si512(need + i, _mm512_mask_mov_epi8(_mm512_loadu_si512(need + i), flagged, one));
      seen |= flagged;
    }
    any = seen != 0;
#endif
    for (; i < n; ++i) {
      uint8_t flag = when[i] & unknown(v[i]);
      need[i] |= flag;
      any |= flag;
    }
    return any;
  }

  uint8_t* scratch(size_t n) {
    if (ws_.need_scratch.size() < n) ws_.need_scratch.resize(n);
    return ws_.need_scratch.data();
  }

  void pass_on(const Instr& in) {
    const uint8_t* __restrict need = ws_.need[static_cast<size_t>(in.dest)].data();
    const size_t n = rows(in.dest);
    switch (in.op) {
      case Op::kIf: {
        // A known condition leads to its branch only; branches that lead to
        // no input (constants) need no flags.
        flag_unknown(in.a, need);
        if (!flaggable(in.b) && !flaggable(in.c)) break;
        const double* __restrict a = values(in.a);
        uint8_t* __restrict when = scratch(2 * n);
        for (size_t i = 0; i < n; ++i) {
          uint8_t open = unknown(a[i]);
          when[i] = need[i] & (open | (a[i] != 0));
          when[n + i] = need[i] & (open | (a[i] == 0));
        }
        flag_unknown(in.b, when);
        flag_unknown(in.c, when + n);
        break;
      }
      case Op::kSelect: {
        // A known key leads to the case it takes, the first that equals it.
        const Select& s = plan_.selects[static_cast<size_t>(in.aux)];
        flag_unknown(in.a, need);
        // The ceilings by household size are constants: then which case a
        // row takes leads to no input.
        bool some_result = flaggable(in.b);
        for (int r : s.results) some_result |= flaggable(r);
        if (!some_result) break;
        const double* __restrict key = values(in.a);
        const size_t cases = s.values.size();
        uint8_t* __restrict taken = scratch(2 * n);
        uint8_t* __restrict when = taken + n;
        for (size_t i = 0; i < n; ++i) taken[i] = static_cast<uint8_t>(cases);
        for (size_t k = cases; k-- > 0;) {
          const double value = ws_.at(s.values[k], 0);
          for (size_t i = 0; i < n; ++i)
            taken[i] = equal_within_tolerance(key[i], value) ? static_cast<uint8_t>(k) : taken[i];
        }
        for (size_t k = 0; k <= cases; ++k) {
          const int result = k < cases ? s.results[k] : in.b;
          if (!flaggable(result)) continue;
          for (size_t i = 0; i < n; ++i) when[i] = need[i] & (unknown(key[i]) | (taken[i] == k));
          flag_unknown(result, when);
        }
        break;
      }
      case Op::kBroadcast: {
        if (!flaggable(in.a)) break;
        uint8_t* __restrict household = flags(in.a);
        const double* __restrict a = values(in.a);
        const uint32_t* __restrict offsets = ws_.offsets.data();
        const size_t households = households_;
        uint8_t* __restrict any = scratch(households);
        any_per_household(need, offsets, households, ws_.large, any);
        uint8_t some = 0;
        for (size_t h = 0; h < households; ++h) {
          uint8_t flag = any[h] & unknown(a[h]);
          household[h] |= flag;
          some |= flag;
        }
        ws_.need_any[static_cast<size_t>(in.a)] |= some;
        break;
      }
      case Op::kSum: case Op::kCount: case Op::kAny: case Op::kAll: {
        // Each person of a flagged household whose term is not settled: not
        // concerned (filter known false), or a value that settles it whatever
        // the filter says.
        const size_t persons = persons_;
        uint8_t* __restrict when = scratch(persons + Workspace::kPersonPadding);
        spread_to_persons(need, ws_.offsets.data(), households_, ws_.large, when);
        const double* __restrict a = in.a >= 0 ? values(in.a) : nullptr;
        const double* __restrict b = in.b >= 0 ? values(in.b) : nullptr;
        if (a)
          for (size_t p = 0; p < persons; ++p) when[p] &= a[p] != 0;
        if (b) {
          if (in.op == Op::kAll) {
            for (size_t p = 0; p < persons; ++p) when[p] &= !((b[p] != 0) & (b[p] == b[p]));
          } else if (in.op != Op::kCount) {
            for (size_t p = 0; p < persons; ++p) when[p] &= b[p] != 0;
          }
        }
        flag_unknown(in.a, when);
        flag_unknown(in.b, when);
        break;
      }
      case Op::kMinOver: case Op::kMaxOver: case Op::kRank: {
        // Every person of a flagged household: their filter, and the key
        // and value of those who may pass it.
        const size_t persons = persons_;
        uint8_t* __restrict when = scratch(2 * (persons + Workspace::kPersonPadding) + households_);
        uint8_t* __restrict household = when + persons + Workspace::kPersonPadding;
        uint8_t* __restrict passing = household + households_;
        const uint8_t* __restrict by_household = need;
        if (in.op == Op::kRank) {
          any_per_household(need, ws_.offsets.data(), households_, ws_.large, household);
          by_household = household;
        }
        spread_to_persons(by_household, ws_.offsets.data(), households_, ws_.large, when);
        const double* __restrict a = in.a >= 0 ? values(in.a) : nullptr;
        for (size_t p = 0; p < persons; ++p) passing[p] = when[p] & (a ? a[p] != 0 : 1);
        flag_unknown(in.a, when);
        flag_unknown(in.b, passing);
        flag_unknown(in.c, passing);
        break;
      }
      default:
        flag_unknown(in.a, need);
        flag_unknown(in.b, need);
        flag_unknown(in.c, need);
    }
  }

  const Plan& plan_;
  Workspace& ws_;
  size_t households_ = 0, persons_ = 0;
};

}  // namespace

void append_missing_inputs_of_chunk(const BoundPlan& bound, Workspace& ws, const uint8_t* traced,
                                    std::vector<MissingInput>& out, uint32_t* counts) {
  const Plan& plan = *bound.plan;
  NeedPass pass(bound, ws);
  pass.seed(plan.eligible_reg, traced);
  for (int reg : plan.result_regs) pass.seed(reg, traced);
  pass.run();

  struct Needed {
    uint32_t input;
    bool household;
    const uint8_t* need;
  };
  std::vector<Needed> needed;
  for (size_t i = 0; i < plan.input_regs.size(); ++i) {
    int reg = plan.input_regs[i];
    if (const uint8_t* need = pass.need(reg))
      needed.push_back({static_cast<uint32_t>(i), plan.regs[static_cast<size_t>(reg)].entity == Entity::kHousehold, need});
  }
  // A parameter without a value on the date, named once per household.
  std::vector<uint8_t>& per_household = ws.need_scratch;
  ws.parameter_needs.clear();
  ws.parameter_needs.reserve(plan.constants.size());  // `needed` keeps pointers into them
  for (const Instr& c : plan.constants) {
    const uint8_t* need = c.op == Op::kParam ? pass.need(c.dest) : nullptr;
    if (!need) continue;
    const size_t households = ws.h1 - ws.h0;
    if (per_household.size() < households) per_household.resize(households);
    if (plan.regs[static_cast<size_t>(c.dest)].entity == Entity::kHousehold) std::copy_n(need, households, per_household.begin());
    else any_per_household(need, ws.offsets.data(), households, ws.large, per_household.data());
    ws.parameter_needs.emplace_back(per_household.begin(), per_household.begin() + static_cast<std::ptrdiff_t>(households));
    needed.push_back({MissingInput::kParameter | static_cast<uint32_t>(c.aux), true, ws.parameter_needs.back().data()});
  }
  // A traced household that waits for no input waits for a formula that
  // gives no value (append_value_gaps): rare, named by the walk.
  if (needed.empty()) {
    const size_t households = ws.h1 - ws.h0;
    for (size_t h = 0; h < households; ++h) {
      if (!traced[h]) continue;
      const size_t before = out.size();
      append_value_gaps(bound, ws, ws.h0 + h, h, Status::kUndetermined, out);
      counts[h] += static_cast<uint32_t>(out.size() - before);
    }
    return;
  }
  // Each candidate is written, and kept by moving on only when flagged: no
  // branch on the flags, which a third of households set at random.
  const uint32_t* offsets = ws.offsets.data();
  const size_t households = ws.h1 - ws.h0;
  // Written to the workspace's buffer, which keeps its size from chunk to
  // chunk, then copied: growing `out` to the bound would fault in new pages.
  size_t bound_size = needed.size() * (ws.p1 - ws.p0 + 4 * households);
  if (ws.missing_scratch.size() < bound_size) ws.missing_scratch.resize(bound_size);
  MissingInput* to = ws.missing_scratch.data();
  // The traced households, listed without a branch.
  std::vector<uint32_t>& rows = ws.traced_rows;
  rows.resize(households);
  size_t traced_count = 0;
  for (size_t h = 0; h < households; ++h) {
    rows[traced_count] = static_cast<uint32_t>(h);
    traced_count += traced[h];
  }
  // A person input's first four persons are taken without a loop: the flags
  // past a household's last person belong to the next household (or to the
  // padding) and are masked out.
  const uint32_t first_person = static_cast<uint32_t>(ws.p0);
  size_t at = 0, gap_entries = 0;
  for (size_t t = 0; t < traced_count; ++t) {
    const uint32_t h = rows[t], first = offsets[h], persons = offsets[h + 1] - first;
    size_t before = at;
    for (const Needed& n : needed) {
      if (n.household) {
        to[at] = {n.input, MissingInput::kHousehold};
        at += n.need[h];
        continue;
      }
      for (uint32_t p = 0; p < 4; ++p) {
        to[at] = {n.input, first_person + first + p};
        at += n.need[first + p] & (p < persons);
      }
      for (uint32_t p = 4; p < persons; ++p) {
        to[at] = {n.input, first_person + first + p};
        at += n.need[first + p];
      }
    }
    if (at == before) {
      // Past the bound the candidates need: what they leave is enough.
      std::vector<MissingInput>& gaps = ws.gap_scratch;
      gaps.clear();
      append_value_gaps(bound, ws, ws.h0 + h, h, Status::kUndetermined, gaps);
      gap_entries += gaps.size();
      if (ws.missing_scratch.size() < bound_size + gap_entries) {
        ws.missing_scratch.resize(bound_size + gap_entries);
        to = ws.missing_scratch.data();
      }
      std::copy(gaps.begin(), gaps.end(), to + at);
      at += gaps.size();
    }
    counts[h] += static_cast<uint32_t>(at - before);
  }
  out.insert(out.end(), to, to + at);
}

}  // namespace PROACTIF_ISA
}  // namespace proactif
PROACTIF_ISA_END
