#include "rules/compiler.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "rules/checker.hpp"
#include "rules/plan_check.hpp"
#include "rules/plan_optimiser.hpp"

namespace proactif {

int InputSchema::slot_of(const InputDecl& decl, CodeTable& codes) {
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].name == decl.name && slots[i].entity == decl.entity) {
      if (slots[i].type != decl.type || slots[i].dwelling != decl.dwelling) return -1;
      const ValueDomain &a = slots[i].value_domain, &b = decl.value_domain;
      if (a.minimum != b.minimum || a.maximum != b.maximum || a.cents != b.cents) return -1;
      if (decl.type == Type::kCodeList) {  // its bits must mean the same codes for every program
        std::vector<int32_t> allowed;
        for (const auto& v : decl.values) allowed.push_back(codes.intern(v));
        std::sort(allowed.begin(), allowed.end());
        if (allowed != slots[i].allowed) return -1;
      }
      return static_cast<int>(i);
    }
  }
  InputSlot s{decl.name, decl.entity, decl.type, decl.domain, {}, decl.dwelling, decl.value_domain};
  for (const auto& v : decl.values) s.allowed.push_back(codes.intern(v));
  std::sort(s.allowed.begin(), s.allowed.end());
  slots.push_back(std::move(s));
  return static_cast<int>(slots.size() - 1);
}

namespace {

Failure compile_failure(std::string message) { return {Error(ErrorKind::kProgram, std::move(message))}; }

struct Context {
  Entity entity;
  const Formula* formula;
};

class Compiler {
 public:
  Compiler(std::shared_ptr<const Program> program, InputSchema& schema, CodeTable& codes,
           const Territory* territory, bool optimise)
      : p_(*program), schema_(schema), codes_(codes), territory_(territory), optimise_(optimise) {
    plan_ = std::make_shared<Plan>();
    plan_->program = std::move(program);
  }

  std::shared_ptr<Plan> compile() {
    for (size_t i = 0; i < p_.inputs.size(); ++i) {
      const InputDecl& in = p_.inputs[i];
      if (in.domain == CodeDomain::kCommune) intern_communes(in.where);
      int slot = schema_.slot_of(in, codes_);
      if (slot < 0)
        throw compile_failure(in.where + ": input '" + in.name +
                              "' has another type, dwelling flag or domain (unit, minimum, maximum) in a program evaluated alongside");
      Register r{in.entity, in.type, in.unit, slot};
      if (static_cast<size_t>(slot) >= plan_->input_of_slot.size()) plan_->input_of_slot.resize(static_cast<size_t>(slot) + 1, -1);
      plan_->input_of_slot[static_cast<size_t>(slot)] = static_cast<int>(i);
      plan_->input_regs.push_back(add_reg(r));
      plan_->input_codes.push_back(in.type == Type::kCodeList ? schema_.slots[static_cast<size_t>(slot)].allowed
                                                              : std::vector<int32_t>{});
      names_[in.name] = {Kind::kInput, i};
    }
    input_read_.assign(p_.inputs.size(), false);
    plan_->params_used.assign(p_.params.size(), false);
    for (size_t i = 0; i < p_.params.size(); ++i) {
      names_[p_.params[i].name] = {Kind::kParam, i};
      for (const auto& v : p_.params[i].parameter->values)
        for (const auto& c : v.codes) codes_.intern(c);
    }
    for (size_t i = 0; i < p_.variables.size(); ++i) names_[p_.variables[i].name] = {Kind::kVariable, i};
    plan_->variable_regs.assign(p_.variables.size(), -1);
    state_.assign(p_.variables.size(), State::kTodo);
    // Each variable is compiled on its own: an error in one is recorded and
    // the next is compiled, so that a program's errors are reported
    // together; the variables that depend on a failed one say nothing more.
    for (size_t i = 0; i < p_.variables.size(); ++i) each_declaration([&] { variable(i); });
    for (const auto& r : p_.results) each_declaration([&] {
      plan_->result_regs.push_back(typed(r.value, r.value.formula).reg);
      plan_->fallback_regs.push_back(r.if_undetermined ? typed(r.value, *r.if_undetermined).reg : -1);
    });
    if (!errors_.empty()) {
      std::string all;
      for (const auto& e : errors_) all += (all.empty() ? "" : "\n") + e;
      throw compile_failure(all);
    }
    plan_->eligible_reg = plan_->variable_regs.back();
    if (p_.foyer >= 0) plan_->foyer_reg = plan_->variable_regs[static_cast<size_t>(p_.foyer)];
    for (const auto& route : p_.automatic_routes)
      plan_->route_regs.push_back(plan_->variable_regs[static_cast<size_t>(route.condition)]);
    for (const auto& c : p_.not_evaluated)
      plan_->unchecked_regs.push_back(c.when < 0 ? -1 : plan_->variable_regs[static_cast<size_t>(c.when)]);
    for (const auto& x : p_.foyer_exclusions) plan_->exclusion_regs.push_back(plan_->variable_regs[static_cast<size_t>(x.when)]);
    dwelling_only_.assign(p_.variables.size(), -1);
    if (p_.variables.back().formula.ast) find_dwelling_conditions(*p_.variables.back().formula.ast, false);
    // Every input declared is read from the situations and the extracts: one
    // that no formula uses would be collected for nothing.
    std::string unread;
    for (size_t i = 0; i < p_.inputs.size(); ++i)
      if (!input_read_[i])
        unread += (unread.empty() ? "" : "\n") + p_.inputs[i].where + ": input '" + p_.inputs[i].name +
                  "' is read by no formula of program " + p_.id +
                  ": a program declares only the data it needs (GDPR art. 5(1)(c))";
    if (!unread.empty()) throw compile_failure(unread);
    if (optimise_) optimise_plan(*plan_);
    else index_plan(*plan_);
    return plan_;
  }

