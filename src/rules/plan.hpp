// A program compiled into a flat plan of vector operations over columns.
// Every register is a column over households or over persons, with a
// validity mask: a value is known or unknown (three-valued evaluation).
// Booleans, dates (days) and codes (interned ids) are stored as doubles so
// that one instruction set covers them all.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/codes.hpp"
#include "core/value_domain.hpp"
#include "rules/program.hpp"

namespace proactif {

enum class Op {
  // constants, evaluated once per batch
  kConst, kParam, kDate,
  // element-wise
  kNeg, kNot, kAdd, kSub, kMul, kDiv, kLt, kLe, kGt, kGe, kEq, kNe, kAnd, kOr, kIf,
  kMin, kMax, kRoundCent, kCertainly, kScale, kAge, kStartOfYear, kInSet, kInParam, kMapCode, kBracket,
  kHasCode,  // a list of codes (one bit per code the input lists, imm) holds a code
  kYearsBefore,  // the day `imm` whole years before a date (plan optimiser: ages compared as birth dates)
  kSelect,  // a chain of `if key == value then ... else ...` on one key (plan optimiser)
  // between entities
  kBroadcast, kSum, kCount, kAny, kAll, kMinOver, kMaxOver,
  // per person, from the persons of their household in an order (a: filter
  // or -1, b: key, c: value or -1): their rank (c = -1) or the running sum
  kRank,
};

struct Register {
  Entity entity = Entity::kHousehold;
  Type type = Type::kNumber;
  Unit unit;
  int input = -1;  // >= 0: bound to this input slot of the batch, not computed
};

struct Instr {
  Op op;
  int dest = -1;
  int a = -1, b = -1, c = -1;
  double imm = 0;
  int aux = -1;  // code set, code map, select or parameter index
};

// The inputs that the programs evaluated together read: a situation reader
// extracts these fields and no others (data minimisation).
// The cases of a kSelect, in the order of the chain it replaces: when the
// key equals values[k] (a constant register), the result is results[k].
struct Select {
  std::vector<int> values;
  std::vector<int> results;
};

// Registers computed from one count of persons and constants only (the
// ceilings and amounts by household size): evaluated once per value of the
// count in a chunk, then looked up per household (plan optimiser).
struct KeyedTable {
  int key = -1;              // the count register
  std::vector<int> instrs;   // indexes into Plan::instrs, in order
  std::vector<int> outputs;  // the registers read by other instructions, or that are decisions or results
};

struct InputSlot {
  std::string name;
  Entity entity;
  Type type;
  CodeDomain domain;
  std::vector<int32_t> allowed;  // listed code ids (sorted)
  bool dwelling = false;         // see InputDecl::dwelling
  ValueDomain value_domain;      // numbers
};

struct InputSchema {
  std::vector<InputSlot> slots;
  int slot_of(const InputDecl& decl, CodeTable& codes);
};

// A list of codes (an input of type code_list) is held as a number whose
// bit k says the list holds the slot's k-th allowed code.
inline double code_bit(const InputSlot& slot, int32_t code) {
  for (size_t k = 0; k < slot.allowed.size(); ++k)
    if (slot.allowed[k] == code) return static_cast<double>(uint64_t{1} << k);
  return 0;
}

struct Plan {
  std::shared_ptr<const Program> program;
  std::vector<Register> regs;
  // Literals, parameters and the date; a kConst that a date's parameters
  // folded (eval/specialise.hpp) names in `a` and `b` the constants that
  // settled it, for the explanation.
  std::vector<Instr> constants;
  std::vector<Instr> instrs;
  std::vector<std::vector<int32_t>> code_sets;
  std::vector<std::vector<int32_t>> code_maps;
  std::vector<Select> selects;
  std::vector<KeyedTable> keyed;
  std::vector<int> keyed_of;       // per instruction: its keyed table, or -1
  std::vector<uint8_t> constant;   // per register: same value for every row (literals, parameters, date)
  std::vector<int> producer;       // per register: the instruction computing it, -1 for inputs and constants
  std::vector<int> input_regs;     // per program input
  std::vector<std::vector<int32_t>> input_codes;  // per program input of type code_list: its codes, bit by bit
  std::vector<int> input_of_slot;  // per input slot of the schema: the program input reading it, or -1
  std::vector<int> variable_regs;  // per program variable (the last one is "eligible")
  std::vector<int> result_regs;    // per result
  std::vector<int> fallback_regs;  // per result, -1 when none
  // Per register: the program variable it holds (its index), or the result
  // (variables + its index), or -1 for a step inside a formula.
  std::vector<int> named_value;
  std::vector<bool> params_used;   // per program parameter
  int eligible_reg = -1;
  int foyer_reg = -1;              // per person: in the program's foyer; -1 when it has none
  std::vector<int> route_regs;     // per automatic route: its condition, per household
  std::vector<int> unchecked_regs; // per condition not evaluated: its `when`, or -1
  std::vector<int> exclusion_regs; // per reason for leaving a person out of the foyer: its `when`, per person
  // The conditions of the eligibility, joined to it by `and`, that read only
  // the dwelling (InputDecl::dwelling), parameters and the date: the fare's
  // territory. Where one is not met, nobody living there is eligible,
  // whatever foyer they belong to. Each as its variable (an index into
  // `variable_regs`) and whether the eligibility reads it negated.
  std::vector<std::pair<int, bool>> dwelling_conditions;
  // Per instruction: it computes only what a message reads (a `when` of a
  // condition not evaluated), not what a decision or its explanation does;
  // run only when the registers are explained, as for a stored decision.
  std::vector<uint8_t> message_only;
};

}  // namespace proactif
