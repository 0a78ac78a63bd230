// Fetching what the extracts lack ("Dites-le-nous une fois", CRPA L114-8):
// before a campaign decides, the inputs its programs declare
// `api_particulier:` are asked of API Particulier where they are unknown,
// for the households (or, for a fare, the persons) the programs leave
// undetermined, and only where that input is one the decision waits for.
// Nobody who objected, nobody already acted on for the period, nobody whose
// identity is under review is asked about; a household datum (its quotient
// familial) is asked by its allocataire's identity.
//
// The calls keep to API Particulier's limits (the client's: 20 a second,
// 950 a minute, retries as the service says), a few at a time. Each answer
// is kept in the store as it comes, with the audit row of its call: a
// planning interrupted and run again asks nobody twice. The values found
// enter the population with their source (provider, route, day asked), so
// that decisions and messages name it; a value an extract gave is never
// replaced. Not found, unreliable or refused answers leave the input
// unknown: the decision stays undetermined, never "not entitled".
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "campaign/campaign.hpp"
#include "eval/engine.hpp"
#include "population/snapshot.hpp"
#include "sources/source_mapping.hpp"
#include "store/store.hpp"

namespace proactif {

// Fills `snapshot` for the run. Returns the counts by datum and outcome
// ("quotient_familial: found") and of what was not asked, by reason ("not
// asked: objected"). An error when the settings or the token are wrong, when
// API Particulier refuses the token or its scopes (what was fetched is kept
// for the next try), or when the store fails.
Result<std::map<std::string, int64_t>> fill_from_api_particulier(const Campaign& campaign, const Engine& engine,
                                                                 Snapshot& snapshot,
                                                                 const std::vector<SourceMapping>& contacts,
                                                                 Store& store, const std::string& run_id,
                                                                 const std::string& actor, std::ostream& progress);

}  // namespace proactif