 private:
  // Whether a formula reads only the dwelling's inputs, parameters, literals
  // and the date: its value is the same for every foyer living there.
  bool reads_dwelling_only(const Expr& e) {
    if (e.kind == ExprKind::kAggregate) return false;
    if (e.kind == ExprKind::kName && e.text != "date") {
      auto it = names_.find(e.text);
      if (it == names_.end()) return false;
      const Name& n = it->second;
      if (n.kind == Kind::kInput) return p_.inputs[n.index].entity == Entity::kHousehold && p_.inputs[n.index].dwelling;
      if (n.kind == Kind::kVariable) {
        int8_t& known = dwelling_only_[n.index];
        if (known < 0) known = reads_dwelling_only(*p_.variables[n.index].formula.ast);
        return known;
      }
      return true;  // a parameter
    }
    for (const ExprPtr& a : e.args)
      if (a && !reads_dwelling_only(*a)) return false;
    return true;
  }

  // Plan::dwelling_conditions, from the eligibility's formula: its variables
  // joined by `and`, or negated, that read only the dwelling.
  void find_dwelling_conditions(const Expr& e, bool negated) {
    if (e.kind == ExprKind::kBinary && e.text == "and" && !negated) {
      for (const ExprPtr& a : e.args) find_dwelling_conditions(*a, false);
    } else if (e.kind == ExprKind::kUnary && e.text == "not") {
      find_dwelling_conditions(*e.args[0], !negated);
    } else if (e.kind == ExprKind::kName) {
      auto it = names_.find(e.text);
      if (it != names_.end() && it->second.kind == Kind::kVariable && reads_dwelling_only(e))
        plan_->dwelling_conditions.emplace_back(static_cast<int>(it->second.index), negated);
    }
  }

  enum class Kind { kInput, kParam, kVariable };
  enum class State { kTodo, kVisiting, kDone, kFailed };
  // Thrown by a variable that reads one whose error is already listed: a
  // Failure without a message, so that the error is listed once.
  static Failure depends_on_failed() { return {Error(ErrorKind::kProgram, "")}; }

  template <typename Compile>
  void each_declaration(Compile&& compile) {
    try {
      compile();
    } catch (const Failure& f) {
      if (!f.error.message.empty()) errors_.push_back(f.error.message);
      abandon_stack();
    }
  }

  void abandon_stack() {
    for (size_t k : stack_) state_[k] = State::kFailed;
    stack_.clear();
  }
  struct Name {
    Kind kind;
    size_t index;
  };

  [[noreturn]] void fail(const Context& ctx, const Expr& e, const std::string& what) const {
    throw compile_failure(ctx.formula->where(e.offset) + ": " + what);
  }

  int add_reg(const Register& r) {
    plan_->regs.push_back(r);
    return static_cast<int>(plan_->regs.size() - 1);
  }

