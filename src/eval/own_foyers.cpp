#include "eval/own_foyers.hpp"

#include <cmath>

#include "core/date.hpp"

namespace proactif {

namespace {

// A minor whom a foyer leaves out (not at charge there, or with resources
// of their own) is not a foyer of their own to decide alone: their claim,
// if any, depends on the adults they live with or depend on. Decided alone
// as an applicant, they would be told of a right of their own. So, possibly,
// would a person of unknown age.
// `birth_slot`: the schema's birth date, or -1 when no program reads it.
const char* not_alone_reason(const Batch& batch, int birth_slot, uint32_t person) {
  // A program that reads no age (a fare on the household's quotient
  // familial) cannot tell a child of 6 from a lodger: such a person may be
  // a minor (a tester's finding: children not at charge were written to).
  if (birth_slot < 0)
    return "left out of this program's foyer, which reads no age: not decided alone, in case they are a minor";
  const double birth = batch.inputs[static_cast<size_t>(birth_slot)].value[person];
  if (std::isnan(birth))
    return "left out of this program's foyer, of unknown age: not decided alone, in case they are a minor";
  if (age_in_years(static_cast<Days>(birth), batch.date) < 18)
    return "a minor left out of this program's foyer: not decided alone, their claim depending on the adults they "
           "live with or depend on";
  return nullptr;
}

}  // namespace

OwnFoyers foyers_of_their_own(const InputSchema& schema, const CodeTable& codes, const Batch& batch,
                              const Outcome& outcome) {
  OwnFoyers own;
  Batch& b = own.batch;
  b.date = batch.date;
  b.persons_alone = true;
  b.source = batch.source;
  b.source_exact = batch.source_exact;
  b.origin_labels = batch.origin_labels;
  b.origin_sources = batch.origin_sources;
  b.origin_titles = batch.origin_titles;
  b.inputs.resize(batch.inputs.size());
  b.origins.resize(batch.origins.size());
  if (outcome.foyer.empty()) return own;
  const auto applicant = codes.find("applicant");
  int birth_slot = -1;
  for (size_t s = 0; s < schema.slots.size(); ++s)
    if (schema.slots[s].name == "birth_date" && schema.slots[s].entity == Entity::kPerson) birth_slot = static_cast<int>(s);
  for (size_t h = 0; h < batch.households(); ++h) {
    for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p) {
      if (outcome.foyer[p] != Membership::kOutside) continue;
      own.from.push_back(p);
      b.household_ids.push_back(batch.person_ids[p]);
      b.person_ids.push_back(batch.person_ids[p]);
      b.person_offsets.push_back(static_cast<uint32_t>(b.person_ids.size()));
      if (!batch.under_review.empty()) b.under_review.push_back(batch.under_review[p]);
      const auto household_incomplete = batch.incomplete_reasons(h);
      for (const auto& incomplete : household_incomplete)
        b.incomplete.emplace_back(static_cast<uint32_t>(b.households() - 1), incomplete.second);
      if (const char* reason = not_alone_reason(batch, birth_slot, p)) {
        b.incomplete.emplace_back(static_cast<uint32_t>(b.households() - 1), reason);
        if (household_incomplete.empty()) b.alone_in_doubt.push_back(static_cast<uint32_t>(b.households() - 1));
      }
      for (size_t s = 0; s < schema.slots.size(); ++s) {
        const InputSlot& slot = schema.slots[s];
        const bool per_person = slot.entity == Entity::kPerson;
        const bool kept = per_person || slot.dwelling;
        const size_t row = per_person ? p : h;
        // A household datum the extract that gave it says for its listed members.
        const bool said = !kept && s < batch.own_foyer_inputs.size() && !batch.own_foyer_inputs[s].value.empty();
        double value = kept ? batch.inputs[s].value[row] : said ? batch.own_foyer_inputs[s].value[p] : kUnknown;
        const bool role = per_person && slot.name == "role";  // the applicant of their own foyer
        if (role) value = applicant ? *applicant : kUnknown;
        b.inputs[s].value.push_back(value);
        if (s < batch.origins.size() && !batch.origins[s].empty())
          b.origins[s].push_back(kept && !role ? batch.origins[s][row] : said ? batch.own_foyer_origins[s][p] : ValueOrigin{});
      }
    }
  }
  return own;
}

PopulationOutcome evaluate_population(const BoundPlan& bound, const InputSchema& schema, const Batch& batch,
                                      const CodeTable& codes, const EvalOptions& options) {
  PopulationOutcome result;
  result.outcome = evaluate(bound, batch, codes, options);
  result.own = foyers_of_their_own(schema, codes, batch, result.outcome);
  if (result.own.batch.households() > 0) result.own_outcome = evaluate(bound, result.own.batch, codes, options);
  return result;
}

}  // namespace proactif
