// Facts that trigger action for one household ("RSA granted to household H
// on date D"), as JSON lines:
//   {"event": "rsa_granted", "date": "2025-06-20",
//    "situation": {CONTRACT.md situation: id = household id, household, persons},
//    "contact": {"email": ..., "mobile": ..., "address": ..., "town": ...},   (optional)
//    "refuses": ["c2s"]}                                                   (optional)
// The programs the rules attach to the event are evaluated for that
// household only, at the event's date; the actions follow the same targeting
// as campaigns (objections, already acted on this month, nothing kept on a
// household found not eligible), and a `grant` becomes a request
// transmitted to the paying body. "refuses" records the person's refusal
// (CSS L861-2: the C2S is not requested for a beneficiary who refused) as an
// objection, honoured from then on.
#pragma once

#include <ostream>
#include <string>

#include "campaign/planner.hpp"
#include "campaign/retention.hpp"

namespace proactif {

struct EventReport {
  size_t lines = 0, events = 0, rejected = 0;
  size_t past_dated = 0;  // events acted on though older than kEventDaysBeforeToday (--past-date)
  LettersDeleted refusal_letters;  // of households whose refusal an event carried
  // Rights taken out of the lists for the social services: those a refusal
  // declines, and those an event acted on that a campaign of the month
  // listed as not reached ("demande non transmise").
  Unlisted unlisted;
  int64_t reached_unlisted = 0;  // of which those acted on
  // What a line did not do for an agent to see to (a request not
  // transmitted: no way to tell the person, the month's action made, another
  // household's objection or refusal standing; a refusal not transmitted),
  // each with its line ("line 4: c2s: grant not transmitted: ..."): on the
  // error output, and in the audit entry "events read".
  std::vector<std::string> untold_grants;
  // Refusals made with an earlier claim that a later one, which does not
  // refuse, replaced (each said in the audit entry "events read").
  std::vector<std::string> refusals_lifted;
  // Refusals the events carried, each recorded as the foyer's objection
  // ("CAF:H53: c2s (line 4), the request transmitted withdrawn"), said in
  // the audit entry as `object`'s objection is.
  std::vector<std::string> refusals_recorded;
  // Refusals queued to withdraw a request another run sent (a campaign's):
  // they leave with that run's delivery, not this one's, and an agent must
  // run it ("c2s request JYK4-... of run campagne:2026-12").
  std::vector<std::string> refusals_queued_elsewhere;
  std::vector<ProgramPlan> programs;
};

// Reads `path` ("-" for standard input); a malformed line is reported on
// `err` with its number and reason and the others are processed, as is an
// event dated more than kEventDaysBeforeToday before today unless
// `past_date` (acting_day.hpp).
Result<EventReport> process_events(const Campaign& rules, const Engine& engine, Store& store, const std::string& path,
                                   bool past_date, std::ostream& err);

// The runs of a rules file's events (SQL LIKE pattern), for delivery and reports.
std::string event_runs(const Campaign& rules);

}  // namespace proactif