  TypeInfo emit(Op op, const TypeInfo& shape, int a = -1, int b = -1, int c = -1, double imm = 0, int aux = -1) {
    TypeInfo t = shape;
    t.reg = add_reg({t.entity, t.type, t.unit, -1});
    Instr in{op, t.reg, a, b, c, imm, aux};
    bool constant = op == Op::kConst || op == Op::kParam || op == Op::kDate;
    (constant ? plan_->constants : plan_->instrs).push_back(in);
    return t;
  }

  TypeInfo constant(Entity entity, Type type, double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    auto key = std::make_tuple(static_cast<int>(entity), static_cast<int>(type), bits);
    TypeInfo t;
    t.type = type;
    t.entity = entity;
    t.unit_free = type == Type::kNumber;
    if (auto it = consts_.find(key); it != consts_.end()) {
      t.reg = it->second;
      return t;
    }
    t = emit(Op::kConst, t, -1, -1, -1, value);
    consts_[key] = t.reg;
    return t;
  }

  void intern_communes(const std::string& where) {
    if (!territory_)
      throw compile_failure(where + ": commune codes need the official territory data (run scripts/setup.sh)");
    if (communes_interned_) return;
    for (const auto& c : territory_->communes()) codes_.intern(c.code);
    communes_interned_ = true;
  }

  const VariableDecl& variable_decl(size_t i) const { return p_.variables[i]; }

  int variable(size_t i) {
    if (state_[i] == State::kDone) return plan_->variable_regs[i];
    if (state_[i] == State::kFailed) throw depends_on_failed();
    const VariableDecl& v = variable_decl(i);
    if (state_[i] == State::kVisiting) {
      std::string cycle;
      for (size_t k : stack_) cycle += p_.variables[k].name + " -> ";
      throw compile_failure(v.where + ": '" + v.name + "' depends on itself: " + cycle + v.name);
    }
    state_[i] = State::kVisiting;
    stack_.push_back(i);
    TypeInfo t = typed(v, v.formula);
    stack_.pop_back();
    plan_->variable_regs[i] = t.reg;
    var_types_[i] = t;
    state_[i] = State::kDone;
    return t.reg;
  }

  // Compiles a formula and checks it against its variable's declaration.
  TypeInfo typed(const VariableDecl& v, const Formula& f) {
    Context ctx{v.entity, &f};
    TypeInfo t = expr(*f.ast, ctx);
    if (t.type != v.type)
      fail(ctx, *f.ast, "'" + v.name + "' is declared " + type_name(v.type) + " but its formula gives " + describe(t));
    if (t.type == Type::kNumber) {
      if (!v.has_unit) fail(ctx, *f.ast, "'" + v.name + "' is a number: declare its unit");
      if (!t.unit_free && !(t.unit == v.unit))
        fail(ctx, *f.ast, "'" + v.name + "' is declared in " + v.unit.to_string() + " but its formula gives " +
                              t.unit.to_string());
      t.unit = v.unit;
      t.unit_free = false;
      plan_->regs[static_cast<size_t>(t.reg)].unit = v.unit;
    }
    return t;
  }

  TypeInfo broadcast(const TypeInfo& t) {
    if (auto it = broadcasts_.find(t.reg); it != broadcasts_.end()) {
      TypeInfo b = t;
      b.entity = Entity::kPerson;
      b.reg = it->second;
      return b;
    }
    TypeInfo shape = t;
    shape.entity = Entity::kPerson;
    TypeInfo b = emit(Op::kBroadcast, shape, t.reg);
    broadcasts_[t.reg] = b.reg;
    return b;
  }

  // Brings a household value into a person context.
  TypeInfo in_context(TypeInfo t, const Context& ctx, const Expr& e, const std::string& name) {
    if (t.entity == ctx.entity) return t;
    if (t.entity == Entity::kPerson)
      fail(ctx, e, "'" + name + "' is a value per person; in a household formula use an aggregate, e.g. sum(persons: " +
                       name + ")");
    return broadcast(t);
  }

