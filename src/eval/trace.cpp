#include "eval/trace.hpp"

#include <algorithm>
#include <bit>
#include <optional>

#include "core/json_text.hpp"
#include "eval/dwelling_conditions.hpp"
#include "eval/explanation_text.hpp"
#include "eval/tolerance.hpp"

namespace proactif {

namespace {

// Rows of one household inside the chunk.
struct HouseholdRows {
  size_t household;      // chunk-local
  uint32_t first_person; // chunk-local
  uint32_t persons;
};

HouseholdRows rows_for(const Plan& plan, const Workspace& ws, size_t row) {
  size_t hl = row - ws.h0;
  if (plan.program->entity == Entity::kPerson) {
    auto end = ws.offsets.begin() + static_cast<std::ptrdiff_t>(ws.h1 - ws.h0 + 1);
    auto it = std::upper_bound(ws.offsets.begin(), end, static_cast<uint32_t>(row - ws.p0));
    hl = static_cast<size_t>(it - ws.offsets.begin()) - 1;
  }
  return {hl, ws.offsets[hl], ws.offsets[hl + 1] - ws.offsets[hl]};
}

// The case a kSelect takes for a known key: the first whose value equals the
// key, or the number of cases for the default.
size_t selected_case(const Plan& plan, const Instr& in, double key, const Workspace& ws) {
  const Select& s = plan.selects[static_cast<size_t>(in.aux)];
  size_t k = 0;
  while (k < s.values.size() && !equal_within_tolerance(key, ws.at(s.values[k], 0))) ++k;
  return k;
}

// Finds the unknown inputs behind an unknown register by walking back from
// it, only through operands that are themselves unknown and that matter: an
// `if` with a known condition leads to its branch only, an aggregate to the
// persons whose term is not settled. Each (register, row) is visited once.
// Asked for the gaps instead, it names the operations whose operands that
// matter are all known but that give no value, by the variable or result
// they compute (a person's age below a scale's first bracket).
class MissingTracer {
 public:
  MissingTracer(const Plan& plan, const Workspace& ws, HouseholdRows rows, size_t first_person,
                std::vector<MissingInput>& out)
      : plan_(plan), ws_(ws), rows_(rows), first_person_(first_person), stride_(rows.persons + 1), out_(out) {
    // A stamp per (register, row) instead of a cleared flag: one decision's
    // walk does not pay for clearing what the previous one visited.
    Visits& v = visits();
    size_t needed = plan.regs.size() * stride_;
    if (v.stamps.size() < needed || ++v.stamp == 0) {
      v.stamps.assign(std::max(needed, v.stamps.size()), 0);
      v.stamp = 1;
    }
    stamps_ = v.stamps.data();
    stamp_ = v.stamp;
  }

  // Most operands are known: that test is made before the call.
  void collect(int reg, uint32_t j) {
    if (reg >= 0 && !known(reg, j)) {
      ++unknown_operands_;
      visit(reg, j);
    }
  }

  void name_gaps() { gaps_ = true; }

 private:
  void visit(int reg, uint32_t j) {
    const Register& r = plan_.regs[static_cast<size_t>(reg)];
    bool per_household = r.entity == Entity::kHousehold;
    uint32_t row = per_household ? 0 : j;
    uint32_t& seen = stamps_[static_cast<size_t>(reg) * stride_ + (per_household ? 0 : j + 1)];
    if (seen == stamp_) return;
    seen = stamp_;
    if (gaps_ && r.input < 0 && plan_.producer[static_cast<size_t>(reg)] >= 0) {
      // The nearest variable or result on the way, and whether this
      // operation waits for an operand or gives no value of itself.
      const int outer = named_;
      if (plan_.named_value[static_cast<size_t>(reg)] >= 0) named_ = plan_.named_value[static_cast<size_t>(reg)];
      const size_t before = unknown_operands_;
      trace(reg, row);
      if (unknown_operands_ == before && named_ >= 0)
        out_.push_back({MissingInput::kNoValue | static_cast<uint32_t>(named_),
                        per_household ? MissingInput::kHousehold : static_cast<uint32_t>(first_person_ + row)});
      named_ = outer;
      return;
    }
    trace(reg, row);
  }

