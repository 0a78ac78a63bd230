// The summary of a campaign or of a file of events, printed: decisions by
// outcome, actions planned, skips by reason, and the outbox's state.
#include "cli/campaign_report.hpp"

#include "cli/progress.hpp"

#include <cstdio>
#include <iostream>
#include <map>

namespace proactif {

namespace {

// "12 (no contact details), 3 (...)"
std::string counts_text(const std::map<std::string, int64_t>& counts) {
  std::string out;
  for (const auto& [what, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + " (" + what + ")";
  return out;
}

// Who the plan writes to, one message per household and channel, and who
// no channel could reach: the plan's, whatever its delivery did since (the
// outbox line says what was sent, withdrawn or cancelled).
void print_reach(const PlanReport& plan) {
  if (plan.reached.empty() && plan.left_for_social_services.empty()) return;
  std::cout << "households to write to, as planned:";
  for (const auto& [channel, n] : plan.reached) std::cout << " " << n << " by " << channel << ";";
  if (!plan.letters_at_address_elsewhere.empty())
    std::cout << " letters at an address another administration holds: " << counts_text(plan.letters_at_address_elsewhere) << ";";
  if (!plan.addresses_elsewhere_unconfirmed.empty())
    std::cout << " addresses another administration holds not used, its row not certainly the person's: "
              << counts_text(plan.addresses_elsewhere_unconfirmed) << ";";
  if (!plan.nirs_elsewhere_unconfirmed.empty())
    std::cout << " members of a request transmitted without the NIR another administration holds (its row not "
                 "certainly theirs, or another member's too, or its NIR disputed): "
              << counts_text(plan.nirs_elsewhere_unconfirmed) << ";";
  int64_t left = 0;
  for (const auto& [reason, n] : plan.left_for_social_services) left += n;
  std::cout << " left for the social services of their commune: " << left;
  if (left)
    std::cout << ", listed by commune in " << plan.social_services_list << "/: " << counts_text(plan.left_for_social_services);
  std::cout << "; contact details read: " << plan.contacts_read << " (for the subjects acted on only)\n";
}

}  // namespace

void print_report(const PlanReport* plan, const OutboxCounts& c, const DeliveryStats* d) {
  if (plan) {
    // A person no extract places with others is a household of one here:
    // said apart, lest a rate read them as households (an auditor's).
    if (plan->persons)
      std::cout << "decisions over " << plan->households << " households (" << plan->persons << " persons)"
                << (plan->persons_alone ? ", of which " + std::to_string(plan->persons_alone) +
                                              " are a person no extract places with others"
                                        : std::string())
                << ":\n";
    else std::cout << "decisions over " << plan->households << " events:\n";
    if (!plan->read_as_unknown.empty()) std::cout << "population: " << plan->read_as_unknown << "\n";
    if (!plan->api_particulier.empty()) {
      std::cout << "data asked of API Particulier where the extracts lacked them:\n";
      for (const auto& [what, n] : plan->api_particulier) std::cout << "    " << n << "  " << what << "\n";
    }
    for (const auto& p : plan->programs) {
      std::cout << "  " << p.program << ": " << p.eligible << " eligible, " << p.undetermined << " undetermined, "
                << p.not_eligible << " not eligible (not kept)";
      if (p.own_foyers)
        std::cout << "; " << p.own_foyers << " of them persons outside their household's foyer, decided as a foyer of their own";
      std::cout << "\n";
      for (const auto& [what, n] : p.planned) std::cout << "    planned   " << n << "  " << what << "\n";
      for (const auto& [reason, n] : p.skipped) std::cout << "    skipped   " << n << "  " << reason << "\n";
      for (const auto& [reason, n] : p.told_not_granted)
        std::cout << "    told, not granted   " << n << "  " << reason << "\n";
      if (p.told_request_accepted)
        std::cout << "    told, with the request they accepted with their claim within 12 months (it may be on its way)   "
                  << p.told_request_accepted << "\n";
      if (p.refusals_replaced)
        std::cout << "    refusals replaced   " << p.refusals_replaced
                  << "  a refusal recorded with an earlier claim, replaced by the acceptance the extracts record with a later one\n";
    }
    print_reach(*plan);
  }
  std::cout << "outbox: " << c.delivered << " delivered, " << c.pending + c.retry + c.sending << " pending, " << c.dead
            << " failed (dead letters), " << c.cancelled << " cancelled (after an objection, or replaced by a request)";
  if (c.withdrawn) std::cout << ", " << c.withdrawn << " withdrawn before they were tried (campaign withdraw)";
  if (c.held)
    std::cout << ", " << c.held << " sent with no answer and held (proactif campaign settle: --arrived or --send-again)";
  if (c.in_doubt - c.held > 0)
    std::cout << ", " << c.in_doubt - c.held << " whose sending was interrupted or timed out (it may have arrived)";
  if (c.awaiting_failed_request)
    std::cout << "; of the pending, " << c.awaiting_failed_request
              << " tell of a request that failed and wait for it (proactif campaign requeue)";
  if (c.accepted + c.rejected)
    std::cout << "; transmissions acknowledged: " << c.accepted << " accepted, " << c.rejected << " rejected";
  std::cout << "\n";
  if (d && d->seconds > 0)
    std::printf("delivery: %lld sent in %.2f s (%.0f per second), %lld failed attempts, %lld batches transmitted, "
                "%lld acknowledgements read\n",
                static_cast<long long>(d->delivered), d->seconds, static_cast<double>(d->delivered) / d->seconds,
                static_cast<long long>(d->failed_attempts), static_cast<long long>(d->batches),
                static_cast<long long>(d->receipts));
  if (d && !d->rejected.empty()) {
    std::cout << "requests rejected by the paying body, in the acknowledgements read now (" << d->rejected.size()
              << "): their persons were told the request went; read the reason beside each, correct what it names, "
                 "and a campaign or an event of a later month for their household asks again (this month holds its "
                 "request):\n";
    for (const std::string& r : d->rejected) std::cout << "  " << r << "\n";
  }
  if (d && !d->acknowledgement_problems.empty()) {
    std::cout << "acknowledgements of the paying body to look at (" << d->acknowledgement_problems.size() << "):\n";
    for (const std::string& p : d->acknowledgement_problems) std::cout << "  " << p << "\n";
  }
  if (d) log_failure_causes(d->failure_causes);
  if (d && d->channel_pauses)
    std::printf("  a channel failed three times in a row: delivery on it paused %lld times, its actions kept in the "
                "queue\n",
                static_cast<long long>(d->channel_pauses));
}

bool print_truth_report(const TruthReport& truth, const std::string& truth_dir) {
  std::cout << "against the ground truth (" << truth_dir
            << "/truth_situations.jsonl: the true households, decided by the same programs), each planned action:\n";
  int64_t wrong = 0, possible_wrong = 0;
  for (const auto& p : truth.programs) {
    std::cout << "  " << p.program << ":\n";
    std::cout << "    " << p.notices << " notices of a right: " << p.notices_entitled << " truly entitled, "
              << p.notices_not_entitled << " not entitled, " << p.notices_truth_undetermined
              << " undetermined on the true data; " << p.wrong_amounts << " with a wrong amount\n";
    std::cout << "    " << p.possible << " notices of a possible right: " << p.possible_entitled << " truly entitled, "
              << p.possible_not_entitled << " not entitled, " << p.possible_truth_undetermined
              << " undetermined on the true data\n";
    if (p.grants) std::cout << "    " << p.grants << " grants transmitted: " << p.grants_not_entitled << " not supported by the truth\n";
    std::cout << "    foyers counted otherwise than the truth: " << p.foyer_differs << "; actions not matched to the truth: "
              << p.unmatched << "\n";
    // Those already receiving the benefit count among the entitled, and a
    // campaign rightly does not write to them: this is not a take-up rate.
    std::cout << "    foyers (or persons, for a fare) truly entitled, whether or not they already receive it: "
              << p.truly_entitled << ", of which reached: " << p.truly_entitled_reached << "\n";
    wrong += p.wrong();
    possible_wrong += p.possible_not_entitled;
  }
  for (const auto& e : truth.examples) std::cout << "  wrong: " << e << "\n";
  std::cout << "wrong notices of a right, amounts, grants, foyers and actions not matched: " << wrong
            << "; notices of a possible right to foyers not entitled: " << possible_wrong << "\n";
  return wrong == 0;
}

}  // namespace proactif