  TypeInfo name(const Expr& e, const Context& ctx) {
    if (e.text == "date") {
      TypeInfo t;
      t.type = Type::kDate;
      t.entity = ctx.entity;
      return emit(Op::kDate, t);
    }
    auto it = names_.find(e.text);
    if (it == names_.end()) fail(ctx, e, "unknown name '" + e.text + "'");
    const Name& n = it->second;
    if (n.kind == Kind::kInput) {
      const InputDecl& in = p_.inputs[n.index];
      // Decided person by person, a datum of the household (its quotient
      // familial) is the foyer's whose it is: without a foyer, a lodger
      // listed with the household would be decided on it (a tester's
      // program gave one the allocataire's fare). The dwelling's is anyone's
      // who lives there.
      if (p_.entity == Entity::kPerson && in.entity == Entity::kHousehold && !in.dwelling && p_.foyer < 0)
        fail(ctx, e, "'" + e.text + "' is a datum of the household, and this program decides per person: declare who "
                     "forms the foyer whose datum it is (section 'foyer', with its article), or mark it 'dwelling: true' "
                     "if it describes the dwelling, which is anyone's who lives there");
      input_read_[n.index] = true;
      TypeInfo t;
      t.type = in.type;
      t.unit = in.unit;
      t.entity = in.entity;
      t.domain = in.domain;
      t.values = &in.values;
      t.reg = plan_->input_regs[n.index];
      return in_context(t, ctx, e, e.text);
    }
    if (n.kind == Kind::kVariable) {
      variable(n.index);
      return in_context(var_types_[n.index], ctx, e, e.text);
    }
    const ParamDecl& pd = p_.params[n.index];
    plan_->params_used[n.index] = true;
    if (pd.type == Type::kScale) fail(ctx, e, "'" + e.text + "' is a scale: read it with bracket(value, " + e.text + ")");
    if (pd.type == Type::kCodeList)
      fail(ctx, e, "'" + e.text + "' is a list of codes: use it as 'code in " + e.text + "'");
    TypeInfo t;
    t.type = pd.type;
    t.unit = pd.unit;
    t.entity = ctx.entity;
    return emit(Op::kParam, t, -1, -1, -1, 0, static_cast<int>(n.index));
  }

  void check_literal(const TypeInfo& target, const Expr& lit, const Context& ctx) {
    bool ok = code_in_domain(target, lit.text);
    if (territory_) {
      auto matches = [&](auto field) {
        for (const auto& c : territory_->communes())
          if (field(c) == lit.text) return true;
        return false;
      };
      switch (target.domain) {
        case CodeDomain::kCommune: ok = territory_->find(lit.text) != nullptr; break;
        case CodeDomain::kDepartement: ok = matches([](const CommuneInfo& c) { return c.departement; }); break;
        case CodeDomain::kRegion: ok = matches([](const CommuneInfo& c) { return c.region; }); break;
        case CodeDomain::kEpci: ok = matches([](const CommuneInfo& c) { return c.epci; }); break;
        default: break;
      }
    }
    if (!ok) {
      std::string expected;
      if (target.values)
        for (const auto& v : *target.values) expected += (expected.empty() ? "" : ", ") + v;
      fail(ctx, lit, "\"" + lit.text + "\" is not a possible value here" +
                         (expected.empty() ? "" : " (expected one of: " + expected + ")"));
    }
  }

  TypeInfo code_literal(const Expr& e, const Context& ctx) {
    TypeInfo t = constant(ctx.entity, Type::kCode, codes_.intern(e.text));
    t.unit_free = false;
    return t;
  }

  TypeInfo expr(const Expr& e, const Context& ctx) {
    switch (e.kind) {
      case ExprKind::kNumber: {
        TypeInfo t = constant(ctx.entity, Type::kNumber, e.number);
        if (e.text.empty()) return t;
        auto unit = Unit::parse(e.text);
        if (!unit) fail(ctx, e, "unknown unit '" + e.text + "'");
        t.unit = *unit;
        t.unit_free = false;
        return t;
      }
      case ExprKind::kBool: {
        TypeInfo t = constant(ctx.entity, Type::kBool, e.number);
        t.unit_free = false;
        return t;
      }
      case ExprKind::kString: return code_literal(e, ctx);
      case ExprKind::kName: return name(e, ctx);
      case ExprKind::kList: fail(ctx, e, "a list of codes can only follow 'in'");
      case ExprKind::kUnary: return unary(e, ctx);
      case ExprKind::kBinary: return binary(e, ctx);
      case ExprKind::kIf: return choice(e, ctx);
      case ExprKind::kCall: return call(e, ctx);
      case ExprKind::kAggregate: return aggregate(e, ctx);
    }
    fail(ctx, e, "unsupported expression");
  }