  void trace(int reg, uint32_t row) {
    const Register& r = plan_.regs[static_cast<size_t>(reg)];
    const bool per_household = r.entity == Entity::kHousehold;
    if (r.input >= 0) {
      uint32_t input = static_cast<uint32_t>(plan_.input_of_slot[static_cast<size_t>(r.input)]);
      out_.push_back({input, per_household ? MissingInput::kHousehold : static_cast<uint32_t>(first_person_ + row)});
      return;
    }
    if (plan_.producer[static_cast<size_t>(reg)] < 0) {  // an unknown constant: a parameter without a value
      for (const Instr& c : plan_.constants)
        if (c.dest == reg && c.op == Op::kParam)
          out_.push_back({MissingInput::kParameter | static_cast<uint32_t>(c.aux), MissingInput::kHousehold});
      return;
    }
    const Instr& in = plan_.instrs[static_cast<size_t>(plan_.producer[static_cast<size_t>(reg)])];
    switch (in.op) {
      case Op::kIf:
        if (known(in.a, row)) {
          collect(value(in.a, row) != 0 ? in.b : in.c, row);
        } else {
          collect(in.a, row);
          collect(in.b, row);
          collect(in.c, row);
        }
        break;
      case Op::kSelect: {
        // As the chain of ifs it replaces: a known key leads to the case taken.
        const Select& s = plan_.selects[static_cast<size_t>(in.aux)];
        if (known(in.a, row)) {
          collect(chosen(in, row), row);
        } else {
          collect(in.a, row);
          for (int r : s.results) collect(r, row);
          collect(in.b, row);
        }
        break;
      }
      case Op::kBroadcast: collect(in.a, 0); break;
      case Op::kMinOver: case Op::kMaxOver: case Op::kRank:
        // Every person of the household who may pass the filter: their
        // filter, key and value.
        for (uint32_t p = 0; p < rows_.persons; ++p) {
          collect(in.a, p);
          if (in.a >= 0 && known(in.a, p) && value(in.a, p) == 0) continue;
          collect(in.b, p);
          collect(in.c, p);
        }
        break;
      case Op::kSum: case Op::kCount: case Op::kAny: case Op::kAll:
        for (uint32_t p = 0; p < rows_.persons; ++p) {
          if (in.a >= 0 && known(in.a, p) && value(in.a, p) == 0) continue;  // not concerned
          if (in.b >= 0 && known(in.b, p)) {
            // A known value that settles the term whatever the filter says.
            double v = value(in.b, p);
            if ((in.op == Op::kSum && v == 0) || (in.op == Op::kAny && v == 0) || (in.op == Op::kAll && v != 0))
              continue;
          }
          collect(in.a, p);
          collect(in.b, p);
        }
        break;
      default:
        collect(in.a, row);
        collect(in.b, row);
        collect(in.c, row);
    }
  }

  struct Visits {
    std::vector<uint32_t> stamps;
    uint32_t stamp = 0;
  };
  // One buffer per thread, reused from one decision to the next.
  static Visits& visits() {
    static thread_local Visits v;
    return v;
  }

  int chosen(const Instr& in, uint32_t row) const {
    const Select& s = plan_.selects[static_cast<size_t>(in.aux)];
    size_t k = selected_case(plan_, in, value(in.a, row), ws_);
    return k < s.results.size() ? s.results[k] : in.b;
  }

  size_t index(int reg, uint32_t j) const {
    return plan_.regs[static_cast<size_t>(reg)].entity == Entity::kHousehold ? rows_.household
                                                                             : rows_.first_person + j;
  }
  bool known(int reg, uint32_t j) const { return is_known(value(reg, j)); }
  double value(int reg, uint32_t j) const { return ws_.v[static_cast<size_t>(reg)][index(reg, j)]; }

  const Plan& plan_;
  const Workspace& ws_;
  HouseholdRows rows_;
  size_t first_person_;  // in the batch
  size_t stride_;
  std::vector<MissingInput>& out_;
  uint32_t* stamps_;
  uint32_t stamp_;
  size_t unknown_operands_ = 0;  // operands found unknown so far
  bool gaps_ = false;
  int named_ = -1;  // Plan::named_value of the nearest variable or result on the way
};

// The inputs each register's value rests on for one household, one bit per
// input (inputs past the 64th share bits: the sets are only compared by
// size), by the choices Relevance makes: `a and b` with both
// operands false rests on the one that reads fewer inputs.
class InputsUsed {
 public:
  InputsUsed(const Plan& plan, const Workspace& ws, const HouseholdRows& rows)
      : plan_(plan), ws_(ws), rows_(rows), stride_(rows.persons + 1), bits_(plan.regs.size() * stride_, 0) {
    for (size_t i = 0; i < plan.input_regs.size(); ++i)
      for (uint32_t j = 0; j < stride_; ++j) bits_[static_cast<size_t>(plan.input_regs[i]) * stride_ + j] = uint64_t{1} << (i % 64);
    for (const Instr& in : plan.instrs) compute(in);
  }

