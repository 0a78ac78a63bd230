#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "eval/outcome.hpp"
#include "eval/trace.hpp"
#include "eval/workspace.hpp"

namespace proactif {

const char* status_name(Status s) {
  switch (s) {
    case Status::kEligible: return "eligible";
    case Status::kIneligible: return "ineligible";
    case Status::kUndetermined: return "undetermined";
  }
  return "?";
}

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
        return Error{param.file + ": scale " + param.path + " has no bracket in force on " + format_iso_date(date)};
      b.sources[i] = rows->front().amount_source;
      b.scales[i] = std::move(*rows);
      continue;
    }
    const DatedValue* v = value_at(param.values, date);
    if (!v)
      return Error{param.file + ": parameter " + param.path + " (" + d.name + " in " + p.file +
                   ") has no value in force on " + format_iso_date(date)};
    if ((d.type == Type::kCodeList) != v->is_list)
      return Error{param.file + ": parameter " + param.path + " on " + format_iso_date(date) + " should be " +
                   (d.type == Type::kCodeList ? "a list of codes" : "a single value")};
    b.sources[i] = v;
    b.param_values[i] = v->number;
    for (const auto& c : v->codes)
      if (auto id = codes.find(c)) b.param_sets[i].push_back(*id);
    std::sort(b.param_sets[i].begin(), b.param_sets[i].end());
  }
  return b;
}

namespace {

// Money and ceilings are compared within a billionth, so that sums of cents
// that binary floating point cannot hold exactly still meet the ceiling they
// equal on paper (7 200.10 + 3 138.90 <= 10 339).
inline double tolerance(double a, double b) { return 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

inline double round_cent(double x) {
  // The nudge keeps 1.005 € (stored as 1.00499...) rounding up, as on paper.
  return std::round(x * 100.0 + (x >= 0 ? 1e-6 : -1e-6)) / 100.0;
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
    std::fill_n(ws.out_v(in.dest), cap, value);
    std::fill_n(ws.out_k(in.dest), cap, uint8_t{1});
  }
}

void reserve(const BoundPlan& bound, Workspace& ws, size_t households, size_t persons) {
  if (households <= ws.household_capacity && persons <= ws.person_capacity && !ws.values.empty()) return;
  const Plan& plan = *bound.plan;
  ws.household_capacity = std::max(ws.household_capacity, households);
  ws.person_capacity = std::max(ws.person_capacity, std::max<size_t>(persons, 1));
  ws.values.resize(plan.regs.size());
  ws.known.resize(plan.regs.size());
  for (size_t i = 0; i < plan.regs.size(); ++i) {
    if (plan.regs[i].input >= 0) continue;
    size_t cap = plan.regs[i].entity == Entity::kHousehold ? ws.household_capacity : ws.person_capacity;
    ws.values[i].assign(cap, 0.0);
    ws.known[i].assign(cap, 0);
  }
  fill_constants(bound, ws);
}

}  // namespace