  TypeInfo unary(const Expr& e, const Context& ctx) {
    TypeInfo a = expr(*e.args[0], ctx);
    if (e.text == "not") {
      if (a.type != Type::kBool) fail(ctx, e, "'not' needs a boolean, not " + describe(a));
      return emit(Op::kNot, a, a.reg);
    }
    if (a.type != Type::kNumber) fail(ctx, e, "'-' needs a number, not " + describe(a));
    return emit(Op::kNeg, a, a.reg);
  }

  TypeInfo binary(const Expr& e, const Context& ctx) {
    const std::string& op = e.text;
    if (op == "in") return membership(e, ctx);
    // A code literal is checked against the domain of what it is compared with.
    TypeInfo l = expr(*e.args[0], ctx);
    TypeInfo r = expr(*e.args[1], ctx);
    if (op == "and" || op == "or") {
      if (l.type != Type::kBool || r.type != Type::kBool)
        fail(ctx, e, "'" + op + "' needs booleans, not " + describe(l) + " and " + describe(r));
      return emit(op == "and" ? Op::kAnd : Op::kOr, l, l.reg, r.reg);
    }
    if (op == "+" || op == "-" || op == "*" || op == "/") {
      TypeRule rule = arithmetic_type(op, l, r);
      if (!rule.type) fail(ctx, e, rule.error);
      rule.type->entity = ctx.entity;
      Op o = op == "+" ? Op::kAdd : op == "-" ? Op::kSub : op == "*" ? Op::kMul : Op::kDiv;
      return emit(o, *rule.type, l.reg, r.reg);
    }
    TypeRule rule = comparison_type(op, l, r);
    if (!rule.type) fail(ctx, e, rule.error);
    if (l.type == Type::kCode) {
      if (e.args[1]->kind == ExprKind::kString) check_literal(l, *e.args[1], ctx);
      if (e.args[0]->kind == ExprKind::kString) check_literal(r, *e.args[0], ctx);
    }
    rule.type->entity = ctx.entity;
    Op o = op == "<" ? Op::kLt : op == "<=" ? Op::kLe : op == ">" ? Op::kGt : op == ">=" ? Op::kGe
         : op == "==" ? Op::kEq : Op::kNe;
    return emit(o, *rule.type, l.reg, r.reg);
  }

  TypeInfo membership(const Expr& e, const Context& ctx) {
    const Expr& list = *e.args[1];
    if (e.args[0]->kind == ExprKind::kString && list.kind == ExprKind::kName) {
      auto it = names_.find(list.text);
      if (it != names_.end() && it->second.kind == Kind::kInput && p_.inputs[it->second.index].type == Type::kCodeList) {
        // "aspa" in minimum_benefits: the list's bit for that code.
        TypeInfo l = expr(list, ctx);
        check_literal(l, *e.args[0], ctx);
        const InputSlot& slot = schema_.slots[static_cast<size_t>(plan_->regs[static_cast<size_t>(
            plan_->input_regs[it->second.index])].input)];
        TypeInfo t;
        t.type = Type::kBool;
        t.entity = ctx.entity;
        return emit(Op::kHasCode, t, l.reg, -1, -1, code_bit(slot, codes_.intern(e.args[0]->text)));
      }
    }
    TypeInfo l = expr(*e.args[0], ctx);
    if (l.type != Type::kCode) fail(ctx, e, "'in' needs a code on its left, not " + describe(l));
    TypeInfo t;
    t.type = Type::kBool;
    t.entity = ctx.entity;
    const Expr& right = *e.args[1];
    if (right.kind == ExprKind::kList) {
      std::vector<int32_t> set;
      for (const auto& item : right.args) {
        check_literal(l, *item, ctx);
        set.push_back(codes_.intern(item->text));
      }
      std::sort(set.begin(), set.end());
      // The same list written twice is one set, so that the optimiser sees one operation.
      auto same = std::find(plan_->code_sets.begin(), plan_->code_sets.end(), set);
      if (same == plan_->code_sets.end()) same = plan_->code_sets.insert(same, std::move(set));
      return emit(Op::kInSet, t, l.reg, -1, -1, 0, static_cast<int>(same - plan_->code_sets.begin()));
    }
    if (right.kind == ExprKind::kName) {
      auto it = names_.find(right.text);
      if (it != names_.end() && it->second.kind == Kind::kParam &&
          p_.params[it->second.index].type == Type::kCodeList) {
        plan_->params_used[it->second.index] = true;
        return emit(Op::kInParam, t, l.reg, -1, -1, 0, static_cast<int>(it->second.index));
      }
    }
    fail(ctx, right, "'in' needs a list of codes [\"a\", \"b\"] or a code_list parameter on its right");
  }