  uint64_t of(int reg, size_t row) const { return reg < 0 ? 0 : bits_[static_cast<size_t>(reg) * stride_ + slot(reg, row)]; }

  // Which operand of a settled `and` (`or`) the decision rests on when both
  // settle it: the one that reads fewer inputs, the first on a tie.
  int cheaper(const Instr& in, size_t row) const {
    return std::popcount(of(in.b, row)) < std::popcount(of(in.a, row)) ? in.b : in.a;
  }

 private:
  // A household register has one row; a person register one per person.
  size_t slot(int reg, size_t row) const {
    return plan_.regs[static_cast<size_t>(reg)].entity == Entity::kHousehold ? 0 : row - rows_.first_person + 1;
  }
  uint64_t household_wide(int reg) const {
    if (reg < 0) return 0;
    uint64_t all = 0;
    for (uint32_t j = 0; j < stride_; ++j) all |= bits_[static_cast<size_t>(reg) * stride_ + j];
    return all;
  }
  bool settles(int reg, size_t row, bool decider) const {
    double v = ws_.at(reg, row);
    return is_known(v) && (v != 0) == decider;
  }

  void compute(const Instr& in) {
    const bool per_person = plan_.regs[static_cast<size_t>(in.dest)].entity == Entity::kPerson;
    const uint32_t first = per_person ? 1 : 0, last = per_person ? stride_ : 1;
    for (uint32_t j = first; j < last; ++j) {
      const size_t row = per_person ? rows_.first_person + j - 1 : rows_.household;
      uint64_t& out = bits_[static_cast<size_t>(in.dest) * stride_ + j];
      switch (in.op) {
        case Op::kAnd: case Op::kOr: {
          const bool decider = in.op == Op::kOr;
          const bool a = settles(in.a, row, decider), b = settles(in.b, row, decider);
          out = a && b ? of(cheaper(in, row), row) : a ? of(in.a, row) : b ? of(in.b, row) : of(in.a, row) | of(in.b, row);
          break;
        }
        case Op::kIf: {
          const double c = ws_.at(in.a, row);
          out = of(in.a, row) | (!is_known(c) ? of(in.b, row) | of(in.c, row) : of(c != 0 ? in.b : in.c, row));
          break;
        }
        case Op::kSum: case Op::kCount: case Op::kAny: case Op::kAll: case Op::kMinOver: case Op::kMaxOver:
        case Op::kRank:
          out = household_wide(in.a) | household_wide(in.b) | household_wide(in.c);
          break;
        case Op::kSelect: {
          // As the chain of ifs it replaces: the key, and the case taken.
          const Select& s = plan_.selects[static_cast<size_t>(in.aux)];
          const double key = ws_.at(in.a, row);
          out = of(in.a, row);
          if (!is_known(key)) {
            out |= of(in.b, row);
            for (int r : s.results) out |= of(r, row);
          } else {
            const size_t taken = selected_case(plan_, in, key, ws_);
            out |= of(taken < s.results.size() ? s.results[taken] : in.b, row);
          }
          break;
        }
        default: out = of(in.a, row) | of(in.b, row) | of(in.c, row);
      }
    }
  }

