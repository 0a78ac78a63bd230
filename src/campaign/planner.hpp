// From decisions to actions: a campaign's programs evaluated over its
// population (each person a program's foyer leaves out of their household
// as a foyer of their own), then, subject by subject, who is acted on and
// how, by the rules of targeting.hpp, each skip counted by reason. A
// decision that leads to an action is stored with its explanation (data
// and their source, parameters, operations) and the program's hash, in the
// same transaction as its action. Households found not eligible are
// counted, and nothing about them is kept.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "campaign/campaign.hpp"
#include "campaign/contacts.hpp"
#include "eval/outcome.hpp"
#include "eval/engine.hpp"
#include "population/snapshot.hpp"
#include "sources/source_mapping.hpp"
#include "store/store.hpp"

namespace proactif {

struct ProgramPlan {
  std::string program;
  int64_t eligible = 0, not_eligible = 0, undetermined = 0;
  int64_t own_foyers = 0;  // persons evaluated as a foyer of their own (counted in the outcomes above)
  std::map<std::string, int64_t> skipped;  // by reason
  std::map<std::string, int64_t> planned;  // "notify by email"
  // Grants asked for that could not be made, the subject told instead: by reason.
  std::map<std::string, int64_t> told_not_granted;
  // Told to claim, having accepted with their claim within the year that
  // the request be transmitted (AcceptedWithClaim): the notice says so.
  int64_t told_request_accepted = 0;
  // Refusals an event recorded with an earlier claim, replaced by the
  // acceptance the extracts record with a later one (CASF R262-102 1°).
  int64_t refusals_replaced = 0;
};

struct PlanReport {
  int64_t households = 0, persons = 0;
  // Of the households, the persons no extract places with others (kAloneHousehold):
  // each a household of one, whose decisions wait for who they live with.
  int64_t persons_alone = 0;
  std::vector<ProgramPlan> programs;
  std::map<std::string, int64_t> reached;  // channel -> households (or persons of their own foyer) written to
  // Subjects whose contact details were read from the main extract: those
  // acted on, and no one else (an objector under other numbers included).
  int64_t contacts_read = 0;
  // Letters sent to an address another administration's extract holds, by that administration.
  std::map<std::string, int64_t> letters_at_address_elsewhere;
  // Addresses another administration holds that were not used: its row is
  // not certainly the person's (campaign/contacts.hpp certainly_same_person).
  std::map<std::string, int64_t> addresses_elsewhere_unconfirmed;
  // Members of a request transmitted whose NIR only another extract gives,
  // not sent (its row not certainly theirs by the same test, or another
  // member's too, or its NIR disputed), by that extract.
  std::map<std::string, int64_t> nirs_elsewhere_unconfirmed;
  // Households no channel could reach, by the reason of the first right
  // found for them, listed for the social services of their commune.
  std::map<std::string, int64_t> left_for_social_services;
  std::string social_services_list;  // the folder of the lists (one per commune), when there is one
  // Data asked of API Particulier before the decisions (campaign/api_particulier_fill.hpp):
  // "quotient_familial: found" -> count, and what was not asked, by reason.
  std::map<std::string, int64_t> api_particulier;
  // Values of the population read as unknown: codes the programs do not
  // know, values outside their domain (eval/snapshot_batch.hpp); empty when none.
  std::string read_as_unknown;
  // The refusals an event recorded that a later claim's acceptance replaced,
  // per program, for the audit trail (not kept with the run's summary).
  std::vector<std::string> refusals_replaced;
  // Refusals the law has transmitted (CASF R262-106 II) that the campaign
  // could not: a request of the year standing, which only `object` or the
  // claim's event withdraws, or a member the paying body could not
  // identify. An agent must act: the run exits 1.
  int64_t refusals_for_an_agent = 0;
};

// Campaigns and events act on subjects. For a program deciding per person
// (a fare), the subject is acted on once, for its first eligible person of
// the foyer, else its first undetermined one: the outcome row that decides.
size_t representative_row(const Program& program, const Batch& batch, const Outcome& outcome, size_t h);

// SHA-256 of the program and the parameter files it applies, hashed
// together: the decision can be re-derived from exactly these texts.
Result<std::string> program_hash(const Program& program);

// A campaign or event may grant only a program that declares an automatic
// route (CSS L861-2 for the C2S with the RSA), an event only where it is
// one of a route's `events` (`event` empty: a campaign); else the error
// says why.
Result<void> check_grants(const std::string& file, const std::vector<CampaignProgram>& programs, const Engine& engine,
                          const std::string& event = "");

// What the paying body receives (CASF R262-103 and R262-104-1): who (the
// foyer's members with their identity and NIR), the family situation, the
// person's acceptance or refusal and its date, the route and its legal
// basis, and the decision that supports it.
struct Transmission {
  std::string code;                 // the request's verification code
  std::string household, event, event_date;
  bool refused = false;             // a refusal is transmitted too (R262-106 II)
  std::string choice_date;          // when the person accepted or refused (CASF R262-104-1)
  std::vector<PersonIdentity> members;
  // Each member's relationship to the claimant (R262-103 I A 1° d, as
  // décret n° 2022-565 wrote it): the role the extracts give, its code and
  // the program's label; empty where not known.
  std::vector<std::pair<std::string, std::string>> relationships;
  bool couple = false;
  int dependants = 0;
  std::string family_since;  // the day since which the family situation is what it is (ISO), when known
  std::string decision_json;
};
std::string transmission_json(const Campaign& rules, const Program& program, const Transmission& t);
// The family situation of household h's foyer, as a transmission states
// it: a spouse or partner, how many dependants, each member's relationship
// to the claimant (in the order of the members it names: the foyer's
// persons in the household's order).
void family_situation(const Plan& plan, const CodeTable& codes, const Batch& batch, const Outcome& outcome, size_t h,
                      Transmission& t);

// The folder of a run's lists for the social services (one file per
// commune): the campaign's working folder, services-sociaux/, the run id
// with ':' as '-'.
std::string social_services_folder(const Campaign& campaign, const std::string& run_id);

// The claim a household is told: `claim`, unless it may live where the body
// it would claim at does not serve (`outside_area`: a grant's paying body,
// or the claim's own for another commune the household may live in), or
// the claim's body serves other départements than its commune's, or its
// commune is not known: then the body where it lives.
ClaimSteps claim_for(const ClaimSteps& claim, bool outside_area, const Territory* territory,
                     const std::string& commune);

// A household's acceptance, recorded with the claim an automatic route
// names (a campaign's `acceptance`), that its request be transmitted by
// that route: a notice telling it to claim the right says the request may
// be on its way already (the CAF transmits the C2S request with the RSA
// claim, CASF R262-104-1), so that it is not made twice unknowingly.
struct AcceptedWithClaim {
  std::string date;    // ISO
  std::string source;  // the extract that records it, as a person reads it
};

// The variables of a message to the person (notify, notify_possible,
// grant_notice) as the message templates read them: the right and its
// estimated amounts, what was checked and from which administrations, what
// is left to confirm, the data used and their sources (GDPR art. 14), how
// to object, the code.
// `data_date`: the day the data describe (the oldest extract's, an event's).
// `request_code`: for a grant notice, the code of the request transmitted,
// under which the paying body knows it; `members`, the persons it names,
// so that the notice says what it carries of their identity.
// `receiving_from`: where it was read that they do not already receive it
// (`already_receiving`), which chose to write to them.
// A right decided person by person is said of the members it is found for
// (the status of `row`), named as `persons_named` gives them (their rows'
// names), "vous" for the one written to: the allocataire is not told that
// they may be entitled where their child is.
std::string notice_json(const Campaign& campaign, const CampaignProgram& config, const std::string& data_date,
                        const Program& program, const BoundPlan& bound, const CodeTable& codes, const Batch& batch,
                        const Outcome& outcome, size_t row, const std::string& action, const Contact& contact,
                        const std::string& code, const std::string& request_code = "",
                        const std::vector<PersonIdentity>& members = {},
                        const std::vector<std::string>& receiving_from = {}, const AcceptedWithClaim* accepted = nullptr,
                        const std::unordered_map<std::string, Contact>* persons_named = nullptr,
                        bool replaces_notice = false);

// How far the storing of a plan is, for whoever follows it: the subjects
// acted on (households, or persons of their own foyer) whose decisions and
// actions are stored or set aside, of all those to act on; the time since
// storing began. Evaluating everyone takes seconds; storing, with each
// decision's explanation, takes most of a large campaign's planning.
struct PlanningProgress {
  int64_t done = 0, due = 0;
  double seconds = 0;
  bool finished = false;
};
using PlanningObserver = std::function<void(const PlanningProgress&)>;

// `contacts`: the extracts that declare contact columns, the one that
// defines households first; a household it gives no postal address for is
// written to at the address the next ones hold for one of its persons.
// `nir_extracts`: the other extracts that give a NIR, in the campaign's
// order, where a transmitted member's NIR is looked for when the first
// gives none.
// `observe`, when given, is called after each transaction and at the end.
Result<PlanReport> plan_campaign(const Campaign& campaign, const Engine& engine, const Snapshot& snapshot,
                                 const std::vector<SourceMapping>& contacts, const std::vector<SourceMapping>& nir_extracts,
                                 Store& store, const std::string& run_id, const PlanningObserver& observe = {});

}  // namespace proactif
