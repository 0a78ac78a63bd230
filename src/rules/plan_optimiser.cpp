#include "rules/plan_optimiser.hpp"

#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <tuple>

namespace proactif {

namespace {

bool between_entities(Op op) {
  return op == Op::kBroadcast || op == Op::kSum || op == Op::kCount || op == Op::kAny || op == Op::kAll ||
         op == Op::kMinOver || op == Op::kMaxOver || op == Op::kRank;
}

template <typename F>
void each_operand(const Plan& plan, const Instr& in, F f) {
  for (int r : {in.a, in.b, in.c})
    if (r >= 0) f(r);
  if (in.op == Op::kSelect) {
    const Select& s = plan.selects[static_cast<size_t>(in.aux)];
    for (int r : s.values) f(r);
    for (int r : s.results) f(r);
  }
}

template <typename F>
void rename_operands(Plan& plan, Instr& in, F f) {
  for (int* r : {&in.a, &in.b, &in.c})
    if (*r >= 0) *r = f(*r);
  if (in.op == Op::kSelect) {
    Select& s = plan.selects[static_cast<size_t>(in.aux)];
    for (int& r : s.values) r = f(r);
    for (int& r : s.results) r = f(r);
  }
}

// Registers the explanation names: never merged, never dropped.
std::vector<uint8_t> named_registers(const Plan& plan) {
  std::vector<uint8_t> named(plan.regs.size(), 0);
  auto mark = [&](int r) {
    if (r >= 0) named[static_cast<size_t>(r)] = 1;
  };
  for (int r : plan.variable_regs) mark(r);
  for (int r : plan.result_regs) mark(r);
  for (int r : plan.fallback_regs) mark(r);
  for (int r : plan.input_regs) mark(r);
  mark(plan.eligible_reg);
  return named;
}

void merge_common_operations(Plan& plan) {
  std::vector<uint8_t> named = named_registers(plan);
  std::vector<int> alias(plan.regs.size());
  std::iota(alias.begin(), alias.end(), 0);
  using Key = std::tuple<int, int, int, int, uint64_t, int, int, int, std::string>;
  std::map<Key, int> seen;
  auto merge = [&](std::vector<Instr>& list) {
    std::vector<Instr> kept;
    for (Instr in : list) {
      rename_operands(plan, in, [&](int r) { return alias[static_cast<size_t>(r)]; });
      const Register& r = plan.regs[static_cast<size_t>(in.dest)];
      uint64_t imm;
      std::memcpy(&imm, &in.imm, sizeof imm);
      Key key{static_cast<int>(in.op), in.a, in.b, in.c, imm, in.aux, static_cast<int>(r.entity),
              static_cast<int>(r.type), r.unit.to_string()};
      if (!named[static_cast<size_t>(in.dest)]) {
        auto [it, fresh] = seen.emplace(key, in.dest);
        if (!fresh) {
          alias[static_cast<size_t>(in.dest)] = it->second;
          continue;
        }
      }
      kept.push_back(in);
    }
    list = std::move(kept);
  };
  merge(plan.constants);
  merge(plan.instrs);
}

// The key and the constant value of `key == value` (either side constant).
bool equality_case(const Plan& plan, int cond, int& key, int& value) {
  int at = plan.producer[static_cast<size_t>(cond)];
  if (at < 0) return false;
  const Instr& eq = plan.instrs[static_cast<size_t>(at)];
  if (eq.op != Op::kEq) return false;
  bool a_constant = plan.constant[static_cast<size_t>(eq.a)], b_constant = plan.constant[static_cast<size_t>(eq.b)];
  if (a_constant == b_constant) return false;
  key = a_constant ? eq.b : eq.a;
  value = a_constant ? eq.a : eq.b;
  return true;
}

// An age on a date the same for every row, compared with a whole number of
// years, is the birth date compared with the day that many years before:
// `age(birth_date, date) < 25` becomes `birth_date > years_before(date, 25)`,
// one comparison per row instead of an age and a comparison. The same
// values, unknown where the birth date is.
void compare_ages_as_dates(Plan& plan) {
  auto constant_value = [&](int reg, double& value) {
    for (const Instr& c : plan.constants)
      if (c.dest == reg && c.op == Op::kConst) return value = c.imm, true;
    return false;
  };
  std::vector<Instr> instrs;
  for (size_t i = 0; i < plan.instrs.size(); ++i) {
    const Instr in = plan.instrs[i];
    instrs.push_back(in);
    if (in.op != Op::kLt && in.op != Op::kLe && in.op != Op::kGt && in.op != Op::kGe) continue;
    // age OP k, or k OP age read as age OP' k.
    int age = in.a, limit = in.b;
    Op op = in.op;
    auto producer = [&](int r) { return r >= 0 ? plan.producer[static_cast<size_t>(r)] : -1; };
    if (producer(age) < 0 || plan.instrs[static_cast<size_t>(producer(age))].op != Op::kAge) {
      std::swap(age, limit);
      op = op == Op::kLt ? Op::kGt : op == Op::kLe ? Op::kGe : op == Op::kGt ? Op::kLt : Op::kLe;
    }
    if (producer(age) < 0) continue;
    const Instr ager = plan.instrs[static_cast<size_t>(producer(age))];
    double years;
    if (ager.op != Op::kAge || !plan.constant[static_cast<size_t>(ager.b)] || !constant_value(limit, years) ||
        years != std::floor(years) || std::fabs(years) > 1000)
      continue;
    // age < k, age >= k: k years before; age <= k, age > k: k + 1.
    const bool below = op == Op::kLt || op == Op::kLe;
    const double whole = op == Op::kLe || op == Op::kGt ? years + 1 : years;
    Register day = plan.regs[static_cast<size_t>(ager.b)];
    day.entity = plan.regs[static_cast<size_t>(in.dest)].entity;
    plan.regs.push_back(day);
    const int cutoff = static_cast<int>(plan.regs.size() - 1);
    instrs.back() = {Op::kYearsBefore, cutoff, ager.b, -1, -1, whole, -1};
    instrs.push_back({below ? Op::kGt : Op::kLe, in.dest, ager.a, cutoff, -1, 0, -1});
  }
  plan.instrs = std::move(instrs);
}

// The missing-input pass numbers a select's cases in a byte.
constexpr size_t kMostCases = 254;

void lower_equality_chains(Plan& plan) {
  std::vector<uint8_t> named = named_registers(plan);
  std::vector<int> uses(plan.regs.size(), 0);
  for (const Instr& in : plan.instrs) each_operand(plan, in, [&](int r) { ++uses[static_cast<size_t>(r)]; });
  std::vector<uint8_t> absorbed(plan.instrs.size(), 0);
  // Outermost first, so that a chain is taken whole, not from its tail.
  for (size_t i = plan.instrs.size(); i-- > 0;) {
    if (absorbed[i] || plan.instrs[i].op != Op::kIf || plan.constant[static_cast<size_t>(plan.instrs[i].dest)]) continue;
    Select select;
    int key = -1, otherwise = -1;
    for (size_t at = i;;) {
      const Instr& link = plan.instrs[at];
      int k, v;
      if (link.op != Op::kIf || !equality_case(plan, link.a, k, v) || (key >= 0 && k != key)) break;
      if (select.values.size() == kMostCases) break;  // the rest of the chain becomes a select of its own
      if (at != i) absorbed[at] = 1;
      key = k;
      select.values.push_back(v);
      select.results.push_back(link.b);
      otherwise = link.c;
      // Follow the else branch while it is this chain's own.
      int next = plan.producer[static_cast<size_t>(link.c)];
      if (next < 0 || named[static_cast<size_t>(link.c)] || uses[static_cast<size_t>(link.c)] != 1) break;
      at = static_cast<size_t>(next);
    }
    if (select.values.size() < 2) continue;  // a single comparison stays an if
    plan.selects.push_back(std::move(select));
    Instr& in = plan.instrs[i];
    in = {Op::kSelect, in.dest, key, otherwise, -1, 0, static_cast<int>(plan.selects.size() - 1)};
  }
}

void drop_dead_code(Plan& plan) {
  std::vector<uint8_t> live = named_registers(plan);
  for (auto it = plan.instrs.rbegin(); it != plan.instrs.rend(); ++it)
    if (live[static_cast<size_t>(it->dest)]) each_operand(plan, *it, [&](int r) { live[static_cast<size_t>(r)] = 1; });
  // A folded constant keeps the constants that settled it, which may be
  // folded constants themselves, listed in any order.
  for (bool more = true; more;) {
    more = false;
    for (const Instr& c : plan.constants)
      if (live[static_cast<size_t>(c.dest)])
        each_operand(plan, c, [&](int r) {
          more |= !live[static_cast<size_t>(r)];
          live[static_cast<size_t>(r)] = 1;
        });
  }
  auto keep_live = [&](std::vector<Instr>& list) {
    std::erase_if(list, [&](const Instr& in) { return !live[static_cast<size_t>(in.dest)]; });
  };
  keep_live(plan.instrs);
  keep_live(plan.constants);

  std::vector<int> renumbered(plan.regs.size(), -1);
  std::vector<Register> regs;
  for (size_t r = 0; r < plan.regs.size(); ++r) {
    if (!live[r]) continue;
    renumbered[r] = static_cast<int>(regs.size());
    regs.push_back(plan.regs[r]);
  }
  plan.regs = std::move(regs);
  auto rename = [&](int r) { return r < 0 ? r : renumbered[static_cast<size_t>(r)]; };
  for (auto* list : {&plan.constants, &plan.instrs})
    for (Instr& in : *list) {
      in.dest = rename(in.dest);
      rename_operands(plan, in, rename);
    }
  for (auto* regs_list : {&plan.input_regs, &plan.variable_regs, &plan.result_regs, &plan.fallback_regs})
    for (int& r : *regs_list) r = rename(r);
  plan.eligible_reg = rename(plan.eligible_reg);
  plan.foyer_reg = rename(plan.foyer_reg);
  for (int& r : plan.route_regs) r = rename(r);
  for (int& r : plan.unchecked_regs) r = rename(r);
  for (int& r : plan.exclusion_regs) r = rename(r);
}

// Finds, for each count of persons, the household instructions that read
// only it, constants and each other, and keeps the groups that have more
// instructions than outputs: one lookup per output and household then
// replaces an operation per instruction and household.
void find_keyed_tables(Plan& plan) {
  std::vector<int> key_of(plan.regs.size(), -1);  // per register: the count it is computed from alone
  for (const Instr& in : plan.instrs)
    if (in.op == Op::kCount && plan.regs[static_cast<size_t>(in.dest)].entity == Entity::kHousehold)
      key_of[static_cast<size_t>(in.dest)] = in.dest;
  std::vector<int> table_of_key(plan.regs.size(), -1);
  std::vector<KeyedTable> tables;
  std::vector<int> keyed_of(plan.instrs.size(), -1);
  for (size_t i = 0; i < plan.instrs.size(); ++i) {
    const Instr& in = plan.instrs[i];
    if (between_entities(in.op) || plan.constant[static_cast<size_t>(in.dest)]) continue;
    int key = -1;
    bool keyed = true;
    each_operand(plan, in, [&](int r) {
      if (plan.constant[static_cast<size_t>(r)]) return;
      int k = key_of[static_cast<size_t>(r)];
      keyed = keyed && k >= 0 && (key < 0 || k == key);
      key = k;
    });
    if (!keyed || key < 0) continue;
    key_of[static_cast<size_t>(in.dest)] = key;
    int& t = table_of_key[static_cast<size_t>(key)];
    if (t < 0) {
      t = static_cast<int>(tables.size());
      tables.push_back({key, {}, {}});
    }
    tables[static_cast<size_t>(t)].instrs.push_back(static_cast<int>(i));
    keyed_of[i] = t;
  }
  // Outputs: read by an instruction outside the table, or a decision.
  std::vector<uint8_t> output(plan.regs.size(), 0);
  for (size_t i = 0; i < plan.instrs.size(); ++i)
    each_operand(plan, plan.instrs[i], [&](int r) {
      int producer = plan.producer[static_cast<size_t>(r)];
      if (producer >= 0 && keyed_of[static_cast<size_t>(producer)] >= 0 &&
          keyed_of[static_cast<size_t>(producer)] != keyed_of[i])
        output[static_cast<size_t>(r)] = 1;
    });
  for (int r : plan.result_regs) output[static_cast<size_t>(r)] = 1;
  for (int r : plan.fallback_regs)
    if (r >= 0) output[static_cast<size_t>(r)] = 1;
  output[static_cast<size_t>(plan.eligible_reg)] = 1;
  for (int r : plan.route_regs) output[static_cast<size_t>(r)] = 1;
  for (int r : plan.unchecked_regs)
    if (r >= 0) output[static_cast<size_t>(r)] = 1;
  for (int r : plan.exclusion_regs) output[static_cast<size_t>(r)] = 1;

  plan.keyed.clear();
  plan.keyed_of.assign(plan.instrs.size(), -1);
  for (KeyedTable& t : tables) {
    for (int i : t.instrs)
      if (output[static_cast<size_t>(plan.instrs[static_cast<size_t>(i)].dest)])
        t.outputs.push_back(plan.instrs[static_cast<size_t>(i)].dest);
    if (t.instrs.size() <= t.outputs.size()) continue;
    for (int i : t.instrs) plan.keyed_of[static_cast<size_t>(i)] = static_cast<int>(plan.keyed.size());
    plan.keyed.push_back(std::move(t));
  }
}

}  // namespace

void index_plan(Plan& plan) {
  plan.producer.assign(plan.regs.size(), -1);
  for (size_t i = 0; i < plan.instrs.size(); ++i)
    plan.producer[static_cast<size_t>(plan.instrs[i].dest)] = static_cast<int>(i);
  // Constant folding: an element-wise operation on constants is a constant.
  plan.constant.assign(plan.regs.size(), 0);
  for (const Instr& in : plan.constants) plan.constant[static_cast<size_t>(in.dest)] = 1;
  for (const Instr& in : plan.instrs) {
    bool all_constant = !between_entities(in.op);
    each_operand(plan, in, [&](int r) { all_constant = all_constant && plan.constant[static_cast<size_t>(r)]; });
    plan.constant[static_cast<size_t>(in.dest)] = all_constant;
  }
  // What a decision needs (its status, results, routes, foyer and the
  // variables its explanation lists), back from those registers; the rest
  // computes only the `when` of the conditions a message lists.
  std::vector<uint8_t> needed(plan.regs.size(), 0);
  auto need = [&](int r) {
    if (r >= 0) needed[static_cast<size_t>(r)] = 1;
  };
  need(plan.eligible_reg);
  need(plan.foyer_reg);
  for (auto* list : {&plan.result_regs, &plan.fallback_regs, &plan.route_regs}) for (int r : *list) need(r);
  for (size_t k = 0; k < plan.variable_regs.size(); ++k)
    if (!plan.program || k >= plan.program->variables.size() || !plan.program->variables[k].for_messages)
      need(plan.variable_regs[k]);
  for (auto it = plan.instrs.rbegin(); it != plan.instrs.rend(); ++it)
    if (needed[static_cast<size_t>(it->dest)]) each_operand(plan, *it, need);
  plan.message_only.assign(plan.instrs.size(), 0);
  for (size_t i = 0; i < plan.instrs.size(); ++i) plan.message_only[i] = !needed[static_cast<size_t>(plan.instrs[i].dest)];
  plan.keyed.clear();
  plan.keyed_of.assign(plan.instrs.size(), -1);
  plan.named_value.assign(plan.regs.size(), -1);
  for (size_t i = 0; i < plan.result_regs.size(); ++i)
    if (plan.result_regs[i] >= 0) plan.named_value[static_cast<size_t>(plan.result_regs[i])] = static_cast<int>(plan.variable_regs.size() + i);
  // A `when` that names a variable shares its register: the register keeps
  // that variable's name.
  for (size_t i = 0; i < plan.variable_regs.size(); ++i)
    if (plan.variable_regs[i] >= 0 &&
        (!plan.program || i >= plan.program->variables.size() || !plan.program->variables[i].for_messages))
      plan.named_value[static_cast<size_t>(plan.variable_regs[i])] = static_cast<int>(i);
}

void settle_plan(Plan& plan) {
  drop_dead_code(plan);
  index_plan(plan);
  find_keyed_tables(plan);
}

void optimise_plan(Plan& plan) {
  merge_common_operations(plan);
  index_plan(plan);
  compare_ages_as_dates(plan);
  index_plan(plan);
  lower_equality_chains(plan);
  drop_dead_code(plan);
  index_plan(plan);
  find_keyed_tables(plan);
}

}  // namespace proactif