  const Plan& plan_;
  const Workspace& ws_;
  HouseholdRows rows_;
  uint32_t stride_;
  std::vector<uint64_t> bits_;
};

// Which registers, and which of their rows, the decision actually depended
// on: walking back from the eligibility and the results, an `if` whose
// condition is known leads only to the branch taken, `a and b` with a known
// false (`a or b` with a known true) only to that operand, or to the operand
// that reads fewer inputs when both are, and an aggregate to the persons its
// filter does not leave out. Rows are followed one by one, so that a datum of
// the applicant that only a child's row would have read (whether they are at
// charge) is not said to have counted for them. The explanation lists the
// parameters, operations and data applied to this situation, not every one
// the program has. `membership_only`: the decision of a person the foyer
// leaves out, or may leave out, rests on the foyer's rule alone
// (evaluate.cpp, set_aside_not_members), not on the conditions it would have
// met. `subject`: the person a person program decides on (chunk-local row).
class Relevance {
 public:
  Relevance(const Plan& plan, const Workspace& ws, const HouseholdRows& rows, size_t subject, bool membership_only)
      : plan_(plan), ws_(ws), rows_(rows), stride_(rows.persons + 1), rows_marked_(plan.regs.size() * stride_, 0),
        any_(plan.regs.size(), false) {
    const InputsUsed inputs(plan, ws, rows);
    // A person program decides on its subject alone; a household program
    // on the household, through every person's row.
    const bool per_person = plan.program->entity == Entity::kPerson;
    auto mark_decided = [&](int reg) {
      if (reg < 0) return;
      if (per_person && is_person(reg)) mark(reg, slot_of_person(subject));
      else mark_all(reg);
    };
    auto decided_rows = [&](int reg, auto f) {
      if (per_person && is_person(reg)) f(row_of(reg, slot_of_person(subject)));
      else for_rows(reg, [&](uint32_t, size_t i) { f(i); });
    };
    mark_decided(membership_only ? plan.foyer_reg : plan.eligible_reg);
    // The foyer an explanation lists rests on each person's membership, and
    // so does whose decision this is (a person left out is a foyer of their
    // own): what settled it counted (a DPO's finding, 2026-12-07: the roles
    // that made the foyer were shown "sans effet").
    if (plan.foyer_reg >= 0) mark_all(plan.foyer_reg);
    // Not entitled: no result is given (but one reported anyway, the RSA's
    // amount 0), so none is explained, lest a participation or a price read
    // as one the person owes.
    bool not_entitled = true;
    decided_rows(plan.eligible_reg, [&](size_t i) { not_entitled &= known(plan.eligible_reg, i) && !value(plan.eligible_reg, i); });
    for (size_t j = 0; j < plan.result_regs.size() && !membership_only; ++j) {
      if (not_entitled && !plan.program->results[j].always) continue;
      mark_decided(plan.result_regs[j]);
      bool unknown = false;
      decided_rows(plan.result_regs[j], [&](size_t i) { unknown |= !known(plan.result_regs[j], i); });
      if (unknown) mark_decided(plan.fallback_regs[j]);  // the least favourable result was given
    }
    for (auto it = plan.instrs.rbegin(); it != plan.instrs.rend(); ++it) {
      const Instr& in = *it;
      if (!any_[static_cast<size_t>(in.dest)]) continue;
      switch (in.op) {
        case Op::kBroadcast:
          mark(in.a, 0);
          break;
        case Op::kSum: case Op::kCount: case Op::kAny: case Op::kAll: case Op::kMinOver: case Op::kMaxOver:
        case Op::kRank:
          // Every person the filter (`a`) does not certainly leave out:
          // their value and key; the filter of each.
          for (uint32_t k = 1; k < stride_; ++k) {
            mark(in.a, k);
            if (in.a >= 0 && known(in.a, row_of(in.a, k)) && !value(in.a, row_of(in.a, k))) continue;
            mark(in.b, k);
            mark(in.c, k);
          }
          break;
        default:
          for_rows(in.dest, [&](uint32_t k, size_t i) {
            if (rows_marked_[static_cast<size_t>(in.dest) * stride_ + k]) follow(in, inputs, k, i);
          });
      }
    }
    // What the date's parameters settled rests on them (eval/specialise.hpp);
    // folded constants may name each other, in any order.
    for (bool more = true; more;) {
      more = false;
      for (const Instr& c : plan.constants)
        if (c.op == Op::kConst && any_[static_cast<size_t>(c.dest)])
          for (int r : {c.a, c.b})
            if (r >= 0 && !any_[static_cast<size_t>(r)]) {
              mark_all(r);
              more = true;
            }
    }
  }

  // Whether some row of `reg` counted.
  bool any(int reg) const { return reg >= 0 && any_[static_cast<size_t>(reg)]; }
  // Whether the row of person `person` (chunk-local) counted, or the
  // household's row of a household register.
  bool at(int reg, size_t person) const {
    return reg >= 0 && rows_marked_[static_cast<size_t>(reg) * stride_ +
                                     (is_person(reg) ? slot_of_person(person) : 0)];
  }

