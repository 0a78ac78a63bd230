// proactif proofs: the data a program needs about one person, fetched from
// API Particulier, one JSON line per datum (what was found, or why nothing
// was, and where it came from). Each call is in the audit trail (who, for
// which purpose, which route and scope, the status), never what it answered;
// a call that cannot be recorded is not shown.
#include <algorithm>
#include <iostream>

#include "cli/api_particulier_setup.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "store/store.hpp"

namespace proactif {

int proofs_command(const ProofsArguments& args) {
  auto asked = prepare_api_particulier(args.identity_file, args.api, args.token_file);
  if (!asked) return 2;
  auto store = Store::open(args.store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  const Days date = decision_day(args.date);
  ApiParticulierClient client(asked->config);
  int status = 0;
  for (const auto& name : args.data) {
    const Datum datum = *datum_named(name);
    FetchedDatum d = client.fetch(datum, asked->person, date);
    if (d.attempts > 0)
      if (auto err = (*store)->audit(audit_actor(), "API Particulier asked", fetch_audit_detail(d, args.purpose)); !err.ok()) {
        std::cerr << "proactif: the call could not be audited, its answer is not shown (" << err.error().message << ")\n";
        return 2;
      }
    std::cout << fetched_datum_json(d) << "\n";
    if (d.outcome == FetchOutcome::kConfiguration) {
      std::cerr << "proactif: API Particulier refused the token or its scopes: " << d.detail << "\n";
      return 2;
    }
    if (d.outcome == FetchOutcome::kRetryLater || d.outcome == FetchOutcome::kRefusedInput) status = std::max(status, 1);
  }
  return status;
}

}  // namespace proactif
