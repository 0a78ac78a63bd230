// An instant decision: one person asks (online, or an agent at the counter
// for them) and consents to the data listed being fetched; of the inputs the
// program declares `api_particulier:`, those the decision waits for are
// fetched, the others come from the person's answers; the program decides,
// the explanation names each datum's provider, route and date, and the
// decision is stored like a campaign's, under a reference the person keeps.
// A datum that cannot be fetched is left unknown (the decision is then
// undetermined) and the document to bring instead is named: the transport
// authority keeps a manual path. Where the program takes the person's
// statement of it (`stated:`, the RSA's student status, which a person who
// is not a student cannot prove), their answer stands in for a datum not
// obtained, and for the other persons' data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eval/engine.hpp"
#include "sources/api_particulier.hpp"
#include "store/store.hpp"

namespace proactif {

struct InstantRequest {
  std::string program;                          // a program id
  CivilIdentity person;
  std::map<std::string, std::string> answers;   // input name -> its value as JSON ("\"38185\"")
  // The other persons who live with the person, each as the answers to the
  // program's person inputs, their `role` among them (spouse, child or
  // other): the person's statement, nothing fetched (no identity of theirs
  // is asked). Read only by a program decided for a foyer.
  std::vector<std::map<std::string, std::string>> others;
  // The person states that `others` are all who live with them (none: they
  // live alone). A program decided for a foyer is decided on that statement
  // only: without it, it would be decided on part of the foyer.
  bool household_stated = false;
  Days date = 0;
  std::string actor;                            // who asks, for the audit trail
  std::string purpose;                          // why the data are fetched, for the audit trail
};

struct InstantDecision {
  std::string reference;          // the decision's reference, given to the person
  std::string status;             // eligible, ineligible, undetermined
  std::string decision_json;      // the CONTRACT.md decision line
  std::string explanation_json;   // CRPA R311-3-1-2
  std::vector<FetchedDatum> fetched;
  // Per datum not fetched: the input's label and the document that proves it.
  std::vector<std::pair<std::string, std::string>> documents;
  std::vector<AuditEntry> calls;  // the API calls made, for the audit trail
  // The data taken on the person's statement (`stated:`), theirs and the
  // others': the paying body checks them as it checks its claim form's.
  size_t statements = 0;
  bool for_a_foyer = false;       // decided for the household the person stated
};

// Why the persons a person states live with them cannot be decided on as
// given: for the API and the command line (`english`), and for the agent's
// page (`french`, about `input` of the other person `other`, 0-based; no
// input: the whole answer).
struct HouseholdRefusal {
  size_t other = 0;
  std::string input;
  std::string english, french;
};
std::optional<HouseholdRefusal> refused_household(const Program& program, const InstantRequest& request);

// The data a program would fetch for an instant decision (its inputs that
// declare a datum), as (input label, datum): what the consent lists.
std::vector<std::pair<std::string, Datum>> data_to_fetch(const Program& program);

// Whether the program's decision reads the members of the household (the
// C2S's and the RSA's foyer): it is then taken here on the person's
// statement of who lives with them only (InstantRequest::household_stated).
bool decides_for_a_foyer(const Engine& engine);

// The most persons living with the person that an instant decision takes.
constexpr size_t kMostOthers = 15;

// Fetches and decides; stores nothing (the calls take seconds: no lock on
// the store is held meanwhile). `client` null: API Particulier is not set
// up here, and every datum is to be brought as a document. Errors: the
// program evaluated alone is not `engine`'s, an answer is refused (its
// reason said), the program decides for a foyer and the person did not state
// who lives with them, other persons are given to a program that reads only
// the person's data, or API Particulier refuses the token or its scopes.
// On an error after a call to API Particulier (the person's identity was
// sent), the calls made are left in `calls_made` for the audit trail
// (record_calls_without_decision); on success they are the decision's.
Result<InstantDecision> decide_instantly(const Engine& engine, const Program& program, ApiParticulierClient* client,
                                         const InstantRequest& request, std::vector<AuditEntry>* calls_made = nullptr);
// The calls to API Particulier of a decision that was not taken, each in
// the audit trail as a decision's are.
Result<void> record_calls_without_decision(Store& store, const std::vector<AuditEntry>& calls);
// Keeps the decision, the calls made for it and its own audit row in one
// transaction; until it returns without error, nothing may be shown.
Result<void> record_instant_decision(Store& store, const Program& program, const InstantRequest& request,
                                             const InstantDecision& decision);

}  // namespace proactif