 private:
  // The operands of an operation within one row, as it chose them.
  void follow(const Instr& in, const InputsUsed& inputs, uint32_t k, size_t i) {
    switch (in.op) {
      case Op::kIf:
        mark(in.a, k);
        if (!known(in.a, row_of(in.a, k))) {
          mark(in.b, k);
          mark(in.c, k);
        } else {
          mark(value(in.a, row_of(in.a, k)) ? in.b : in.c, k);
        }
        break;
      case Op::kSelect: {
        // As the chain of ifs it replaces: the comparisons made until the
        // case taken, and that case; every case when the key is unknown.
        const Select& s = plan_.selects[static_cast<size_t>(in.aux)];
        mark(in.a, k);
        const size_t key = row_of(in.a, k);
        const bool key_known = known(in.a, key);
        const size_t taken = key_known ? selected_case(plan_, in, ws_.at(in.a, key), ws_) : s.values.size();
        for (size_t c = 0; c < s.values.size() && c <= taken; ++c) {
          mark(s.values[c], k);
          if (!key_known || c == taken) mark(s.results[c], k);
        }
        if (taken == s.values.size()) mark(in.b, k);
        break;
      }
      case Op::kAnd: case Op::kOr: {
        const bool decider = in.op == Op::kOr;  // the value that settles the operation alone
        const bool a = known(in.a, row_of(in.a, k)) && value(in.a, row_of(in.a, k)) == decider;
        const bool b = known(in.b, row_of(in.b, k)) && value(in.b, row_of(in.b, k)) == decider;
        if (a && b) mark(inputs.cheaper(in, i), k);
        else if (a) mark(in.a, k);
        else if (b) mark(in.b, k);
        else {
          mark(in.a, k);
          mark(in.b, k);
        }
        break;
      }
      default:
        mark(in.a, k);
        mark(in.b, k);
        mark(in.c, k);
    }
  }

  bool is_person(int reg) const { return plan_.regs[static_cast<size_t>(reg)].entity == Entity::kPerson; }
  uint32_t slot_of_person(size_t person) const { return static_cast<uint32_t>(person - rows_.first_person) + 1; }
  // The workspace row of slot `k` of `reg` (0: the household's).
  size_t row_of(int reg, uint32_t k) const {
    return is_person(reg) ? rows_.first_person + (k == 0 ? 0 : k - 1) : rows_.household;
  }
  template <typename F>
  void for_rows(int reg, F f) const {
    if (!is_person(reg)) {
      f(0, rows_.household);
      return;
    }
    for (uint32_t k = 1; k < stride_; ++k) f(k, rows_.first_person + k - 1);
  }
  // Slot `k` of a person register; a household register has its one row.
  void mark(int reg, uint32_t k) {
    if (reg < 0) return;
    rows_marked_[static_cast<size_t>(reg) * stride_ + (is_person(reg) ? k : 0)] = 1;
    any_[static_cast<size_t>(reg)] = true;
  }
  void mark_all(int reg) {
    for_rows(reg, [&](uint32_t k, size_t) { mark(reg, k); });
  }
  bool known(int reg, size_t i) const { return is_known(ws_.at(reg, i)); }
  bool value(int reg, size_t i) const { return ws_.v[static_cast<size_t>(reg)][i] != 0; }

