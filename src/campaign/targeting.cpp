#include "campaign/targeting.hpp"

#include <algorithm>

namespace proactif {

const char* skip_reason(Skip s) {
  switch (s) {
    case Skip::kNone: return "";
    case Skip::kObjected: return "objected or refused";
    case Skip::kAlreadyReceiving: return "already receiving";
    case Skip::kAlreadyActedOn: return "already acted on for this period";
    case Skip::kUnderReview: return "identity link under review";
    case Skip::kIncompleteHousehold: return "household data incomplete";
    case Skip::kNoActionForOutcome: return "no action for this outcome";
    case Skip::kNoLegalRoute: return "no automatic route in law";
    case Skip::kReceivingUnknown: return "not known whether already receiving";
    case Skip::kFoyerUnknown: return "not known who is in the foyer";
    case Skip::kAlreadyRequested: return "a request transmitted within 12 months of this period stands";
    case Skip::kAlreadyTold: return "told within 12 months of this period";
    case Skip::kAcceptanceUnknown: return "no acceptance of the request recorded with the claim within 12 months";
    case Skip::kIdentityUnknown: return "a member of the foyer given neither a NIR nor names";
    case Skip::kOutsideArea: return "living outside the départements the paying body serves, or where is not known";
    case Skip::kWaitsForUnsourced: return "possible right for want of data no extract gives";
    case Skip::kDecidedOtherwiseAtAddress: return "postal address in another commune, where the decision would not be the same";
    case Skip::kDecidedOtherwiseInCommuneElsewhere:
      return "another administration gives another commune, where the decision would not be the same";
    case Skip::kNotEligibleInAnyCommuneGiven: return "not eligible in any of the communes its members' rows give";
  }
  return "?";
}

namespace {

// The reasons not to act whatever the decision says, in target()'s order.
Skip standing_skip(const SubjectFacts& facts) {
  if (facts.objected) return Skip::kObjected;
  if (facts.already_receiving) return Skip::kAlreadyReceiving;
  if (facts.already_acted_on) return Skip::kAlreadyActedOn;
  if (facts.under_review) return Skip::kUnderReview;
  if (facts.incomplete) return Skip::kIncompleteHousehold;
  return Skip::kNone;
}

}  // namespace

Targeting target(const CampaignProgram& config, const SubjectFacts& facts) {
  if (facts.status == Status::kIneligible) return {};
  auto skip = [](Skip s) { return Targeting{ActionKind::kNothing, s}; };
  if (Skip s = standing_skip(facts); s != Skip::kNone) return skip(s);
  ActionKind action = facts.status == Status::kEligible ? config.eligible : config.undetermined;
  if (action == ActionKind::kNothing) return skip(Skip::kNoActionForOutcome);
  // Nothing is told, nor requested, of a right that may not be the
  // household's where it may live now.
  if (facts.decided_otherwise_at_address) return skip(Skip::kDecidedOtherwiseAtAddress);
  if (facts.decided_otherwise_in_commune_elsewhere) return skip(Skip::kDecidedOtherwiseInCommuneElsewhere);
  if (facts.not_eligible_in_any_commune_given) return skip(Skip::kNotEligibleInAnyCommuneGiven);
  Skip not_granted = Skip::kNone;
  if (action == ActionKind::kGrant) {
    // The person was told of that request when it went.
    if (facts.already_requested) return skip(Skip::kAlreadyRequested);
    if (!facts.legal_route) not_granted = Skip::kNoLegalRoute;
    else if (facts.receiving_unknown) not_granted = Skip::kReceivingUnknown;
    // The request names the foyer's members (CASF R262-103): one that may
    // belong to it would be left out of a request made in their name.
    else if (facts.foyer_unknown) not_granted = Skip::kFoyerUnknown;
    // The request carries the person's acceptance and its date (CASF
    // R262-104-1): without one, nothing says they want it sent.
    else if (facts.acceptance_unknown) not_granted = Skip::kAcceptanceUnknown;
    else if (facts.identity_unknown) not_granted = Skip::kIdentityUnknown;
    else if (facts.outside_area) not_granted = Skip::kOutsideArea;
    if (not_granted != Skip::kNone) action = ActionKind::kNotify;  // told instead
  }
  if (action != ActionKind::kGrant && facts.told_this_period) return {ActionKind::kNothing, Skip::kAlreadyActedOn, not_granted};
  if (facts.status == Status::kUndetermined && facts.waits_for_unsourced) return skip(Skip::kWaitsForUnsourced);
  // Told within the year, they are not told again the same: a possible
  // right that became certain is told, not the reverse.
  if (action == ActionKind::kNotify && facts.told_of_right) return {ActionKind::kNothing, Skip::kAlreadyTold, not_granted};
  if (action == ActionKind::kNotifyPossible && (facts.told_of_right || facts.told_of_possible))
    return skip(Skip::kAlreadyTold);
  return {action, Skip::kNone, not_granted};
}

bool refusal_transmitted(const CampaignProgram& config, const SubjectFacts& facts) {
  return config.eligible == ActionKind::kGrant && facts.status == Status::kEligible && facts.legal_route &&
         !facts.objected && !facts.outside_area && !facts.incomplete && !facts.under_review && !facts.identity_unknown;
}

Skip skip_whatever_the_decision(const CampaignProgram& config, SubjectFacts facts) {
  // The most favourable to acting of what only the decision would tell.
  facts.legal_route = true;
  facts.receiving_unknown = facts.foyer_unknown = facts.acceptance_unknown = facts.identity_unknown = false;
  facts.outside_area = facts.waits_for_unsourced = facts.decided_otherwise_at_address = false;
  facts.decided_otherwise_in_commune_elsewhere = facts.not_eligible_in_any_commune_given = false;
  facts.status = Status::kEligible;
  const Targeting eligible = target(config, facts);
  facts.status = Status::kUndetermined;
  const Targeting undetermined = target(config, facts);
  if (eligible.action != ActionKind::kNothing || undetermined.action != ActionKind::kNothing) return Skip::kNone;
  return eligible.skip != Skip::kNoActionForOutcome ? eligible.skip : undetermined.skip;
}

bool foyer_unknown(const Outcome& outcome, const Batch& batch, size_t h) {
  if (outcome.foyer.empty()) return false;
  for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p)
    if (outcome.foyer[p] == Membership::kUnknown) return true;
  return false;
}