void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1) {
  const Plan& plan = *bound.plan;
  ws.h0 = h0;
  ws.h1 = h1;
  ws.p0 = batch.person_offsets[h0];
  ws.p1 = batch.person_offsets[h1];
  reserve(bound, ws, h1 - h0, ws.p1 - ws.p0);
  ws.offsets.resize(h1 - h0 + 1);
  for (size_t h = h0; h <= h1; ++h) ws.offsets[h - h0] = batch.person_offsets[h] - static_cast<uint32_t>(ws.p0);

  ws.v.resize(plan.regs.size());
  ws.k.resize(plan.regs.size());
  for (size_t i = 0; i < plan.regs.size(); ++i) {
    const Register& r = plan.regs[i];
    if (r.input >= 0) {
      size_t at = r.entity == Entity::kHousehold ? h0 : ws.p0;
      const Column& col = batch.inputs[static_cast<size_t>(r.input)];
      ws.v[i] = col.value.data() + at;
      ws.k[i] = col.known.data() + at;
    } else {
      ws.v[i] = ws.values[i].data();
      ws.k[i] = ws.known[i].data();
    }
  }

  for (const Instr& in : plan.instrs) {
    const size_t n = rows_of(plan.regs[static_cast<size_t>(in.dest)], ws);
    double* ov = ws.out_v(in.dest);
    uint8_t* ok = ws.out_k(in.dest);
    const double* av = in.a >= 0 ? ws.v[static_cast<size_t>(in.a)] : nullptr;
    const uint8_t* ak = in.a >= 0 ? ws.k[static_cast<size_t>(in.a)] : nullptr;
    const double* bv = in.b >= 0 ? ws.v[static_cast<size_t>(in.b)] : nullptr;
    const uint8_t* bk = in.b >= 0 ? ws.k[static_cast<size_t>(in.b)] : nullptr;
    const double* cv = in.c >= 0 ? ws.v[static_cast<size_t>(in.c)] : nullptr;
    const uint8_t* ck = in.c >= 0 ? ws.k[static_cast<size_t>(in.c)] : nullptr;

    auto binary = [&](auto f) {
      for (size_t i = 0; i < n; ++i) {
        ov[i] = f(av[i], bv[i]);
        ok[i] = ak[i] & bk[i];
      }
    };
    auto unary = [&](auto f) {
      for (size_t i = 0; i < n; ++i) {
        ov[i] = f(av[i]);
        ok[i] = ak[i];
      }
    };
    switch (in.op) {
      case Op::kConst: case Op::kParam: case Op::kDate: break;
      case Op::kNeg: unary([](double a) { return -a; }); break;
      case Op::kNot: unary([](double a) { return a != 0 ? 0.0 : 1.0; }); break;
      case Op::kAdd: binary([](double a, double b) { return a + b; }); break;
      case Op::kSub: binary([](double a, double b) { return a - b; }); break;
      case Op::kMul: binary([](double a, double b) { return a * b; }); break;
      case Op::kDiv:
        for (size_t i = 0; i < n; ++i) {
          ov[i] = bv[i] != 0 ? av[i] / bv[i] : 0;
          ok[i] = ak[i] & bk[i] & (bv[i] != 0);
        }
        break;
      case Op::kLt: binary([](double a, double b) { return a < b - tolerance(a, b) ? 1.0 : 0.0; }); break;
      case Op::kLe: binary([](double a, double b) { return a <= b + tolerance(a, b) ? 1.0 : 0.0; }); break;
      case Op::kGt: binary([](double a, double b) { return a > b + tolerance(a, b) ? 1.0 : 0.0; }); break;
      case Op::kGe: binary([](double a, double b) { return a >= b - tolerance(a, b) ? 1.0 : 0.0; }); break;
      case Op::kEq: binary([](double a, double b) { return std::fabs(a - b) <= tolerance(a, b) ? 1.0 : 0.0; }); break;
      case Op::kNe: binary([](double a, double b) { return std::fabs(a - b) > tolerance(a, b) ? 1.0 : 0.0; }); break;
      case Op::kAnd:
        // Kleene: false and unknown is false.
        for (size_t i = 0; i < n; ++i) {
          bool a = av[i] != 0, b = bv[i] != 0;
          ok[i] = (ak[i] & bk[i]) | (ak[i] & !a) | (bk[i] & !b);
          ov[i] = (a && b) ? 1.0 : 0.0;
        }
        break;
      case Op::kOr:
        // Kleene: true or unknown is true.
        for (size_t i = 0; i < n; ++i) {
          bool a = ak[i] && av[i] != 0, b = bk[i] && bv[i] != 0;
          ok[i] = (ak[i] & bk[i]) | a | b;
          ov[i] = (a || b || (av[i] != 0 && bv[i] != 0)) ? 1.0 : 0.0;
        }
        break;
      case Op::kIf:
        // An unknown condition still decides when both branches agree.
        for (size_t i = 0; i < n; ++i) {
          bool c = av[i] != 0;
          if (ak[i]) {
            ov[i] = c ? bv[i] : cv[i];
            ok[i] = c ? bk[i] : ck[i];
          } else {
            ov[i] = bv[i];
            ok[i] = bk[i] & ck[i] & (std::fabs(bv[i] - cv[i]) <= tolerance(bv[i], cv[i]));
          }
        }
        break;
      case Op::kMin: binary([](double a, double b) { return std::min(a, b); }); break;
      case Op::kMax: binary([](double a, double b) { return std::max(a, b); }); break;
      case Op::kRoundCent: unary(round_cent); break;
      case Op::kCertainly:
        for (size_t i = 0; i < n; ++i) {
          ov[i] = ak[i] && av[i] != 0 ? 1.0 : 0.0;
          ok[i] = 1;
        }
        break;
      case Op::kScale: {
        double f = in.imm;
        unary([f](double a) { return a * f; });
        break;
      }
      case Op::kAge:
        for (size_t i = 0; i < n; ++i) {
          ok[i] = ak[i] & bk[i];
          ov[i] = ok[i] ? age_in_years(static_cast<Days>(av[i]), static_cast<Days>(bv[i])) : 0;
        }
        break;
      case Op::kStartOfYear:
        for (size_t i = 0; i < n; ++i) {
          ok[i] = ak[i];
          ov[i] = ok[i] ? start_of_year(static_cast<Days>(av[i])) : 0;
        }
        break;
      case Op::kInSet: case Op::kInParam: {
        const auto& set = in.op == Op::kInSet ? plan.code_sets[static_cast<size_t>(in.aux)]
                                              : bound.param_sets[static_cast<size_t>(in.aux)];
        for (size_t i = 0; i < n; ++i) {
          ok[i] = ak[i];
          ov[i] = std::binary_search(set.begin(), set.end(), static_cast<int32_t>(av[i])) ? 1.0 : 0.0;
        }
        break;
      }
      case Op::kMapCode: {
        const auto& map = plan.code_maps[static_cast<size_t>(in.aux)];
        for (size_t i = 0; i < n; ++i) {
          auto id = static_cast<size_t>(ak[i] ? av[i] : -1);
          bool found = ak[i] && id < map.size() && map[id] >= 0;
          ok[i] = found;
          ov[i] = found ? map[id] : 0;
        }
        break;
      }
      case Op::kBracket: {
        const auto& rows = bound.scales[static_cast<size_t>(in.aux)];
        bool lower_inclusive = in.imm != 0;
        for (size_t i = 0; i < n; ++i) {
          const ScaleRow* hit = nullptr;
          for (const auto& row : rows)
            if (lower_inclusive ? av[i] >= row.threshold : av[i] > row.threshold) hit = &row;
          ok[i] = ak[i] && hit;
          ov[i] = hit ? hit->amount : 0;
        }
        break;
      }
      case Op::kBroadcast:
        for (size_t h = 0; h + 1 < ws.offsets.size(); ++h)
          for (uint32_t p = ws.offsets[h]; p < ws.offsets[h + 1]; ++p) {
            ov[p] = av[h];
            ok[p] = ak[h];
          }
        break;
      case Op::kSum: case Op::kCount: case Op::kAny: case Op::kAll:
        for (size_t h = 0; h + 1 < ws.offsets.size(); ++h) {
          double acc = in.op == Op::kAll ? 1 : 0;
          bool known = true, decided = false;
          for (uint32_t p = ws.offsets[h]; p < ws.offsets[h + 1]; ++p) {
            bool fk = !ak || ak[p], f = !av || av[p] != 0;
            bool vk = !bk || bk[p], v = !bv || bv[p] != 0;
            if (fk && !f) continue;  // this person is not concerned
            switch (in.op) {
              case Op::kCount:
                if (!fk) known = false;
                acc += 1;
                break;
              case Op::kSum:
                if (vk && bv[p] == 0) break;
                if (!fk || !vk) known = false;
                acc += vk ? bv[p] : 0;
                break;
              case Op::kAny:
                if (fk && vk && v) decided = true;
                else if (!(vk && !v)) known = false;
                break;
              default:  // kAll: every concerned person satisfies the value
                if (vk && !v) {
                  if (fk) decided = true;
                  else known = false;
                } else if (!vk) {
                  known = false;
                }
                break;
            }
          }
          if (in.op == Op::kAny) acc = decided ? 1 : 0;
          if (in.op == Op::kAll) acc = decided ? 0 : 1;
          ov[h] = acc;
          ok[h] = decided || known;
        }
        break;
    }
  }
}

Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options) {
  const Plan& plan = *bound.plan;
  const Program& program = *plan.program;
  Outcome out;
  out.entity = program.entity;
  out.results = plan.result_regs.size();
  size_t rows = program.entity == Entity::kHousehold ? batch.households() : batch.persons();
  out.status.assign(rows, Status::kUndetermined);
  out.values.assign(rows * out.results, 0);
  out.known.assign(rows * out.results, 0);
  out.missing.resize(rows);
  if (options.explain) out.explanations.resize(rows);

  size_t chunk = std::max<size_t>(1, options.chunk_households);
  size_t chunks = (batch.households() + chunk - 1) / chunk;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    Workspace ws;
    for (size_t c; (c = next.fetch_add(1)) < chunks;) {
      size_t h0 = c * chunk, h1 = std::min(batch.households(), h0 + chunk);
      run_chunk(bound, batch, ws, h0, h1);
      size_t r0 = program.entity == Entity::kHousehold ? h0 : ws.p0;
      size_t r1 = program.entity == Entity::kHousehold ? h1 : ws.p1;
      const double* ev = ws.v[static_cast<size_t>(plan.eligible_reg)];
      const uint8_t* ek = ws.k[static_cast<size_t>(plan.eligible_reg)];
      for (size_t r = r0; r < r1; ++r) {
        size_t i = r - r0;
        Status s = !ek[i] ? Status::kUndetermined : ev[i] != 0 ? Status::kEligible : Status::kIneligible;
        bool needs_trace = s == Status::kUndetermined;
        for (size_t j = 0; j < out.results; ++j) {
          size_t reg = static_cast<size_t>(plan.result_regs[j]);
          double value = ws.v[reg][i];
          uint8_t known = ws.k[reg][i];
          if (!known && s == Status::kEligible) {
            // Eligible whatever the unknowns: give the least favourable result.
            needs_trace = true;
            int fb = plan.fallback_regs[j];
            if (fb >= 0 && ws.k[static_cast<size_t>(fb)][i]) {
              value = ws.v[static_cast<size_t>(fb)][i];
              known = 1;
            }
          }
          out.values[r * out.results + j] = value;
          out.known[r * out.results + j] = known;
          if (!known && s == Status::kEligible) s = Status::kUndetermined;
        }
        out.status[r] = s;
        if (needs_trace) out.missing[r] = missing_inputs(bound, batch, codes, ws, r, s);
        if (options.explain) out.explanations[r] = std::make_unique<Explanation>(explain(bound, batch, codes, ws, r));
      }
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

}  // namespace proactif