  TypeInfo choice(const Expr& e, const Context& ctx) {
    TypeInfo c = expr(*e.args[0], ctx);
    if (c.type != Type::kBool) fail(ctx, *e.args[0], "the condition of 'if' must be a boolean, not " + describe(c));
    TypeInfo a = expr(*e.args[1], ctx);
    TypeInfo b = expr(*e.args[2], ctx);
    if (a.type != b.type || (a.type == Type::kNumber && !same_unit(a, b)))
      fail(ctx, e, "the branches of 'if' differ: " + describe(a) + " and " + describe(b));
    TypeInfo t = a.unit_free ? b : a;
    if (a.type == Type::kCode) {
      if (e.args[1]->kind == ExprKind::kString && b.domain != CodeDomain::kOpen) check_literal(b, *e.args[1], ctx);
      if (e.args[2]->kind == ExprKind::kString && a.domain != CodeDomain::kOpen) check_literal(a, *e.args[2], ctx);
    }
    t.entity = ctx.entity;
    return emit(Op::kIf, t, c.reg, a.reg, b.reg);
  }

  void arity(const Expr& e, const Context& ctx, size_t n) {
    if (e.args.size() != n)
      fail(ctx, e, e.text + "() takes " + std::to_string(n) + " argument" + (n > 1 ? "s" : "") + ", not " +
                       std::to_string(e.args.size()));
  }

  TypeInfo call(const Expr& e, const Context& ctx) {
    const std::string& f = e.text;
    if (f == "bracket") return bracket(e, ctx);
    std::vector<TypeInfo> a;
    for (const auto& arg : e.args) a.push_back(expr(*arg, ctx));
    auto need = [&](size_t i, Type type) {
      if (a[i].type != type)
        fail(ctx, *e.args[i], f + "() needs a " + type_name(type) + " here, not " + describe(a[i]));
    };
    TypeInfo t;
    t.entity = ctx.entity;
    if (f == "min" || f == "max") {
      arity(e, ctx, 2);
      if (a[0].type != a[1].type || (a[0].type != Type::kNumber && a[0].type != Type::kDate) || !same_unit(a[0], a[1]))
        fail(ctx, e, f + "() needs two numbers of the same unit or two dates, not " + describe(a[0]) + " and " +
                         describe(a[1]));
      t = a[0].unit_free ? a[1] : a[0];
      t.entity = ctx.entity;
      return emit(f == "min" ? Op::kMin : Op::kMax, t, a[0].reg, a[1].reg);
    }
    if (f == "round_cent") {
      arity(e, ctx, 1);
      need(0, Type::kNumber);
      return emit(Op::kRoundCent, a[0], a[0].reg);
    }
    if (f == "per_year" || f == "per_month") {
      arity(e, ctx, 1);
      need(0, Type::kNumber);
      Unit from = Unit::base(f == "per_year" ? Unit::kMonth : Unit::kYear);
      Unit to = Unit::base(f == "per_year" ? Unit::kYear : Unit::kMonth);
      if (a[0].unit_free || a[0].unit.exponent(f == "per_year" ? Unit::kMonth : Unit::kYear) != -1)
        fail(ctx, e, f + "() converts an amount per " + (f == "per_year" ? "month" : "year") + ", not " + describe(a[0]));
      t = a[0];
      t.unit = a[0].unit * from / to;
      return emit(Op::kScale, t, a[0].reg, -1, -1, f == "per_year" ? 12.0 : 1.0 / 12.0);
    }
    if (f == "age") {
      arity(e, ctx, 2);
      need(0, Type::kDate);
      need(1, Type::kDate);
      t.type = Type::kNumber;
      t.unit = Unit::base(Unit::kYear);
      return emit(Op::kAge, t, a[0].reg, a[1].reg);
    }
    if (f == "certainly") {
      arity(e, ctx, 1);
      need(0, Type::kBool);
      return emit(Op::kCertainly, a[0], a[0].reg);
    }
    // Whether a value is known: a bound the law gives is then used only where
    // the value is not (the largest forfait logement when the housing is
    // unknown). A value equals itself unless it is unknown.
    if (f == "known") {
      arity(e, ctx, 1);
      t.type = Type::kBool;
      t.entity = a[0].entity;
      return emit(Op::kCertainly, t, emit(Op::kEq, t, a[0].reg, a[0].reg).reg);
    }
    if (f == "start_of_year") {
      arity(e, ctx, 1);
      need(0, Type::kDate);
      t.type = Type::kDate;
      return emit(Op::kStartOfYear, t, a[0].reg);
    }
    if (f == "departement" || f == "region" || f == "epci") {
      arity(e, ctx, 1);
      if (a[0].type != Type::kCode || a[0].domain != CodeDomain::kCommune)
        fail(ctx, *e.args[0], f + "() needs a commune code, not " + describe(a[0]));
      t.type = Type::kCode;
      t.domain = f == "departement" ? CodeDomain::kDepartement : f == "region" ? CodeDomain::kRegion : CodeDomain::kEpci;
      return emit(Op::kMapCode, t, a[0].reg, -1, -1, 0, code_map(t.domain));
    }
    fail(ctx, e, "unknown function '" + f + "'");
  }