std::vector<std::string> persons_concerned(const Outcome& outcome, const Batch& batch, size_t h) {
  std::vector<std::string> persons;
  for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p)
    if (outcome.foyer.empty() || outcome.foyer[p] != Membership::kOutside) persons.push_back(batch.person_ids[p]);
  return persons;
}

std::vector<std::string> persons_outside(const Outcome& outcome, const Batch& batch, size_t h) {
  std::vector<std::string> persons;
  for (uint32_t p = batch.person_offsets[h]; p < batch.person_offsets[h + 1]; ++p)
    if (!outcome.foyer.empty() && outcome.foyer[p] == Membership::kOutside) persons.push_back(batch.person_ids[p]);
  return persons;
}

bool automatic_route_holds(const Program& program, const Outcome& outcome, size_t row, const CodeTable& codes) {
  if (outcome.status[row] != Status::kEligible) return false;
  auto variant = std::find_if(program.results.begin(), program.results.end(),
                              [](const ResultDecl& r) { return r.value.name == "variant"; });
  for (size_t k = 0; k < program.automatic_routes.size(); ++k) {
    const AutomaticRoute& route = program.automatic_routes[k];
    if (!outcome.route_holds[k][row]) continue;
    if (route.variants.empty()) return true;
    size_t j = static_cast<size_t>(variant - program.results.begin());
    if (variant == program.results.end() || !outcome.is_known(row, j)) continue;
    const std::string& granted = codes.name(static_cast<int32_t>(outcome.value(row, j)));
    if (std::find(route.variants.begin(), route.variants.end(), granted) != route.variants.end()) return true;
  }
  return false;
}

bool served_by(const std::vector<std::string>& departements, const Territory* territory, const std::string& commune) {
  const CommuneInfo* c = territory && !commune.empty() ? territory->find(commune) : nullptr;
  return c && std::find(departements.begin(), departements.end(), c->departement) != departements.end();
}

}  // namespace proactif