  const Plan& plan_;
  const Workspace& ws_;
  HouseholdRows rows_;
  uint32_t stride_;
  std::vector<uint8_t> rows_marked_;  // per register, the household's slot then one per person
  std::vector<bool> any_;
};

std::string render(const CodeTable& codes, const Register& r, double v) {
  std::string out;
  if (!is_known(v)) return "null";
  switch (r.type) {
    case Type::kBool: return v != 0 ? "true" : "false";
    case Type::kDate: append_json_string(out, format_iso_date(static_cast<Days>(v))); return out;
    case Type::kCode: append_json_string(out, codes.name(static_cast<int32_t>(v))); return out;
    default:
      if (r.unit.exponent(Unit::kEur) == 1) append_json_money(out, v);
      else append_json_number(out, v);
      return out;
  }
}

std::string render_parameter(const BoundPlan& bound, size_t i) {
  const ParamDecl& d = bound.plan->program->params[i];
  std::string out;
  if (d.type == Type::kScale) {
    out = "[";
    for (const auto& row : bound.scales[i]) {
      if (out.size() > 1) out += ", ";
      out += "{\"threshold\": ";
      append_json_number(out, row.threshold);
      out += ", \"amount\": ";
      append_json_number(out, row.amount);
      out += "}";
    }
    return out + "]";
  }
  if (d.type == Type::kCodeList) {
    out = "[";
    for (const auto& c : bound.sources[i]->codes) {
      if (out.size() > 1) out += ", ";
      append_json_string(out, c);
    }
    return out + "]";
  }
  if (is_known(bound.param_values[i])) append_json_number(out, bound.param_values[i]);
  else out = "null";
  return out;
}

}  // namespace

void append_missing_inputs(const BoundPlan& bound, const Workspace& ws, size_t row, size_t household, Status status,
                           std::vector<MissingInput>& out) {
  const Plan& plan = *bound.plan;
  HouseholdRows rows{household, ws.offsets[household], ws.offsets[household + 1] - ws.offsets[household]};
  MissingTracer tracer(plan, ws, rows, ws.p0 + rows.first_person, out);
  uint32_t j = plan.program->entity == Entity::kHousehold ? 0 : static_cast<uint32_t>(row - ws.p0) - rows.first_person;
  const size_t before = out.size();
  tracer.collect(plan.eligible_reg, j);
  if (status != Status::kIneligible)
    for (int reg : plan.result_regs) tracer.collect(reg, j);
  if (out.size() == before) append_value_gaps(bound, ws, row, household, status, out);
}

void append_missing_membership(const BoundPlan& bound, const Workspace& ws, size_t row, size_t household,
                               std::vector<MissingInput>& out) {
  const Plan& plan = *bound.plan;
  HouseholdRows rows{household, ws.offsets[household], ws.offsets[household + 1] - ws.offsets[household]};
  const uint32_t j = static_cast<uint32_t>(row - ws.p0) - rows.first_person;
  const size_t before = out.size();
  MissingTracer tracer(plan, ws, rows, ws.p0 + rows.first_person, out);
  tracer.collect(plan.foyer_reg, j);
  if (out.size() > before) return;
  MissingTracer gaps(plan, ws, rows, ws.p0 + rows.first_person, out);  // a formula without a value, every datum known
  gaps.name_gaps();
  gaps.collect(plan.foyer_reg, j);
}

void append_value_gaps(const BoundPlan& bound, const Workspace& ws, size_t row, size_t household, Status status,
                       std::vector<MissingInput>& out) {
  const Plan& plan = *bound.plan;
  HouseholdRows rows{household, ws.offsets[household], ws.offsets[household + 1] - ws.offsets[household]};
  MissingTracer tracer(plan, ws, rows, ws.p0 + rows.first_person, out);
  tracer.name_gaps();
  uint32_t j = plan.program->entity == Entity::kHousehold ? 0 : static_cast<uint32_t>(row - ws.p0) - rows.first_person;
  tracer.collect(plan.eligible_reg, j);
  if (status != Status::kIneligible)
    for (int reg : plan.result_regs) tracer.collect(reg, j);
}

std::vector<std::string> missing_names(const Program& program, const Batch& batch,
                                       std::span<const MissingInput> missing) {
  std::vector<std::string> names;
  names.reserve(missing.size());
  for (const auto& m : missing) {
    if (m.input == MissingInput::kIncomplete) {
      names.push_back(batch.incomplete[m.person].second);
      continue;
    }
    if (m.input != MissingInput::kOutsideFoyer && (m.input & MissingInput::kParameter)) {
      const ParamDecl& p = program.params[m.input & ~MissingInput::kParameter];
      names.push_back("parameters." + p.name + ": " + p.path + " has no value on " + format_iso_date(batch.date));
      continue;
    }
    if (m.input == MissingInput::kOutsideFoyer) {
      const VariableDecl& foyer = program.variables[static_cast<size_t>(program.foyer)];
      names.push_back("persons." + batch.person_ids[m.person] + ": not in this foyer (" + foyer.reference +
                      "): a situation of their own decides");
      continue;
    }
    if (m.input & MissingInput::kNoValue) {
      const size_t named = m.input & ~MissingInput::kNoValue;
      const std::string& name = named < program.variables.size() ? program.variables[named].name
                                                                  : program.results[named - program.variables.size()].value.name;
      names.push_back((m.person == MissingInput::kHousehold ? "household." : "persons." + batch.person_ids[m.person] + ".") +
                      name + ": its formula gives no value for these data");
      continue;
    }
    const std::string& input = program.inputs[m.input].name;
    names.push_back(m.person == MissingInput::kHousehold ? "household." + input
                                                         : "persons." + batch.person_ids[m.person] + "." + input);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Explanation explain(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const Workspace& ws,
                    size_t row) {
  const Plan& plan = *bound.plan;
  const Program& p = *plan.program;
  HouseholdRows rows = rows_for(plan, ws, row);
  Explanation e;
  e.program = p.id;
  e.title = p.title;
  e.authority = p.authority;
  e.algorithm_role = p.algorithm_role;
  e.references = p.references;
  e.date = format_iso_date(bound.date);
  // A condition not evaluated is left out only where its `when` is known
  // false for this row (a tenant is not told of an owner's loan).
  e.to_confirm_given = true;
  for (size_t k = 0; k < p.not_evaluated.size(); ++k) {
    const int when = k < plan.unchecked_regs.size() ? plan.unchecked_regs[k] : -1;
    if (when >= 0) {
      const bool per_household = plan.regs[static_cast<size_t>(when)].entity == Entity::kHousehold;
      if (ws.at(when, per_household ? rows.household : row - ws.p0) == 0) continue;
    }
    e.to_confirm.push_back({p.not_evaluated[k].condition, p.not_evaluated[k].reference});
  }

  // A person program's decisions (its eligibility and results) of persons
  // its foyer leaves out are not theirs (set_aside_not_members): another
  // person's explanation does not show them.
  auto value_of = [&](int reg, bool decision) {
    const Register& r = plan.regs[static_cast<size_t>(reg)];
    auto at = [&](size_t i) { return render(codes, r, ws.at(reg, i)); };
    if (r.entity == Entity::kHousehold) return at(rows.household);
    std::string out = "{";
    for (uint32_t j = 0, shown = 0; j < rows.persons; ++j) {
      const size_t person = rows.first_person + j;
      if (decision && plan.foyer_reg >= 0 && person != row - ws.p0 && ws.at(plan.foyer_reg, person) == 0) continue;
      if (shown++) out += ", ";
      append_json_string(out, batch.person_ids[ws.p0 + person]);
      out += ": " + at(person);
    }
    return out + "}";
  };

  auto unit_of = [&](int reg) {
    const Register& r = plan.regs[static_cast<size_t>(reg)];
    return r.type == Type::kNumber ? r.unit.to_string() : std::string();
  };
  // The source of one value: the extract and line it came from when the
  // batch knows it, else where the whole batch came from.
  auto source_of = [&](const InputDecl& in, int reg, size_t global_row, double value) {
    int slot = plan.regs[static_cast<size_t>(reg)].input;
    if (!batch.origins.empty() && !batch.origins[static_cast<size_t>(slot)].empty()) {
      ValueOrigin o = batch.origins[static_cast<size_t>(slot)][global_row];
      if (o.source == 255) return std::string("aucune source ne le donne");
      const std::string& label = batch.origin_labels[o.source];
      if (o.line == ValueOrigin::kWholeSource) return label;
      if (o.own_foyer) return label + ", ligne " + std::to_string(o.line) + kOwnFoyerValue;
      return o.line ? label + ", ligne " + std::to_string(o.line) : label + " : absent de cet extrait";
    }
    if (batch.source.empty()) return in.source;
    const bool theirs = batch.source_exact || batch.source == kOwnAnswers || batch.source == kDeclaredAtRequest;
    // What the person did not answer is not something they said.
    if (!is_known(value) && (batch.source == kOwnAnswers || batch.source == kDeclaredAtRequest))
      return std::string(batch.source == kOwnAnswers ? "sans réponse à ce formulaire" : "non déclaré par la personne");
    return in.source.empty() || theirs ? batch.source : in.source + " — " + batch.source;
  };
  // Not where the dwelling leaves nobody eligible: the condition it does
  // not meet decided, whatever the person's foyer (set_aside_not_members).
  const bool membership_only = p.entity == Entity::kPerson && plan.foyer_reg >= 0 && ws.at(plan.foyer_reg, row - ws.p0) != 1 &&
                               !dwelling_excludes(plan, ws, rows.household, row - ws.p0);
  // A person program's subject; a household program decides on no one row.
  const size_t subject = p.entity == Entity::kPerson ? row - ws.p0 : 0;
  const Relevance relevant(plan, ws, rows, subject, membership_only);
  // A list of codes, from its bits.
  auto render_input = [&](size_t i, const Register& r, double v) {
    if (p.inputs[i].type != Type::kCodeList || !is_known(v)) return render(codes, r, v);
    std::string out = "[";
    for (size_t k = 0; k < plan.input_codes[i].size(); ++k) {
      if (!(static_cast<uint64_t>(v) & (uint64_t{1} << k))) continue;
      if (out.size() > 1) out += ", ";
      append_json_string(out, codes.name(plan.input_codes[i][k]));
    }
    return out + "]";
  };
  // Of a person the foyer certainly leaves out, only what left them out
  // counted (their age, their charge; for the RSA their resources against
  // the increase they would bring), not what the foyer's conditions read of
  // every listed person: a son of 26's income did not count for his
  // parents' C2S, and is not shown as if it had.
  auto outside = [&](size_t person) {
    return plan.foyer_reg >= 0 && ws.at(plan.foyer_reg, person) == 0 && !(p.entity == Entity::kPerson && person == row - ws.p0);
  };
  std::optional<Relevance> relevant_to_membership;
  for (uint32_t j = 0; j < rows.persons && !relevant_to_membership; ++j)
    if (outside(rows.first_person + j)) relevant_to_membership.emplace(plan, ws, rows, subject, true);
  for (size_t i = 0; i < p.inputs.size(); ++i) {
    const InputDecl& in = p.inputs[i];
    int reg = plan.input_regs[i];
    if (in.entity == Entity::kHousehold) {
      const bool used = relevant.any(reg);
      e.data.push_back({"household." + in.name, in.label,
                        render_input(i, plan.regs[static_cast<size_t>(reg)], ws.at(reg, rows.household)),
                        source_of(in, reg, ws.h0 + rows.household, ws.at(reg, rows.household)), used});
    } else {
      const Register& r = plan.regs[static_cast<size_t>(reg)];
      for (uint32_t j = 0; j < rows.persons; ++j) {
        size_t at = rows.first_person + j;
        const bool theirs_counted = relevant.at(reg, at) && (!outside(at) || relevant_to_membership->at(reg, at));
        e.data.push_back({"persons." + batch.person_ids[ws.p0 + at] + "." + in.name, in.label,
                          render_input(i, r, ws.at(reg, at)), source_of(in, reg, ws.p0 + at, ws.at(reg, at)), theirs_counted});
      }
    }
  }
  if (p.foyer >= 0) {
    const VariableDecl& rule = p.variables[static_cast<size_t>(p.foyer)];
    ExplainedFoyer f{rule.label, rule.reference, {}, {}, {}, {}};
    for (uint32_t j = 0; j < rows.persons; ++j) {
      double member = ws.at(plan.foyer_reg, rows.first_person + j);
      const std::string& id = batch.person_ids[ws.p0 + rows.first_person + j];
      (!is_known(member) ? f.unknown : member != 0 ? f.counted : f.not_counted).push_back(id);
      if (member != 0) continue;
      for (size_t k = 0; k < plan.exclusion_regs.size(); ++k) {
        if (ws.at(plan.exclusion_regs[k], rows.first_person + j) != 1) continue;
        const FoyerExclusion& x = p.foyer_exclusions[k];
        f.why_not_counted.emplace_back(id, one_line(x.reason) + " (" + x.reference + ")");
        break;
      }
    }
    e.foyer.push_back(std::move(f));
  }
  std::vector<bool> param_applied(p.params.size(), false);
  for (const Instr& in : plan.constants)
    if (in.op == Op::kParam && relevant.any(in.dest)) param_applied[static_cast<size_t>(in.aux)] = true;
  for (const Instr& in : plan.instrs)
    if ((in.op == Op::kBracket || in.op == Op::kInParam) && relevant.any(in.dest))
      param_applied[static_cast<size_t>(in.aux)] = true;
  for (size_t i = 0; i < p.params.size(); ++i) {
    if (!param_applied[i]) continue;
    const ParamDecl& d = p.params[i];
    const DatedValue* src = bound.sources[i];
    e.parameters.push_back({d.name, d.path, d.parameter->description, render_parameter(bound, i),
                            d.type == Type::kScale || d.type == Type::kCodeList ? d.parameter->unit : d.unit.to_string(),
                            src ? format_iso_date(src->start) : "", src ? src->reference : ""});
  }
  for (size_t i = 0; i < p.variables.size(); ++i) {
    const VariableDecl& v = p.variables[i];
    if (v.for_messages || !relevant.any(plan.variable_regs[i])) continue;
    const int reg = plan.variable_regs[i];
    e.operations.push_back({v.name, v.label, v.formula.text, v.reference, value_of(reg, reg == plan.eligible_reg),
                            unit_of(reg)});
  }
  for (size_t i = 0; i < p.results.size(); ++i) {
    const VariableDecl& v = p.results[i].value;
    if (!relevant.any(plan.result_regs[i])) continue;
    e.operations.push_back({v.name, v.label, v.formula.text, v.reference, value_of(plan.result_regs[i], true),
                            unit_of(plan.result_regs[i])});
  }
  return e;
}

}  // namespace proactif