  int code_map(CodeDomain domain) {
    if (auto it = maps_.find(domain); it != maps_.end()) return it->second;
    std::vector<int32_t> map;
    for (const auto& c : territory_->communes()) {
      const std::string& target = domain == CodeDomain::kDepartement ? c.departement
                                  : domain == CodeDomain::kRegion    ? c.region
                                                                     : c.epci;
      int32_t from = codes_.intern(c.code);
      int32_t to = codes_.intern(target);  // "" for a commune outside any EPCI
      if (static_cast<size_t>(from) >= map.size()) map.resize(static_cast<size_t>(from) + 1, -1);
      map[static_cast<size_t>(from)] = to;
    }
    plan_->code_maps.push_back(std::move(map));
    int index = static_cast<int>(plan_->code_maps.size() - 1);
    maps_[domain] = index;
    return index;
  }

  TypeInfo bracket(const Expr& e, const Context& ctx) {
    arity(e, ctx, 2);
    TypeInfo x = expr(*e.args[0], ctx);
    const Expr& s = *e.args[1];
    auto it = s.kind == ExprKind::kName ? names_.find(s.text) : names_.end();
    if (it == names_.end() || it->second.kind != Kind::kParam || p_.params[it->second.index].type != Type::kScale)
      fail(ctx, s, "bracket() needs a scale parameter as its second argument");
    const ParamDecl& pd = p_.params[it->second.index];
    if (x.type != Type::kNumber || (!x.unit_free && !(x.unit == pd.threshold_unit)))
      fail(ctx, *e.args[0], "the thresholds of '" + s.text + "' are in " + pd.threshold_unit.to_string() +
                                ", not " + describe(x));
    plan_->params_used[it->second.index] = true;
    TypeInfo t;
    t.type = Type::kNumber;
    t.unit = pd.unit;
    t.entity = ctx.entity;
    return emit(Op::kBracket, t, x.reg, -1, -1, pd.lower_bound_inclusive ? 1 : 0, static_cast<int>(it->second.index));
  }

  // The persons an aggregate over `persons` counts: the program's foyer.
  int foyer_register(const Expr& e, const Context& ctx) {
    if (p_.foyer < 0)
      fail(ctx, e, e.text + "(persons ...) counts the persons of the program's foyer: declare who forms it (section "
                            "'foyer', with its article), or aggregate over all_persons");
    size_t f = static_cast<size_t>(p_.foyer);
    if (state_[f] == State::kVisiting)
      fail(ctx, e, e.text + "(persons ...) counts the foyer's persons, which this rule helps define: use all_persons");
    return variable(f);
  }

