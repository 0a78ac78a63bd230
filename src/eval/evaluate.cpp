// A batch's evaluation (outcome.hpp): its households in chunks run by
// threads through the interpreter (executor.hpp), each chunk's decisions
// settled column by column, and the inputs missing to those that wait named.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>

#include "eval/dwelling_conditions.hpp"
#include "eval/executor.hpp"
#include "eval/isa.hpp"
#include "eval/missing_columns.hpp"
#include "eval/outcome.hpp"
#include "eval/trace.hpp"

PROACTIF_ISA_BEGIN
#include "eval/lanes.hpp"

namespace proactif {
// Compiled once per instruction set in a portable build (eval/isa.hpp).
namespace PROACTIF_ISA {

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
// own decides (eval/own_foyers.hpp). For a person who may or
// may not belong to it, neither decides: undetermined too, naming what
// settles their membership, even where the foyer's decision holds whatever
// it is. Either is not eligible where the dwelling leaves nobody eligible
// (dwelling_conditions.hpp): the eligibility settled says so already.
// Returns whether any.
bool set_aside_not_members(const Plan& plan, const Workspace& ws, Outcome& out, size_t r0, size_t r1,
                           uint8_t* __restrict traced) {
  bool any = false;
  size_t household = 0;  // in the chunk
  for (size_t r = r0; r < r1; ++r) {
    if (out.foyer[r] == Membership::kMember) continue;
    while (ws.offsets[household + 1] <= r - ws.p0) ++household;
    if (dwelling_excludes(plan, ws, household, r - ws.p0)) continue;
    out.status[r] = Status::kUndetermined;
    for (size_t j = 0; j < out.results; ++j) out.values[j * out.rows() + r] = kUnknown;
    traced[r - r0] = 1;
    any = true;
  }
  return any;
}

}  // namespace


namespace {

// A person decided alone whose only doubt is that they are (a minor left
// out of a foyer: Batch::alone_in_doubt) is not eligible where the dwelling
// leaves nobody eligible, as the eligibility settled says.
bool settled_by_dwelling(const Plan& plan, const Workspace& ws, const Batch& batch, size_t h) {
  return std::binary_search(batch.alone_in_doubt.begin(), batch.alone_in_doubt.end(), h) &&
         dwelling_excludes(plan, ws, h - ws.h0, batch.person_offsets[h] - ws.p0);
}

// Decisions on a household whose data are incomplete (Batch::incomplete)
// would be taken on part of it: undetermined, whatever the rest says, with
// the reason among the missing inputs. Returns whether the chunk has any.
bool set_aside_incomplete(const Plan& plan, const Workspace& ws, const Batch& batch, Outcome& out, size_t h0, size_t h1) {
  bool any = false;
  for (size_t h = h0; h < h1; ++h) {
    if (batch.incomplete_reasons(h).empty() || settled_by_dwelling(plan, ws, batch, h)) continue;
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
void append_incomplete_reasons(const Plan& plan, const Workspace& ws, const Batch& batch, const Outcome& out, size_t h0,
                               size_t h1, size_t r0, std::vector<MissingInput>& missing, uint32_t* from) {
  const bool household = out.entity == Entity::kHousehold;
  std::vector<MissingInput> merged;
  merged.reserve(missing.size());
  size_t taken = 0;
  for (size_t h = h0; h < h1; ++h) {
    const size_t first = household ? h : batch.person_offsets[h], last = household ? h + 1 : batch.person_offsets[h + 1];
    auto reasons = settled_by_dwelling(plan, ws, batch, h) ? std::span<const std::pair<uint32_t, std::string>>{}
                                                            : batch.incomplete_reasons(h);
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
  if (options.explain) out.unchecked_applies.assign(program.not_evaluated.size(), std::vector<uint8_t>(rows, 1));
  if (options.dwelling) out.dwelling_excluded.assign(rows, 0);

  size_t chunk = std::max<size_t>(1, options.chunk_households);
  size_t chunks = (batch.households() + chunk - 1) / chunk;
  out.chunk_first_row.resize(chunks + 1);
  out.chunk_first_row[chunks] = rows;
  out.chunk_missing.resize(chunks);
  std::atomic<size_t> next{0};
  const bool per_household = program.entity == Entity::kHousehold;
  const bool incomplete_counts = incomplete_matters(plan, batch);
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
      // Computed only with the explanations (message_only): a decision
      // without them lists every condition.
      for (size_t k = 0; options.explain && k < plan.unchecked_regs.size(); ++k) {
        if (plan.unchecked_regs[k] < 0) continue;
        const double* applies = ws.v[static_cast<size_t>(plan.unchecked_regs[k])];
        for (size_t r = r0; r < r1; ++r) out.unchecked_applies[k][r] = applies[r - r0] != 0;  // NaN: unknown, listed
      }
      for (size_t h = 0; options.dwelling && h < h1 - h0; ++h) {
        if (per_household) out.dwelling_excluded[r0 + h] = dwelling_excludes(plan, ws, h, ws.offsets[h]);
        else
          for (size_t p = ws.offsets[h]; p < ws.offsets[h + 1]; ++p) out.dwelling_excluded[r0 + p] = dwelling_excludes(plan, ws, h, p);
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
      if (!per_household && plan.foyer_reg >= 0) any_traced |= set_aside_not_members(plan, ws, out, r0, r1, traced.data());
      const bool incomplete = incomplete_counts && set_aside_incomplete(plan, ws, batch, out, h0, h1);
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
            if (!out.foyer.empty() && out.foyer[r] == Membership::kUnknown)
              append_missing_membership(bound, ws, r, household, missing);
            append_missing_inputs(bound, ws, r, household, out.status[r], missing);
          }
          from[r - r0] = static_cast<uint32_t>(missing.size() - before);
        }
      }
      if (incomplete) append_incomplete_reasons(plan, ws, batch, out, h0, h1, r0, missing, from);
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
