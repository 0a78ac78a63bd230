// Whether a decision about a subject (a household, or a person who forms a
// foyer of their own) leads to an action, and which: the rules written once,
// for campaigns and events alike. Nobody is acted on who objected or
// refused (GDPR art. 21; CNIL délibération 2022-101: the fight against
// non-take-up must not override the right to decline), who already receives
// the benefit, who was already acted on for the program and period, whose
// identity link is under review, or whose household's data are incomplete;
// and a right is granted without the person's request only where the law
// gives an automatic route (Program::automatic_routes), for a foyer whose
// members are all known, none of whom may already receive it.
#pragma once

#include "campaign/campaign.hpp"
#include "eval/outcome.hpp"
#include "population/territory.hpp"

namespace proactif {

enum class Skip : uint8_t {
  kNone,
  kObjected,
  kAlreadyReceiving,
  kAlreadyActedOn,
  kUnderReview,
  kIncompleteHousehold,
  kNoActionForOutcome,
  kNoLegalRoute,
  kReceivingUnknown,
  kFoyerUnknown,
  kAlreadyRequested,
  kAlreadyTold,
  kAcceptanceUnknown,
  kIdentityUnknown,
  kOutsideArea,
  kWaitsForUnsourced,
  kDecidedOtherwiseAtAddress,
  kDecidedOtherwiseInCommuneElsewhere,
  kNotEligibleInAnyCommuneGiven,
};
// As the campaign report counts them: "objected or refused", ...
const char* skip_reason(Skip s);

// What the rules need to know of a subject; each fact is established by the
// caller from its store, extracts or event.
struct SubjectFacts {
  Status status = Status::kIneligible;
  bool objected = false;           // the subject or one of its persons objected, or refused the benefit
  bool already_receiving = false;  // the extracts (or the event) say the benefit is received
  // This program and period, by any run: for a program that grants, a
  // request (sent, withdrawn, or cancelled by a refusal); else any action.
  bool already_acted_on = false;
  // For a program that grants: a notice of this period, which does not hold
  // a request the route gives once the data that withheld it are complete
  // (a tester's request lost for the month), but does a second notice.
  bool told_this_period = false;
  // The same foyer told in this period under other household numbers (a
  // case renumbered since): a request replaces those notices too.
  std::vector<std::string> told_this_period_under;
  bool under_review = false;       // a person's identity link is under review
  bool incomplete = false;         // a member rejected at ingestion, or not placed in a household
  bool legal_route = false;        // an automatic route of the program holds for this decision
  bool receiving_unknown = false;  // whether a person a grant would cover already receives it is not known
  bool foyer_unknown = false;      // whether a person listed belongs to the program's foyer is not known
  // A campaign's grant: no acceptance of the request, made with the claim
  // the route names within the year, is recorded (an event carries its own).
  bool acceptance_unknown = false;
  // A member of the foyer a request names is given neither a NIR nor their
  // names: the paying body could not tell who they are (CASF R262-103).
  bool identity_unknown = false;
  // The household's commune is not known to be in a département the paying
  // body serves (transmission.departements): its request would go to a
  // body that does not hold its right.
  bool outside_area = false;
  // The postal address is in another commune, where the decision would not
  // be the same (address_elsewhere.hpp): the household may live there now.
  bool decided_otherwise_at_address = false;
  // Another administration's extract gives a member another commune
  // (Snapshot::communes_elsewhere), where the decision would not be the
  // same: which one the household lives in is not known.
  bool decided_otherwise_in_commune_elsewhere = false;
  // Members' rows of one extract gave several communes, so the decision,
  // which reads it, is undetermined; the household is eligible in none of
  // them: it is not entitled wherever it lives, and no possible right is
  // told (a possible right to Brest's fare went to a household whose rows
  // gave two communes of the Isère).
  bool not_eligible_in_any_commune_given = false;
  bool already_requested = false;  // a request of another period within the year stands (Store::acted_within_year)
  bool told_of_right = false;      // a notice of the right (or of a grant) went for another period within the year
  bool told_of_possible = false;   // a notice of a possible right went then
  // Undetermined for want only of data that nothing the campaign reads
  // gives anyone (a scholarship where no scholarship holders' file is
  // read): a possible right told on it would be told to a whole
  // population, which nothing read can narrow.
  bool waits_for_unsourced = false;
};

struct Targeting {
  ActionKind action = ActionKind::kNothing;  // kNothing with a reason when skipped
  Skip skip = Skip::kNone;
  // A grant asked for that cannot be made (no route in law for this
  // decision, whether already receiving or who is in the foyer unknown): the
  // subject is told of the right instead (action kNotify), for this reason;
  // or is not told again (skip kAlreadyTold), the reason still given.
  Skip not_granted = Skip::kNone;
};

// Ineligible decisions lead to nothing and are not skipped: they are
// counted apart, and nothing is kept about them. A grant that cannot be made
// becomes a notice: an entitled person is not left untold because the law
// gives no automatic route for them.
Targeting target(const CampaignProgram& config, const SubjectFacts& facts);

// The notices of the period a request cancels where not sent yet
// (told_this_period): one letter must not tell a person both to claim the
// right and that it was claimed for them.
inline const std::vector<std::string> kNoticesARequestReplaces = {"notify", "notify_possible"};

// Whether the foyer was told in the period, under its number or another.
inline bool told_in_the_period(const SubjectFacts& facts) {
  return facts.told_this_period || !facts.told_this_period_under.empty();
}

// Whether the refusal of the request a route names is transmitted to the
// paying body (CASF R262-106 II): for a grant, where the route holds, the
// body serves the household, its data are whole, no identity link is
// under review and each member it names is identified. Whether they are
// covered already, or who else may be of the foyer, does not keep the
// person's choice from going (it names the persons certainly of the
// foyer), nor what was requested or told before (a request that stands is
// withdrawn by it); an objection to the processing (`objected`, set by the
// caller where one is recorded apart from this refusal) does. For
// campaigns and events alike.
bool refusal_transmitted(const CampaignProgram& config, const SubjectFacts& facts);

// The reason target() would skip the subject whether it turns out eligible
// or undetermined (objected or refused, already receiving, already acted on,
// identity under review, household data incomplete, a request or a notice
// that stands within the year...), taking for granted what is not known
// before the decision (that a grant would have its legal route); kNone when
// some decision would lead to an action. What keeps a campaign from asking
// API Particulier about a subject it would not act on whatever the answer.
Skip skip_whatever_the_decision(const CampaignProgram& config, SubjectFacts facts);

// Whether some person of household `h` may or may not belong to the
// program's foyer: the data do not say (an unknown age, role or resources).
bool foyer_unknown(const Outcome& outcome, const Batch& batch, size_t h);

// The persons of household `h` a decision concerns: those of the program's
// foyer, and those who may be (all of them for a program without one). A
// person outside it is a foyer of their own: their objection is theirs, not
// the household's, and the decision is not withdrawn by it.
std::vector<std::string> persons_concerned(const Outcome& outcome, const Batch& batch, size_t h);
// The others: listed with the household, outside the program's foyer.
std::vector<std::string> persons_outside(const Outcome& outcome, const Batch& batch, size_t h);

// Whether one of the program's automatic routes holds for `row`: its
// condition certainly true, and the decision's variant one it grants.
bool automatic_route_holds(const Program& program, const Outcome& outcome, size_t row, const CodeTable& codes);

// Whether `commune` is certainly in one of the départements the paying body
// serves: not where the commune, or the territory that places it, is unknown.
bool served_by(const std::vector<std::string>& departements, const Territory* territory, const std::string& commune);

}  // namespace proactif
