#include "eval/outcome.hpp"

#include <algorithm>

namespace proactif {

const char* status_name(Status s) {
  switch (s) {
    case Status::kEligible: return "eligible";
    case Status::kIneligible: return "ineligible";
    case Status::kUndetermined: return "undetermined";
  }
  return "?";
}


bool reads_members(const Plan& plan) {
  for (const Instr& in : plan.instrs)
    switch (in.op) {
      case Op::kSum: case Op::kCount: case Op::kAny: case Op::kAll: case Op::kMinOver: case Op::kMaxOver:
      case Op::kRank: return true;
      default: break;
    }
  if (plan.program->entity == Entity::kPerson) return false;
  for (int r : plan.input_regs)
    if (plan.regs[static_cast<size_t>(r)].entity == Entity::kPerson) return true;
  return false;
}

bool incomplete_matters(const Plan& plan, const Batch& batch) {
  return !batch.incomplete.empty() && (batch.persons_alone || reads_members(plan));
}

std::span<const MissingInput> Outcome::missing_of(size_t row) const {
  // The last chunk that starts at or before the row: chunks without rows
  // (households without persons) start where the next one does.
  size_t c = static_cast<size_t>(std::upper_bound(chunk_first_row.begin(), chunk_first_row.end(), row) -
                                 chunk_first_row.begin()) - 1;
  const std::vector<MissingInput>& list = chunk_missing[c];
  size_t to = row + 1 < chunk_first_row[c + 1] ? missing_from[row + 1] : list.size();
  return {list.data() + missing_from[row], list.data() + to};
}

size_t Outcome::missing_count() const {
  size_t count = 0;
  for (const auto& list : chunk_missing) count += list.size();
  return count;
}

}  // namespace proactif
