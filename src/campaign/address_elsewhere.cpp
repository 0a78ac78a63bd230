#include "campaign/address_elsewhere.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "campaign/targeting.hpp"
#include "population/batch_select.hpp"

namespace proactif {

namespace {

// Whether household `h` of `batch` would be decided alike, its commune
// replaced by each of `communes`: the same status and results for each of
// its rows (each person of the program's foyer, for a program decided per
// person) as `outcome` gives it.
// The household commune column the plan reads; none when it reads no commune.
std::optional<size_t> commune_column(const Engine& engine, const BoundPlan& bound) {
  const auto& slots = engine.schema.slots;
  auto slot = std::find_if(slots.begin(), slots.end(), [](const InputSlot& s) {
    return s.entity == Entity::kHousehold && s.domain == CodeDomain::kCommune;
  });
  const size_t column = static_cast<size_t>(slot - slots.begin());
  const auto& read = bound.plan->input_of_slot;
  if (slot == slots.end() || column >= read.size() || read[column] < 0) return std::nullopt;
  return column;
}

// Whether `each` holds of household `h` of `batch` in each of `communes`,
// its commune replaced by it: `each(there, r, first + r)` for each of its
// rows (each person of the program's foyer, for a program decided per
// person; a person the foyer leaves out is a subject of their own), with
// `there` the outcome there. A commune no code names fails.
template <typename Each>
bool in_each_commune(const BoundPlan& bound, const Engine& engine, const Batch& batch, const Outcome& outcome, size_t h,
                     const std::vector<std::string>& communes, size_t column, const Each& each,
                     const EvalOptions& options = {}) {
  std::vector<bool> person_columns;
  for (const auto& slot : engine.schema.slots) person_columns.push_back(slot.entity == Entity::kPerson);
  Batch one = select_households(batch, {h}, person_columns);
  const bool per_person = outcome.entity == Entity::kPerson;
  const size_t first = per_person ? batch.person_offsets[h] : h;
  const size_t rows = per_person ? batch.person_offsets[h + 1] - first : 1;
  for (const std::string& commune : communes) {
    auto id = engine.codes.find(commune);
    if (!id) return false;
    one.inputs[column].value[0] = *id;
    Outcome there = evaluate(bound, one, engine.codes, options);
    for (size_t r = 0; r < rows; ++r) {
      if (per_person && !outcome.foyer.empty() && outcome.foyer[first + r] == Membership::kOutside) continue;
      if (!each(there, r, first + r)) return false;
    }
  }
  return true;
}

// Whether household `h` would be decided alike in each of `communes`: the
// same status and results for each of its rows as `outcome` gives it.
bool decided_alike_in(const BoundPlan& bound, const Engine& engine, const Batch& batch, const Outcome& outcome, size_t h,
                      const std::vector<std::string>& communes, size_t column) {
  return in_each_commune(bound, engine, batch, outcome, h, communes, column,
                         [&](const Outcome& there, size_t r, size_t here_row) {
                           if (there.status[r] != outcome.status[here_row]) return false;
                           for (size_t k = 0; k < outcome.results; ++k) {
                             const double here = outcome.value(here_row, k), elsewhere = there.value(r, k);
                             if (here != elsewhere && !(std::isnan(here) && std::isnan(elsewhere))) return false;
                           }
                           return true;
                         });
}

}  // namespace

AddressDoubt weigh_address_elsewhere(const std::string& postcode, const Engine& engine, const BoundPlan& bound,
                                     const Batch& batch, const Outcome& outcome, size_t h,
                                     const std::vector<std::string>& transmission_departements) {
  if (postcode.empty() || !engine.territory) return {};
  // An address no French commune's code places (Monaco's 98000, a foreign
  // code): the household may live where none of these rights is theirs, nor
  // any paying body here serves it.
  return weigh_communes(engine.territory->communes_near_postcode(postcode), engine, bound, batch, outcome, h,
                        transmission_departements);
}

AddressDoubt weigh_communes(const std::vector<std::string>& there, const Engine& engine, const BoundPlan& bound,
                            const Batch& batch, const Outcome& outcome, size_t h,
                            const std::vector<std::string>& transmission_departements) {
  AddressDoubt doubt;
  if (!engine.territory) return doubt;
  if (!transmission_departements.empty())
    doubt.outside_area = there.empty() || std::any_of(there.begin(), there.end(), [&](const std::string& commune) {
                           return !served_by(transmission_departements, engine.territory.get(), commune);
                         });
  // A program that reads no commune decides alike wherever the household lives.
  const std::optional<size_t> column = commune_column(engine, bound);
  if (!column) return doubt;
  doubt.decided_otherwise = there.empty() || !decided_alike_in(bound, engine, batch, outcome, h, there, *column);
  return doubt;
}

bool not_eligible_in_each(const std::vector<std::string>& communes, const Engine& engine, const BoundPlan& bound,
                          const Batch& batch, const Outcome& outcome, size_t h) {
  const std::optional<size_t> column = engine.territory ? commune_column(engine, bound) : std::nullopt;
  if (!column || communes.empty()) return false;
  return in_each_commune(bound, engine, batch, outcome, h, communes, *column,
                         [](const Outcome& there, size_t r, size_t) { return there.status[r] == Status::kIneligible; });
}

bool may_live_outside(const std::vector<std::string>& departements, const Engine& engine,
                      const std::vector<std::string>& communes) {
  return communes.empty() || std::any_of(communes.begin(), communes.end(), [&](const std::string& commune) {
           return !served_by(departements, engine.territory.get(), commune);
         });
}

std::string commune_of(const Snapshot& snapshot, size_t household) {
  const SnapshotColumn* c = snapshot.column("commune", false);
  if (!c || !c->text || c->string[household] == UINT32_MAX) return "";
  return std::string(snapshot.strings.at(c->string[household]));
}

bool add_address_elsewhere(Snapshot& snapshot, const Engine& engine, size_t h, const std::string& postcode,
                           const std::string& where) {
  if (postcode.empty() || !engine.territory) return false;
  const CommuneInfo* read = engine.territory->find(commune_of(snapshot, h));
  if (!read) return false;  // no commune read: the decision reads none to doubt
  const std::vector<std::string> there = engine.territory->communes_near_postcode(postcode);
  if (there.empty()) return false;
  for (const std::string& commune : there)
    if (const CommuneInfo* c = engine.territory->find(commune); c && c->commune == read->commune) return false;
  auto& doubts = snapshot.communes_elsewhere[static_cast<uint32_t>(h)];
  for (const std::string& commune : there)
    if (std::none_of(doubts.begin(), doubts.end(), [&](const auto& c) { return c.first == commune; }))
      doubts.emplace_back(commune, where);
  return true;
}

std::vector<std::string> communes_in_doubt(const Snapshot& snapshot, const Engine& engine, size_t home) {
  auto other = snapshot.communes_elsewhere.find(static_cast<uint32_t>(home));
  if (other == snapshot.communes_elsewhere.end()) return {};
  const CommuneInfo* read = engine.territory ? engine.territory->find(commune_of(snapshot, home)) : nullptr;
  std::vector<std::string> communes;
  for (const auto& [commune, where] : other->second) {
    const CommuneInfo* there = engine.territory ? engine.territory->find(commune) : nullptr;
    if (read && there && there->commune == read->commune) return {};
    communes.push_back(commune);
  }
  return communes;
}

bool excluded_by_dwelling_in_one_of(const std::vector<std::string>& communes, const Engine& engine,
                                    const BoundPlan& bound, const Batch& batch, const Outcome& outcome, size_t h) {
  const std::optional<size_t> column = engine.territory ? commune_column(engine, bound) : std::nullopt;
  if (!column) return false;
  EvalOptions dwelling;
  dwelling.dwelling = true;
  for (const std::string& commune : communes)
    if (in_each_commune(bound, engine, batch, outcome, h, {commune}, *column,
                        [](const Outcome& there, size_t r, size_t) { return there.dwelling_excluded[r] != 0; }, dwelling))
      return true;
  return false;
}

}  // namespace proactif