  TypeInfo aggregate(const Expr& e, const Context& ctx) {
    const std::string over = e.text + (e.all_persons ? "(all_persons ...)" : "(persons ...)");
    const bool per_person = e.text == "rank" || e.text == "cumulative_sum";
    if (per_person && ctx.entity != Entity::kPerson)
      fail(ctx, e, over + " gives a value per person: it belongs in a formula per person");
    if (!per_person && ctx.entity != Entity::kHousehold)
      fail(ctx, e, over + " aggregates over a household: it cannot appear in a formula per person");
    if (per_person != (e.args[2] != nullptr))
      fail(ctx, e, per_person ? over + " needs the order of the persons: 'by key'" : over + " takes no 'by'");
    Context inner{Entity::kPerson, ctx.formula};
    int filter = e.all_persons ? -1 : foyer_register(e, ctx), value = -1;
    TypeInfo v;
    if (e.args[0]) {
      TypeInfo f = expr(*e.args[0], inner);
      if (f.type != Type::kBool) fail(ctx, *e.args[0], "the filter after 'where' must be a boolean, not " + describe(f));
      filter = filter < 0 ? f.reg : emit(Op::kAnd, f, filter, f.reg).reg;
    }
    if (e.args[1]) {
      v = expr(*e.args[1], inner);
      value = v.reg;
    }
    TypeInfo t;
    t.entity = Entity::kHousehold;
    if (per_person) {
      TypeInfo key = expr(*e.args[2], inner);
      if (key.type != Type::kNumber && key.type != Type::kDate)
        fail(ctx, *e.args[2], "persons are ordered by a number or a date, not " + describe(key));
      t.entity = Entity::kPerson;
      t.type = Type::kNumber;
      if (e.text == "rank") {
        if (value >= 0) fail(ctx, *e.args[1], over + " gives a position: it takes no ': value'");
        return emit(Op::kRank, t, filter, key.reg);
      }
      if (value < 0 || v.type != Type::kNumber) fail(ctx, e, over + " needs a number after ':'");
      t = v;
      t.entity = Entity::kPerson;
      return emit(Op::kRank, t, filter, key.reg, value);
    }
    if (e.text == "count") {
      if (value >= 0) fail(ctx, *e.args[1], over + " counts persons: it takes no ': value'");
      t.type = Type::kNumber;
      return emit(Op::kCount, t, filter);
    }
    if (e.text == "sum" || e.text == "min" || e.text == "max") {
      if (value < 0 || (v.type != Type::kNumber && (e.text == "sum" || v.type != Type::kDate)))
        fail(ctx, e, over + " needs a number after ':'");
      t = v;
      t.entity = Entity::kHousehold;
      return emit(e.text == "sum" ? Op::kSum : e.text == "min" ? Op::kMinOver : Op::kMaxOver, t, filter, value);
    }
    if (e.text == "any" || e.text == "all") {
      if (value >= 0 && v.type != Type::kBool) fail(ctx, *e.args[1], over + " needs a boolean after ':'");
      if (value < 0 && filter < 0) fail(ctx, e, e.text + "(all_persons) needs a 'where' condition or a ': value'");
      t.type = Type::kBool;
      return emit(e.text == "any" ? Op::kAny : Op::kAll, t, filter, value);
    }
    fail(ctx, e, e.text + "() does not aggregate over persons (use sum, count, any, all, min, max)");
  }

  const Program& p_;
  InputSchema& schema_;
  CodeTable& codes_;
  const Territory* territory_;
  std::shared_ptr<Plan> plan_;
  std::map<std::string, Name> names_;
  std::vector<bool> input_read_;  // per input: some formula reads it
  std::vector<State> state_;
  std::vector<size_t> stack_;
  std::map<size_t, TypeInfo> var_types_;
  std::map<int, int> broadcasts_;
  std::map<std::tuple<int, int, uint64_t>, int> consts_;
  std::map<CodeDomain, int> maps_;
  bool communes_interned_ = false;
  bool optimise_;
  std::vector<int8_t> dwelling_only_;  // per variable: reads only the dwelling (1), not (0), not yet known (-1)
  std::vector<std::string> errors_;
};

}  // namespace

Result<std::shared_ptr<Plan>> compile_program(std::shared_ptr<const Program> program, InputSchema& schema,
                                              CodeTable& codes, const Territory* territory, bool optimise) {
  const std::string id = program->id;
  try {
    auto plan = Compiler(std::move(program), schema, codes, territory, optimise).compile();
    if (std::string defect = plan_defect(*plan); !defect.empty())
      return Error{ErrorKind::kInternal, "internal error: the plan compiled for program " + id + " breaks an invariant: " + defect};
    return plan;
  } catch (const Failure& f) {
    return f.error;
  }
}

}  // namespace proactif
