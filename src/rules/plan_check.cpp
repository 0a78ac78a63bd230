#include "rules/plan_check.hpp"

#include <vector>

namespace proactif {

namespace {

std::string at(const char* where, size_t i) { return std::string(where) + " " + std::to_string(i) + ": "; }

}  // namespace

std::string plan_defect(const Plan& plan) {
  const size_t regs = plan.regs.size();
  auto valid = [&](int r) { return r >= 0 && static_cast<size_t>(r) < regs; };
  // Written: inputs, then constants, then instructions in order.
  std::vector<uint8_t> written(regs, 0);
  for (size_t r = 0; r < regs; ++r) written[r] = plan.regs[r].input >= 0;
  for (size_t i = 0; i < plan.constants.size(); ++i) {
    const Instr& in = plan.constants[i];
    if (!valid(in.dest)) return at("constant", i) + "writes no register";
    if (written[static_cast<size_t>(in.dest)]++) return at("constant", i) + "writes a register already written";
  }
  if (plan.keyed_of.size() != plan.instrs.size()) return "keyed_of does not cover the instructions";
  if (plan.constant.size() != regs) return "constant does not cover the registers";
  for (size_t i = 0; i < plan.instrs.size(); ++i) {
    const Instr& in = plan.instrs[i];
    if (!valid(in.dest)) return at("instruction", i) + "writes no register";
    std::vector<int> reads{in.a, in.b, in.c};
    if (in.op == Op::kSelect) {
      if (in.aux < 0 || static_cast<size_t>(in.aux) >= plan.selects.size()) return at("instruction", i) + "no such select";
      const Select& s = plan.selects[static_cast<size_t>(in.aux)];
      if (s.values.size() != s.results.size()) return at("instruction", i) + "select cases and results differ in number";
      reads.insert(reads.end(), s.values.begin(), s.values.end());
      reads.insert(reads.end(), s.results.begin(), s.results.end());
    }
    if ((in.op == Op::kInSet && (in.aux < 0 || static_cast<size_t>(in.aux) >= plan.code_sets.size())) ||
        (in.op == Op::kMapCode && (in.aux < 0 || static_cast<size_t>(in.aux) >= plan.code_maps.size())))
      return at("instruction", i) + "no such code set or map";
    for (int r : reads) {
      if (r < 0) continue;
      if (!valid(r)) return at("instruction", i) + "reads no register";
      if (r == in.dest) return at("instruction", i) + "reads the register it writes (registers must not alias)";
      if (!written[static_cast<size_t>(r)]) return at("instruction", i) + "reads register " + std::to_string(r) + " before it is written";
    }
    if (written[static_cast<size_t>(in.dest)]++) return at("instruction", i) + "writes a register already written";
  }
  for (size_t t = 0; t < plan.keyed.size(); ++t) {
    const KeyedTable& table = plan.keyed[t];
    if (table.instrs.empty() || !valid(table.key)) return at("keyed table", t) + "no instructions or no count";
    for (size_t k = 0; k < table.instrs.size(); ++k) {
      const int i = table.instrs[k];
      if (i < 0 || static_cast<size_t>(i) >= plan.instrs.size() || plan.keyed_of[static_cast<size_t>(i)] != static_cast<int>(t))
        return at("keyed table", t) + "lists an instruction not its own";
      if (k > 0 && i <= table.instrs[k - 1]) return at("keyed table", t) + "instructions out of order";
    }
    const int key_producer = plan.producer.size() > static_cast<size_t>(table.key) ? plan.producer[static_cast<size_t>(table.key)] : -1;
    if (key_producer >= table.instrs.front()) return at("keyed table", t) + "its count is computed after it";
    // The whole table runs where its first instruction stands: it reads
    // only its count, constants and what it computed itself.
    for (size_t k = 0; k < table.instrs.size(); ++k) {
      const Instr& in = plan.instrs[static_cast<size_t>(table.instrs[k])];
      for (int r : {in.a, in.b, in.c}) {
        if (r < 0 || r == table.key || plan.constant[static_cast<size_t>(r)]) continue;
        bool earlier = false;
        for (size_t j = 0; j < k; ++j) earlier = earlier || plan.instrs[static_cast<size_t>(table.instrs[j])].dest == r;
        if (!earlier) return at("keyed table", t) + "reads a register computed outside it";
      }
    }
    for (int out : table.outputs) {
      bool own = false;
      for (int i : table.instrs) own = own || plan.instrs[static_cast<size_t>(i)].dest == out;
      if (!own) return at("keyed table", t) + "outputs a register it does not compute";
    }
  }
  for (int r : plan.variable_regs)
    if (!valid(r) || !written[static_cast<size_t>(r)]) return "a variable's register is never written";
  for (int r : plan.result_regs)
    if (!valid(r) || !written[static_cast<size_t>(r)]) return "a result's register is never written";
  if (!valid(plan.eligible_reg)) return "no eligibility register";
  return {};
}

}  // namespace proactif
