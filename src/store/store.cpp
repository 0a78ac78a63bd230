#include "store/store.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include "core/bytes.hpp"
#include "core/version.hpp"
#include "store/migrations.hpp"

namespace proactif {

namespace {

// Why a notice was cancelled when a request of `run_id` replaced it, the
// request's subject following (the notice may be under another, the case
// renumbered since): what withdrawing that run reads to send the notice
// after all.
std::string replaced_by(const std::string& run_id) { return "replaced by a request of run " + run_id + " for "; }

std::string joined_persons(const std::vector<std::string>& persons) {
  std::string out = ",";
  for (const auto& p : persons) out += p + ",";
  return out;
}

// The other way: ",p1,p2," to its persons.
std::vector<std::string> split_persons(const std::string& joined) {
  std::vector<std::string> out;
  for (size_t at = 1; at < joined.size();) {
    size_t comma = joined.find(',', at);
    if (comma == std::string::npos) break;
    out.push_back(joined.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

std::vector<SqlValue> key_params(const ActionKey& k) { return {k.program, k.subject, k.period, k.action}; }

// The created_at of a subject's next outbox row (its program and subject
// the parameters named): `now`, or just after the subject's last row. A
// subject's rows are then in the order they were made: whether a refusal
// withdrew a request reads which came first (acted_within_year), so two
// made within a millisecond, or by hosts whose clocks differ, are ordered
// all the same.
std::string created_after_last(const std::string& now, const std::string& program, const std::string& subject) {
  return "(SELECT CASE WHEN MAX(l.created_at) >= " + now + " THEN MAX(l.created_at) + 1 ELSE " + now +
         " END FROM outbox l WHERE l.program = " + program + " AND l.subject = " + subject + ")";
}

// An outbox row (alias `a`) that went, or may go: not given up or
// cancelled (but one whose sending was interrupted, which may have
// arrived), nor rejected by its receiver.
std::string may_have_gone(const std::string& a) {
  return "(" + a + ".state NOT IN ('cancelled', 'expired', 'dead') OR " + a + ".in_doubt = 1) AND (" + a +
         ".receipt IS NULL OR " + a + ".receipt NOT LIKE 'rejected%')";
}

// A period "YYYY-MM" a year before.
std::string year_before(const std::string& period) {
  return std::to_string(std::stoi(period.substr(0, 4)) - 1) + period.substr(4);
}

constexpr const char* kKeyMatch = "program = $1 AND subject = $2 AND period = $3 AND action = $4";

// A person's id as a LIKE pattern matching ",id," inside a decision's
// persons: an id holding '_' or '%' must not match other ids.
std::string like_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

std::string member_pattern(const std::string& id) { return "%," + like_escaped(id) + ",%"; }

// A decision's person_keys, ",id=key,...", as (id, key) pairs; an id may
// hold '=', a key does not.
std::vector<std::pair<std::string, std::string>> split_person_keys(const std::string& joined) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& entry : split_persons(joined))
    if (size_t eq = entry.rfind('='); eq != std::string::npos && eq > 0)
      out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  return out;
}

// A person's keyed NIR: named as persons are, "NIR:..." (campaign/person_key.hpp).
bool is_key(const std::string& id) { return id.rfind("NIR:", 0) == 0; }

// The persons a foyer's choice covers (each row's first column), by their
// ids and keyed NIRs, and how many of those keys are `here`: the same family
// under another number has each of its keys here, and as many keys as ids.
struct FoyerKeys {
  size_t ids = 0, keys = 0, keys_here = 0;
  bool same_family() const { return keys > 0 && keys >= ids && keys_here == keys; }
};
template <typename Here>
FoyerKeys choice_keys(const std::vector<SqlRow>& rows, Here here) {
  FoyerKeys out;
  for (const auto& row : rows) {
    const std::string& who = std::get<std::string>(row[0]);
    if (is_key(who)) ++out.keys, out.keys_here += here(who);
    else ++out.ids;
  }
  return out;
}

// The persons as a foyer is compared under another numbering: each by
// their key where it is known, by their id otherwise.
std::vector<std::string> keyed_persons(const std::vector<std::string>& persons,
                                       const std::map<std::string, std::string>& key_of) {
  std::vector<std::string> out;
  for (const std::string& p : persons) {
    if (is_key(p)) continue;
    auto k = key_of.find(p);
    out.push_back(k == key_of.end() ? p : k->second);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::string& url) {
  auto db = connect_sql(url);
  if (!db) return db.error();
  if (auto err = migrate(**db); !err.ok()) return Error{err.error().kind, redact_url(url) + ": " + err.error().message};
  return std::make_unique<Store>(std::move(*db));
}

Store::Store(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}

Result<void> Store::in_transaction(const std::function<Result<void>()>& work) {
  // Within another: its failure fails the outer one, which rolls back.
  if (transaction_depth_ > 0) return work();
  // SQLite: take the write lock at once, so two writers wait instead of
  // deadlocking. PostgreSQL: each statement sees what was committed when it
  // starts, whatever the database's default, so that what follows a lock
  // (deciding_requests) sees what the lock's previous holder committed.
  if (auto err = db_->run_script(db_->dialect() == "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN ISOLATION LEVEL READ COMMITTED");
      !err.ok())
    return err;
  Result<void> done;
  ++transaction_depth_;
  try {
    done = work();
  } catch (...) {
    --transaction_depth_;
    (void)db_->run_script("ROLLBACK");
    throw;
  }
  --transaction_depth_;
  if (!done.ok()) {
    (void)db_->run_script("ROLLBACK");
    return done;
  }
  if (auto err = db_->run_script("COMMIT"); !err.ok()) {
    (void)db_->run_script("ROLLBACK");
    return err;
  }
  return {};
}

Result<void> Store::deciding_requests(const std::function<Result<void>()>& work) {
  return in_transaction([&]() -> Result<void> {
    // SQLite's writer lock, taken at BEGIN IMMEDIATE, is one already.
    if (db_->dialect() == "postgresql")
      if (auto locked = db_->run("SELECT pg_advisory_xact_lock(hashtext('proactif requests'))", {}); !locked)
        return locked.error();
    return work();
  });
}

Result<bool> Store::start_run(const CampaignRun& run) {
  auto existing = db_->run("SELECT planned_at, campaign_hash FROM campaign_runs WHERE run_id = $1", {run.run_id});
  if (!existing) return existing.error();
  if (!existing->rows.empty()) {
    const std::string* hash = as_text(existing->rows[0][1]);
    if (hash && *hash != run.campaign_hash)
      return Error{ErrorKind::kRefused, "campaign run " + run.run_id +
                   " was started from a different campaign file (its content changed): give the changed campaign a new "
                   "id or period"};
    return !std::holds_alternative<std::monostate>(existing->rows[0][0]);
  }
  auto inserted = db_->run(
      "INSERT INTO campaign_runs (run_id, campaign, period, evaluation_date, campaign_hash, started_at, sender, "
      "proactif_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id) DO NOTHING",
      {run.run_id, run.campaign, run.period, run.evaluation_date, run.campaign_hash, now_ms(), run.sender,
       std::string(proactif_version())});
  if (!inserted) return inserted.error();
  return false;
}

Result<void> Store::finish_planning(const std::string& run_id, const std::string& plan_json) {
  return in_transaction([&]() -> Result<void> {
    auto r = plan_json.empty()
                 ? db_->run("UPDATE campaign_runs SET planned_at = $2 WHERE run_id = $1", {run_id, now_ms()})
                 : db_->run("UPDATE campaign_runs SET planned_at = $2, plan_report = $3 WHERE run_id = $1",
                            {run_id, now_ms(), plan_json});
    if (!r) return r.error();
    auto fills = db_->run("DELETE FROM api_particulier_fills WHERE run_id = $1", {run_id});
    return discard_value(fills);
  });
}

Result<Store::Withdrawn> Store::withdraw_unsent(const std::string& run_id, const std::string& actor) {
  Withdrawn out;
  auto err = in_transaction([&]() -> Result<void> {
    // A deliverer claiming meanwhile would send what is being deleted: the
    // claims' own lock on PostgreSQL (SQLite has one writer at a time).
    if (db_->dialect() == "postgresql")
      if (auto locked = db_->run("SELECT pg_advisory_xact_lock(hashtext('proactif outbox claim'))", {}); !locked)
        return locked.error();
    auto run = db_->run("SELECT planned_at FROM campaign_runs WHERE run_id = $1", {run_id});
    if (!run) return run.error();
    if (run->rows.empty()) return Error{ErrorKind::kNotFound, "no run " + run_id + " in this store"};
    if (std::holds_alternative<std::monostate>(run->rows[0][0]))
      return Error{ErrorKind::kRefused, "run " + run_id + " is still being planned, or its planning was interrupted: "
                                        "run it again (--plan-only) before withdrawing it"};
    // The subjects none of whose actions of the run has left the queue untried.
    const std::string untried =
        "run_id = $1 AND NOT EXISTS (SELECT 1 FROM outbox k WHERE k.run_id = $1 AND k.subject = outbox.subject AND "
        "(k.action = 'refusal' OR k.state <> 'pending' OR k.attempts > 0))";
    auto subjects = db_->run("SELECT COUNT(DISTINCT subject) FROM outbox WHERE " + untried, {run_id});
    if (!subjects) return subjects.error();
    out.subjects = as_int(subjects->rows.at(0).at(0));
    auto actions = db_->run("DELETE FROM outbox WHERE state = 'pending' AND attempts = 0 AND " + untried, {run_id});
    if (!actions) return actions.error();
    out.actions = actions->changed;
    // The notices its requests replaced go after all, where the request that
    // replaced it went with the run (a person told nothing in the period
    // otherwise); not where it stays, under the notice's subject or the
    // other it was made for (a case renumbered: the letter "claim it"
    // would follow the request).
    auto restored = db_->run(
        "UPDATE outbox SET state = 'pending', last_error = NULL WHERE state = 'cancelled' AND (last_error LIKE $3 ESCAPE '\\' "
        "OR last_error = $4) "
        "AND message <> '' AND NOT EXISTS (SELECT 1 FROM outbox g WHERE g.program = outbox.program AND g.period = "
        "outbox.period AND g.action = 'grant' AND (g.subject = outbox.subject OR (g.run_id = $2 AND outbox.last_error = "
        "CAST($1 AS TEXT) || g.subject)))",
        // $4: as a notice replaced before 2026-12-07 (fourth session) says it,
        // its request's subject being its own.
        {replaced_by(run_id), run_id, like_escaped(replaced_by(run_id)) + "%", "replaced by a request of run " + run_id});
    if (!restored) return restored.error();
    // A household listed for the social services stays with its list while
    // anything of the run stands: the list is not withdrawn with the rest
    // (it goes with the run, once nothing is left), and the decision keeps
    // what the list says of them, for their objection to take it out (an
    // auditor found a list naming a person whose decision was gone).
    auto decisions = db_->run(
        "DELETE FROM decisions WHERE run_id = $1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.run_id = $1 AND "
        "o.program = decisions.program AND o.subject = decisions.subject) AND (listed_in IS NULL OR NOT EXISTS "
        "(SELECT 1 FROM outbox s WHERE s.run_id = $1))",
        {run_id});
    if (!decisions) return decisions.error();
    out.decisions = decisions->changed;
    auto left = db_->run("SELECT (SELECT COUNT(*) FROM outbox WHERE run_id = $1) + (SELECT COUNT(*) FROM decisions WHERE "
                         "run_id = $1)",
                         {run_id});
    if (!left) return left.error();
    if (as_int(left->rows.at(0).at(0)) == 0) {
      auto removed = db_->run("DELETE FROM campaign_runs WHERE run_id = $1", {run_id});
      if (!removed) return removed.error();
      out.run_removed = true;
    } else if (out.actions > 0) {
      auto counted = db_->run("UPDATE campaign_runs SET withdrawn_actions = withdrawn_actions + $2 WHERE run_id = $1",
                              {run_id, out.actions});
      if (!counted) return counted.error();
    }
    return audit(actor, "run withdrawn",
                 run_id + ": " + std::to_string(out.subjects) + " subjects, " + std::to_string(out.actions) +
                     " actions, " + std::to_string(out.decisions) + " decisions" + (out.run_removed ? ", the run removed" : ""));
  });
  if (!err.ok()) return err.error();
  return out;
}

Result<std::vector<FetchedFill>> Store::fetched_fills(const std::string& run_id) {
  auto r = db_->run(
      "SELECT subject, person, datum, outcome, value, as_of, provider, route, fetched_on, postcode FROM "
      "api_particulier_fills WHERE run_id = $1",
      {run_id});
  if (!r) return r.error();
  std::vector<FetchedFill> out;
  for (const SqlRow& row : r->rows)
    out.push_back({std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
                   std::get<std::string>(row[3]), std::get<std::string>(row[4]), std::get<std::string>(row[5]),
                   std::get<std::string>(row[6]), std::get<std::string>(row[7]), std::get<std::string>(row[8]),
                   std::get<std::string>(row[9])});
  return out;
}

Result<void> Store::record_fills(const std::string& run_id, const std::vector<FetchedFill>& fills,
                                         const std::vector<AuditEntry>& audits) {
  return in_transaction([&]() -> Result<void> {
    const int64_t now = now_ms();
    for (const FetchedFill& f : fills) {
      // Not kept for whom objected meanwhile (the objection deleted theirs).
      auto r = db_->run(
          "INSERT INTO api_particulier_fills (run_id, subject, person, datum, outcome, value, as_of, provider, route, "
          "fetched_on, fetched_at, postcode) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 WHERE NOT EXISTS "
          "(SELECT 1 FROM objections WHERE subject = $2 OR subject = $3) "
          "ON CONFLICT (run_id, person, datum) DO NOTHING",
          {run_id, f.subject, f.person, f.datum, f.outcome, f.value, f.as_of, f.provider, f.route, f.fetched_on, now,
           f.postcode});
      if (!r) return r.error();
    }
    for (const AuditEntry& a : audits)
      if (auto err = audit(a.actor, a.operation, a.detail); !err.ok()) return err;
    return {};
  });
}

Result<void> Store::save_report(const std::string& run_id, const std::string& plan_json,
                                        const std::string& delivery_json) {
  auto r = plan_json.empty()
               ? db_->run("UPDATE campaign_runs SET report = $2 WHERE run_id = $1", {run_id, delivery_json})
               : db_->run("UPDATE campaign_runs SET report = $2, plan_report = $3 WHERE run_id = $1",
                          {run_id, delivery_json, plan_json});
  return discard_value(r);
}

Result<std::optional<StoredReport>> Store::run_report(const std::string& run_id) {
  auto r = db_->run("SELECT plan_report, report, proactif_version FROM campaign_runs WHERE run_id = $1", {run_id});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<StoredReport>();
  auto text = [&](size_t i) {
    const std::string* t = as_text(r->rows[0][i]);
    return t ? *t : std::string();
  };
  return std::optional<StoredReport>(StoredReport{text(0), text(1), text(2)});
}

namespace {

// The outbox's rows of program $1, as `alias`: all of them; or, reading
// what was recorded since a moment, found run by run through the index on
// (run_id, created_at) and not through the program's, so that a run reading
// again what others did while it plans does not go through its own rows.
struct OutboxRows {
  std::string from, where;
};
// `except_run`: the parameter naming the run left out.
OutboxRows outbox_rows(int64_t since, const std::string& alias, const std::string& except_run) {
  if (since <= 0) return {"outbox " + alias, alias + ".program = $1"};
  return {"campaign_runs by_run CROSS JOIN outbox " + alias,
          "by_run.run_id <> " + except_run + " AND " + alias + ".run_id = by_run.run_id AND " + alias +
              ".program || '' = $1"};
}

}  // namespace

Result<std::unordered_set<std::string>> Store::objectors(const std::string& program, int64_t since) {
  auto rows = db_->run("SELECT subject FROM objections WHERE (program = $1 OR program = '*') AND recorded_at >= $2",
                       {program, since});
  if (!rows) return rows.error();
  std::unordered_set<std::string> out;
  for (auto& row : rows->rows) out.insert(std::get<std::string>(row[0]));
  return out;
}

Result<std::unordered_set<std::string>> Store::acted_on(const std::string& program, const std::string& period,
                                                        const std::string& this_run, int64_t since,
                                                        const std::string& action) {
  const OutboxRows o = outbox_rows(since, "o", "$3");
  auto rows = db_->run("SELECT DISTINCT o.subject FROM " + o.from + " WHERE " + o.where +
                           " AND o.period = $2 AND o.run_id <> $3 AND o.created_at >= $4 AND ($5 = '' OR o.action = $5)",
                       {program, period, this_run, since, action});
  if (!rows) return rows.error();
  std::unordered_set<std::string> out;
  for (auto& row : rows->rows) out.insert(std::get<std::string>(row[0]));
  return out;
}

std::string foyer_key(std::vector<std::string> persons) {
  // A situation's own "p1" names someone else in every other one.
  if (persons.empty() || std::any_of(persons.begin(), persons.end(),
                                     [](const std::string& p) { return p.find(':') == std::string::npos; }))
    return "";
  std::sort(persons.begin(), persons.end());
  return joined_persons(persons);
}

std::string keyed_foyer_key(const std::vector<std::string>& persons, const std::vector<std::string>& keys) {
  std::map<std::string, std::string> key_of;
  for (const auto& [id, key] : split_person_keys(joined_persons(keys))) key_of[id] = key;
  std::vector<std::string> keyed;
  for (const std::string& p : persons) {
    auto k = key_of.find(p);
    if (k == key_of.end()) return "";
    keyed.push_back(k->second);
  }
  return foyer_key(std::move(keyed));
}

Result<Store::ActedWithinYear> Store::acted_within_year(const std::string& program, const std::string& period,
                                                         const std::string& subject, const std::string& person,
                                                         int64_t since, const std::string& except_run,
                                                         const std::string& key) {
  // Periods are "YYYY-MM": the same month a year before and a year after.
  // The notice of a request that does not stand (rejected by the paying
  // body, never delivered to it) told the person that a request went, not
  // that they may apply: it does not count.
  // A request that went without an answer (in_doubt) may have arrived
  // whatever became of it since (dead after its retries, cancelled, past
  // its retention): asking again would make two at the paying body, where
  // a requeue of the first goes under its own Idempotency-Key.
  const std::string year_after = std::to_string(std::stoi(period.substr(0, 4)) + 1) + period.substr(4);
  const OutboxRows g = outbox_rows(since, "g", "$8");
  auto rows = db_->run(
      "SELECT DISTINCT g.subject, g.action, d.persons, CASE WHEN g.period = $4 THEN 1 ELSE 0 END, d.person_keys FROM " + g.from +
          " LEFT JOIN decisions d ON d.program = g.program AND d.subject = g.subject AND d.period = g.period WHERE " +
          g.where + " AND "
      "g.action IN ('grant', 'notify', 'grant_notice', 'notify_possible') AND g.period > $2 AND g.period < $3 AND ($5 = '' OR "
      "g.subject = $5 OR ($6 <> '' AND d.persons LIKE $6 ESCAPE '\\') OR ($9 <> '' AND d.person_keys LIKE $9 ESCAPE '\\')) AND (g.state NOT IN ('cancelled', 'expired', 'dead') OR (g.action = 'grant' AND g.in_doubt = 1)) AND (g.receipt IS NULL OR g.receipt NOT "
      "LIKE 'rejected%') AND g.created_at >= $7 AND g.run_id <> $8 AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.program = g.program AND r.subject = g.subject "
      "AND r.action = 'refusal' AND r.created_at >= g.created_at) AND NOT (g.action = 'grant_notice' AND EXISTS (SELECT 1 FROM "
      "outbox q WHERE q.program = g.program AND q.subject = g.subject AND q.period = g.period AND q.action = 'grant' "
      "AND (q.receipt LIKE 'rejected%' OR q.state IN ('cancelled', 'expired', 'dead'))))",
      {program, year_before(period), year_after, period, subject, person.empty() ? std::string() : member_pattern(person), since,
       except_run, key.empty() ? std::string() : "%=" + like_escaped(key) + ",%"});
  if (!rows) return rows.error();
  ActedWithinYear out;
  for (auto& row : rows->rows) {
    const std::string& subject_acted = std::get<std::string>(row[0]);
    const std::string& action = std::get<std::string>(row[1]);
    const bool grant = action == "grant", possible = action == "notify_possible";
    // The period itself is `acted_on`'s, by subject: here only its actions
    // on the same foyer under another subject.
    const bool this_period = as_int(row[3]) != 0;
    if (!this_period) (grant ? out.requested : possible ? out.told_of_possible : out.told_of_right).insert(subject_acted);
    const std::string* persons = as_text(row[2]);
    if (grant && !this_period && persons)
      for (std::string& p : split_persons(*persons)) out.requested_persons[subject_acted].insert(std::move(p));
    auto& foyers = grant ? out.requested_foyers : possible ? out.told_of_possible_foyers : out.told_of_right_foyers;
    std::string foyer = persons ? foyer_key(split_persons(*persons)) : "";
    if (!foyer.empty()) foyers[foyer].insert(this_period ? subject_acted : std::string());
    // The same persons under other numbers, by their keyed NIRs.
    const std::string* keyed = as_text(row[4]);
    std::string keyed_foyer = persons && keyed ? keyed_foyer_key(split_persons(*persons), split_persons(*keyed)) : "";
    if (!keyed_foyer.empty()) foyers[keyed_foyer].insert(this_period ? subject_acted : std::string());
  }
  return out;
}

bool Store::ActedWithinYear::requested_whole(const std::string& subject, const std::vector<std::string>& concerned) const {
  if (!requested.count(subject)) return false;
  auto named = requested_persons.find(subject);
  if (named == requested_persons.end() || foyer_key(concerned).empty()) return true;
  return std::all_of(concerned.begin(), concerned.end(), [&](const std::string& p) { return named->second.count(p) > 0; });
}

bool Store::ActedWithinYear::foyer_acted_on(const Foyers& foyers, const std::string& foyer, const std::string& subject) {
  if (foyer.empty()) return false;
  auto it = foyers.find(foyer);
  if (it == foyers.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](const std::string& s) { return s != subject; });
}

void Store::ActedWithinYear::add_subjects_of_the_period(const Foyers& foyers, const std::string& foyer,
                                                         const std::string& subject, std::vector<std::string>& out) {
  if (foyer.empty()) return;
  auto it = foyers.find(foyer);
  if (it == foyers.end()) return;
  for (const std::string& s : it->second)
    if (!s.empty() && s != subject && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
}

Result<bool> Store::has_acted_on(const std::string& program, const std::string& subject, const std::string& period,
                                 const std::string& action) {
  auto rows = db_->run(
      "SELECT 1 FROM outbox WHERE program = $1 AND subject = $2 AND period = $3 AND "
      "(($4 = '' AND action <> 'refusal') OR action = $4) LIMIT 1",
      {program, subject, period, action});
  if (!rows) return rows.error();
  return !rows->rows.empty();
}

Result<std::string> Store::refusal_standing(const std::string& program, const std::string& subject,
                                            const std::string& period) {
  auto rows = db_->run(
      "SELECT r.period FROM outbox r WHERE r.program = $1 AND r.subject = $2 AND r.action = 'refusal' AND " +
          may_have_gone("r") + " AND r.period > $3 AND r.period <= $4 AND NOT EXISTS (SELECT 1 FROM outbox g WHERE "
          "g.program = r.program AND g.subject = r.subject AND g.action = 'grant' AND g.created_at > r.created_at AND " +
          may_have_gone("g") + ") ORDER BY r.period DESC LIMIT 1",
      {program, subject, year_before(period), period});
  if (!rows) return rows.error();
  if (rows->rows.empty()) return std::string();
  return std::get<std::string>(rows->rows.front()[0]);
}

Result<std::set<std::pair<std::string, std::string>>> Store::listed_in_run(const std::string& run_id) {
  auto rows = db_->run("SELECT program, subject FROM decisions WHERE run_id = $1 AND listed_in IS NOT NULL", {run_id});
  if (!rows) return rows.error();
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& row : rows->rows) out.emplace(std::get<std::string>(row[0]), std::get<std::string>(row[1]));
  return out;
}

Result<void> Store::store_plan(const std::vector<StoredDecision>& decisions,
                                       const std::vector<PlannedAction>& actions) {
  return in_transaction([&] { return insert_plan(decisions, actions); });
}

Result<void> Store::record_instant_decision(const CampaignRun& run, const StoredDecision& decision,
                                                    const std::vector<AuditEntry>& audits) {
  return in_transaction([&]() -> Result<void> {
    const int64_t now = now_ms();
    auto started = db_->run(
        "INSERT INTO campaign_runs (run_id, campaign, period, evaluation_date, campaign_hash, started_at, planned_at, "
        "sender, proactif_version) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) ON CONFLICT (run_id) DO NOTHING",
        {run.run_id, run.campaign, run.period, run.evaluation_date, run.campaign_hash, now, run.sender,
         std::string(proactif_version())});
    if (!started) return started.error();
    if (auto err = insert_plan({decision}, {}); !err.ok()) return err;
    auto traced = db_->run(
        "INSERT INTO counter_references (reference, program, decided_at) VALUES ($1, $2, $3) ON CONFLICT (reference) DO NOTHING",
        {decision.subject, decision.program, now});
    if (!traced) return traced.error();
    for (const AuditEntry& a : audits)
      if (auto err = audit(a.actor, a.operation, a.detail); !err.ok()) return err;
    return {};
  });
}

Result<void> Store::insert_plan(const std::vector<StoredDecision>& decisions,
                                        const std::vector<PlannedAction>& actions) {
  {
    int64_t now = now_ms();
    const std::string version = proactif_version();
    // Planning again adds nothing, but a decision that acts (a later run,
    // an event, the household reached this time) replaces one that only
    // listed the household for the social services, keeping where it did.
    for (const auto& d : decisions) {
      auto r = db_->run(
          "INSERT INTO decisions (program, subject, period, run_id, persons, status, decision, explanation, "
          "program_hash, evaluation_date, decided_at, proactif_version, outside, person_keys, listed_in, listed_as) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (program, subject, "
          "period) DO UPDATE SET run_id = excluded.run_id, persons = excluded.persons, status = excluded.status, "
          "decision = excluded.decision, explanation = excluded.explanation, program_hash = excluded.program_hash, "
          "evaluation_date = excluded.evaluation_date, decided_at = excluded.decided_at, proactif_version = "
          "excluded.proactif_version, outside = excluded.outside, person_keys = excluded.person_keys "
          "WHERE decisions.listed_in IS NOT NULL AND excluded.listed_in IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o "
          "WHERE o.program = decisions.program AND o.subject = decisions.subject AND o.period = decisions.period)",
          {d.program, d.subject, d.period, d.run_id, joined_persons(d.persons), d.status, d.decision_json,
           d.explanation_json, d.program_hash, d.evaluation_date, now, version, joined_persons(d.outside),
           joined_persons(d.person_keys), d.listed_in.empty() ? SqlValue{} : SqlValue{d.listed_in},
           d.listed_in.empty() ? SqlValue{} : SqlValue{d.listed_as}});
      if (!r) return r.error();
    }
    for (const auto& a : actions) {
      auto r = db_->run(
          "INSERT INTO outbox (program, subject, period, action, channel, run_id, recipient, message, "
          "verification_code, state, next_attempt_at, created_at, envelope, told) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, " + created_after_last("$10", "$1", "$2") +
              ", $11, $12) ON CONFLICT (program, subject, period, action) DO NOTHING",
          {a.key.program, a.key.subject, a.key.period, a.key.action, a.channel, a.run_id, a.recipient, a.message_json,
           a.verification_code, now, a.envelope.empty() ? a.verification_code : a.envelope, a.told});
      if (!r) return r.error();
      // Not one that may have left (in doubt); kept whole, to be sent after
      // all if the request's run is withdrawn (withdraw_unsent) before it left.
      std::vector<std::string> subjects = a.replaces_under;
      subjects.push_back(a.key.subject);
      for (const std::string& subject : subjects)
        for (const std::string& moot : a.replaces) {
          auto cancelled = db_->run(
              "UPDATE outbox SET state = 'cancelled', last_error = $5 WHERE program = $1 AND subject = $2 AND period = $3 "
              "AND action = $4 AND state IN ('pending', 'retry') AND in_doubt = 0",
              {a.key.program, subject, a.key.period, moot, replaced_by(a.run_id) + a.key.subject});
          if (!cancelled) return cancelled.error();
        }
    }
    return {};
  }
}

Result<bool> Store::lock_delivery(const std::string& deliverer) {
  if (db_->dialect() != "postgresql") return db_->try_exclusive_lock("delivery");
  // Shared with the other deliverers of this version, exclusive of a
  // Proactif from before several could deliver (it takes this one whole).
  auto shared = db_->run("SELECT pg_try_advisory_lock_shared(hashtext($1))", {std::string("proactif:delivery")});
  if (!shared) return shared.error();
  const std::string* got = as_text(shared->rows.at(0).at(0));
  if (!got || *got != "t") return false;
  if (auto err = join_delivery(deliverer); !err.ok()) return err.error();
  return true;
}

Result<void> Store::join_delivery(const std::string& deliverer) {
  if (db_->dialect() != "postgresql") return {};
  auto r = db_->run("SELECT pg_advisory_lock_shared(hashtext($1))", {"proactif:deliverer " + deliverer});
  return discard_value(r);
}

Result<Store::Owners> Store::owners_gone(const std::string& self, const std::string& rows) {
  // PostgreSQL: the deliverers gone are those whose lock can be taken
  // whole now: each connection of a live one holds it shared, so it is free
  // only once all of them are gone. It is taken only to look, and given
  // back. A row claimed before deliverers had ids (claimed_by NULL) is from
  // a process that is gone. SQLite: one process delivers at a time, and
  // this one holds the lock: every other is gone.
  if (db_->dialect() != "postgresql")
    return Owners{self.empty() ? "1 = 1" : "(claimed_by IS NULL OR claimed_by <> $1)", self.empty() ? std::vector<SqlValue>{}
                                                                                                     : std::vector<SqlValue>{self}};
  std::string gone = "claimed_by IS NULL";
  auto owners = db_->run("SELECT DISTINCT claimed_by FROM outbox WHERE " + rows + " AND claimed_by IS NOT NULL");
  if (!owners) return owners.error();
  std::vector<SqlValue> dead;
  for (const SqlRow& row : owners->rows) {
    const std::string owner = std::get<std::string>(row.at(0));
    // Advisory locks are re-entrant: this session would "take" its own.
    if (!self.empty() && owner == self) continue;
    auto free = db_->try_exclusive_lock("deliverer " + owner);
    if (!free) return free.error();
    if (!*free) continue;
    if (auto released = db_->run("SELECT pg_advisory_unlock(hashtext($1))", {"proactif:deliverer " + owner}); !released)
      return released.error();
    dead.push_back(owner);
  }
  for (size_t i = 0; i < dead.size(); ++i) gone += " OR claimed_by = $" + std::to_string(i + 1);
  return Owners{"(" + gone + ")", dead};
}

Result<int64_t> Store::recover_interrupted(const std::string& self) {
  if (db_->dialect() != "postgresql") return recover_rows("1 = 1", {});
  auto gone = owners_gone(self, "state = 'sending'");
  if (!gone) return gone.error();
  return recover_rows(gone->condition, gone->params);
}

Result<int64_t> Store::recover_rows(const std::string& owners_gone, const std::vector<SqlValue>& params) {
  int64_t changed = 0;
  auto err = in_transaction([&]() -> Result<void> {
    // Email and SMS cannot recognise a copy: one that may have left waits
    // for the operator. Letters are rewritten under the same name, batches
    // are found by their file, HTTP transmissions carry an Idempotency-Key.
    auto held = db_->run(
        "UPDATE outbox SET state = 'held', in_doubt = 1, last_error = 'interrupted while sending: it may have arrived' "
        "WHERE state = 'sending' AND attempt_started IS NOT NULL AND channel IN ('email', 'sms') AND " + owners_gone,
        params);
    if (!held) return held.error();
    auto retried = db_->run(
        "UPDATE outbox SET state = 'retry', in_doubt = CASE WHEN attempt_started IS NULL THEN in_doubt ELSE 1 END "
        "WHERE state = 'sending' AND " + owners_gone,
        params);
    if (!retried) return retried.error();
    changed = held->changed + retried->changed;
    return {};
  });
  if (!err.ok()) return err.error();
  return changed;
}

Result<void> Store::mark_attempt(const ActionKey& key, int64_t now) {
  auto params = key_params(key);
  params.push_back(now);
  auto r = db_->run(std::string("UPDATE outbox SET attempt_started = $5 WHERE ") + kKeyMatch + " AND state = 'sending'",
                    params);
  return discard_value(r);
}

namespace {

// Whether the envelope `envelope` (a column) holds the notice of a request
// ("nous transmettons votre demande") that has not reached the paying body:
// told before, the person would hear of a request that may never arrive.
// `states` are the request's states that count: all but 'delivered' to hold
// the notice back, or only those that delivery does not move on by itself.
// Correlated, so that a claim looks at its own envelopes through the index.
std::string awaits_request(const std::string& envelope, const std::string& states) {
  return "EXISTS (SELECT 1 FROM outbox n JOIN outbox g ON g.program = n.program AND g.subject = n.subject AND g.period = "
         "n.period AND g.action = 'grant' WHERE n.envelope = " + envelope + " AND n.action = 'grant_notice' AND n.state IN "
         "('pending', 'retry') AND g.state " + states + ")";
}

}  // namespace

Result<std::vector<OutboxEntry>> Store::claim_due(size_t limit, int64_t now, const std::string& run_id,
                                                  const std::vector<std::string>& paused, const std::string& deliverer) {
  // Whole envelopes (the rights told in one message), of runs whose planning
  // is finished: a message never leaves with part of its rights. Its
  // reference is the least code of all its rights, whatever became of them,
  // so that a message made again after an objection keeps its name.
  const std::string sql =
      "UPDATE outbox SET state = 'sending', attempts = attempts + 1, attempt_started = NULL, claimed_by = $8 "
      "WHERE state IN ('pending', 'retry') AND next_attempt_at <= $1 AND envelope IN (SELECT envelope FROM outbox c "
      "WHERE state IN ('pending', 'retry') AND next_attempt_at <= $1 "
      "AND ($3 = '' OR run_id LIKE $3 OR (action = 'refusal' AND run_id LIKE $9)) "
      "AND channel NOT IN ($4, $5, $6, $7) "  // the 4 channels
      "AND run_id IN (SELECT run_id FROM campaign_runs WHERE planned_at IS NOT NULL) "
      "AND NOT " + awaits_request("c.envelope", "<> 'delivered'") + " "
      "ORDER BY next_attempt_at, envelope LIMIT $2) "
      "RETURNING program, subject, period, action, channel, recipient, message, verification_code, attempts, in_doubt, "
      "batch, created_at, envelope, (SELECT MIN(o.verification_code) FROM outbox o WHERE o.envelope = outbox.envelope)";
  std::vector<SqlValue> params = {now, static_cast<int64_t>(limit), run_id};
  for (size_t i = 0; i < 4; ++i) params.emplace_back(i < paused.size() ? paused[i] : std::string());
  params.emplace_back(deliverer);
  // A refusal follows a request of any of the campaign's runs (`id:period`),
  // which an objection may come after: delivered with its current run.
  params.emplace_back(run_id.empty() ? std::string() : run_id.substr(0, run_id.find(':')) + ":%");
  std::vector<OutboxEntry> out;
  auto err = in_transaction([&]() -> Result<void> {
    // PostgreSQL: claims one at a time, whichever process claims (SQLite has
    // one writer at a time anyway). Not FOR UPDATE SKIP LOCKED: an envelope
    // is several rows, and skipping some of them would send a message
    // without all its rights; two claims locking rows of one envelope in
    // different orders would deadlock. A claim takes milliseconds.
    if (db_->dialect() == "postgresql")
      if (auto locked = db_->run("SELECT pg_advisory_xact_lock(hashtext('proactif outbox claim'))", {}); !locked)
        return locked.error();
    auto r = db_->run(sql, params);
    if (!r) return r.error();
    for (auto& row : r->rows) {
      OutboxEntry e;
      e.key = {std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
               std::get<std::string>(row[3])};
      e.channel = std::get<std::string>(row[4]);
      e.recipient = std::get<std::string>(row[5]);
      e.message_json = std::get<std::string>(row[6]);
      e.verification_code = std::get<std::string>(row[7]);
      e.attempts = static_cast<int>(as_int(row[8]));
      e.in_doubt = as_int(row[9]) != 0;
      if (const std::string* batch = as_text(row[10])) e.batch = *batch;
      e.created_at = as_int(row[11]);
      if (const std::string* envelope = as_text(row[12])) e.envelope = *envelope;
      if (const std::string* reference = as_text(row[13])) e.reference = *reference;
      out.push_back(std::move(e));
    }
    return {};
  });
  if (!err.ok()) return err.error();
  return out;
}

Result<void> Store::mark_delivered(const ActionKey& key, int64_t now, const std::string& letter_file) {
  // The recipient and the content are not needed once delivered (minimisation);
  // the key, the code and the date remain as the exchange trace.
  auto params = key_params(key);
  params.push_back(now);
  params.push_back(letter_file.empty() ? SqlValue{} : SqlValue{letter_file});
  auto r = db_->run(std::string("UPDATE outbox SET state = 'delivered', delivered_at = $5, recipient = '', message = '', "
                                "last_error = NULL, letter_file = $6, delivery_unaudited = 1 WHERE ") + kKeyMatch +
                        " AND state = 'sending'",
                    params);
  return discard_value(r);
}

Result<void> Store::release(const ActionKey& key, int64_t retry_at) {
  auto params = key_params(key);
  params.push_back(retry_at);
  auto r = db_->run(std::string("UPDATE outbox SET state = 'retry', attempts = attempts - 1, next_attempt_at = $5 WHERE ") +
                        kKeyMatch + " AND state = 'sending'",
                    params);
  return discard_value(r);
}

Result<void> Store::mark_failed(const ActionKey& key, const std::string& error, int64_t retry_at, bool dead,
                                bool may_have_arrived) {
  auto params = key_params(key);
  params.push_back(std::string(dead ? "dead" : "retry"));
  params.push_back(error);
  params.push_back(retry_at);
  params.push_back(int64_t{may_have_arrived});
  auto r = db_->run(std::string("UPDATE outbox SET state = $5, last_error = $6, next_attempt_at = $7, in_doubt = "
                                "CASE WHEN $8 = 1 THEN 1 ELSE in_doubt END WHERE ") +
                        kKeyMatch + " AND state = 'sending'",
                    params);
  return discard_value(r);
}

Result<OutboxCounts> Store::outbox_counts(const std::string& run_id) {
  auto r = db_->run(
      "SELECT state, COUNT(*), SUM(in_doubt), SUM(CASE WHEN receipt = 'accepted' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN receipt LIKE 'rejected%' THEN 1 ELSE 0 END) FROM outbox WHERE ($1 = '' OR run_id LIKE $1) "
      "GROUP BY state",
      {run_id});
  if (!r) return r.error();
  OutboxCounts c;
  // What waits for a request that failed for good, or was held, cancelled or
  // expired: its envelope's actions, whatever their program.
  auto stalled = db_->run("SELECT COUNT(*) FROM outbox o WHERE state IN ('pending', 'retry') AND ($1 = '' OR run_id LIKE $1) "
                          "AND " + awaits_request("o.envelope", "IN ('dead', 'held', 'cancelled', 'expired')"),
                          {run_id});
  if (!stalled) return stalled.error();
  c.awaiting_failed_request = stalled->rows.empty() ? 0 : as_int(stalled->rows[0][0]);
  auto withdrawn = db_->run("SELECT COALESCE(SUM(withdrawn_actions), 0) FROM campaign_runs WHERE $1 = '' OR run_id LIKE $1",
                            {run_id});
  if (!withdrawn) return withdrawn.error();
  c.withdrawn = withdrawn->rows.empty() ? 0 : as_int(withdrawn->rows[0][0]);
  for (auto& row : r->rows) {
    const std::string& state = std::get<std::string>(row[0]);
    int64_t n = as_int(row[1]);
    c.in_doubt += as_int(row[2]);
    c.accepted += as_int(row[3]);
    c.rejected += as_int(row[4]);
    if (state == "pending") c.pending = n;
    else if (state == "sending") c.sending = n;
    else if (state == "retry") c.retry = n;
    else if (state == "delivered") c.delivered = n;
    else if (state == "dead") c.dead = n;
    else if (state == "cancelled") c.cancelled = n;
    else if (state == "expired") c.expired = n;
    else if (state == "held") c.held = n;
  }
  return c;
}

Result<void> Store::mark_unknown(const ActionKey& key, const std::string& error) {
  auto params = key_params(key);
  params.push_back(error);
  auto r = db_->run(std::string("UPDATE outbox SET state = 'held', in_doubt = 1, last_error = $5 WHERE ") + kKeyMatch +
                        " AND state = 'sending'",
                    params);
  return discard_value(r);
}

Result<int64_t> Store::settle_held(const std::string& runs, bool delivered, int64_t now,
                                   const std::vector<std::string>& codes) {
  const std::string set = delivered ? "UPDATE outbox SET state = 'delivered', delivered_at = $2, recipient = '', message = '' "
                                    : "UPDATE outbox SET state = 'retry', next_attempt_at = $2 ";
  const std::string held = "WHERE state = 'held' AND ($1 = '' OR run_id LIKE $1)";
  if (codes.empty()) {
    auto r = db_->run(set + held, {runs, now});
    if (!r) return r.error();
    return r->changed;
  }
  int64_t changed = 0;
  auto err = in_transaction([&]() -> Result<void> {
    // A message telling a household of several rights carries each right's
    // code: it is settled whole, whichever of its codes is given, once.
    std::set<std::string> envelopes;
    for (const std::string& code : codes) {
      auto r = db_->run("SELECT envelope FROM outbox " + held + " AND verification_code = $2", {runs, code});
      if (!r) return r.error();
      const std::string* envelope = r->rows.empty() ? nullptr : as_text(r->rows[0][0]);
      if (!envelope) return Error{ErrorKind::kNotFound, code + ": no send held with this code in this campaign (proactif campaign settle --list)"};
      envelopes.insert(*envelope);
    }
    for (const std::string& envelope : envelopes) {
      auto r = db_->run(set + held + " AND envelope = $3", {runs, now, envelope});
      if (!r) return r.error();
      changed += r->changed;
    }
    return {};
  });
  if (!err.ok()) return err.error();
  return changed;
}

Result<std::vector<Store::HeldSend>> Store::held_sends(const std::string& runs) {
  auto r = db_->run(
      "SELECT verification_code, channel, COALESCE(attempt_started, 0), COALESCE(last_error, '') FROM outbox "
      "WHERE state = 'held' AND ($1 = '' OR run_id LIKE $1) ORDER BY attempt_started, verification_code",
      {runs});
  if (!r) return r.error();
  std::vector<HeldSend> out;
  for (const SqlRow& row : r->rows)
    out.push_back({as_text(row.at(0)) ? *as_text(row.at(0)) : "", as_text(row.at(1)) ? *as_text(row.at(1)) : "",
                   as_text(row.at(3)) ? *as_text(row.at(3)) : "", as_int(row.at(2))});
  return out;
}

namespace {

// A period "YYYY-MM" as a count of months; -1 for any other text.
int period_month(const std::string& period) {
  if (period.size() != 7 || period[4] != '-') return -1;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (period[i] < '0' || period[i] > '9') return -1;
  return std::stoi(period.substr(0, 4)) * 12 + std::stoi(period.substr(5, 2));
}

}  // namespace

Result<int64_t> Store::cancel_dead_notices_told_since(const std::string& runs, bool all_go) {
  struct Notice {
    ActionKey key;
    std::string foyer;
    int month = -1;
  };
  auto dead = db_->run(
      "SELECT g.program, g.subject, g.period, g.action, d.persons FROM outbox g LEFT JOIN decisions d ON d.program = "
      "g.program AND d.subject = g.subject AND d.period = g.period WHERE g.state = 'dead' AND g.action IN ('notify', "
      "'notify_possible') AND ($1 = '' OR g.run_id LIKE $1)",
      {runs});
  if (!dead) return dead.error();
  std::vector<Notice> notices;
  for (const SqlRow& row : dead->rows) {
    Notice n{{std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
              std::get<std::string>(row[3])}};
    if (const std::string* persons = as_text(row[4])) n.foyer = foyer_key(split_persons(*persons));
    n.month = period_month(n.key.period);
    notices.push_back(std::move(n));
  }
  // The latest first: whether an earlier one goes depends on whether a later
  // one of its household does, decided by then.
  auto later = [](const Notice& a, const Notice& b) {
    return std::tie(a.key.period, a.key.subject, a.key.program) > std::tie(b.key.period, b.key.subject, b.key.program);
  };
  std::sort(notices.begin(), notices.end(), later);
  // What the store holds as told, as a campaign of the notice's period
  // would read it (a dead row tells nobody), once per program and period.
  std::map<std::pair<std::string, std::string>, ActedWithinYear> told;
  std::unordered_map<std::string, std::vector<size_t>> going;  // program|s|subject, program|f|foyer: notices that go
  int64_t cancelled = 0;
  for (size_t i = 0; i < notices.size(); ++i) {
    const Notice& n = notices[i];
    auto at = told.find({n.key.program, n.key.period});
    if (at == told.end()) {
      auto year = acted_within_year(n.key.program, n.key.period);
      if (!year) return year.error();
      at = told.emplace(std::make_pair(n.key.program, n.key.period), std::move(*year)).first;
    }
    const ActedWithinYear& year = at->second;
    auto within = [&](const std::unordered_set<std::string>& subjects, const ActedWithinYear::Foyers& foyers) {
      return subjects.count(n.key.subject) > 0 || ActedWithinYear::foyer_acted_on(foyers, n.foyer, n.key.subject);
    };
    bool told_since = within(year.told_of_right, year.told_of_right_foyers) ||
                      (n.key.action == "notify_possible" && within(year.told_of_possible, year.told_of_possible_foyers));
    std::vector<std::string> keys = {n.key.program + "|s|" + n.key.subject};
    if (!n.foyer.empty()) keys.push_back(n.key.program + "|f|" + n.foyer);
    // Requeued with a later notice of the same household that tells as much
    // (a right; for a possible right, either): that one goes.
    for (const std::string& key : keys)
      if (auto g = going.find(key); g != going.end())
        for (size_t j : g->second)
          told_since |= n.month >= 0 && notices[j].month >= 0 && notices[j].month - n.month < 12 &&
                        (notices[j].key.action == "notify" || n.key.action == "notify_possible");
    if (!told_since) {
      if (all_go)
        for (const std::string& key : keys) going[key].push_back(i);
      continue;
    }
    auto params = key_params(n.key);
    params.emplace_back(std::string("not sent: the household was told since, or is told by a later notice"));
    auto r = db_->run(std::string("UPDATE outbox SET state = 'cancelled', recipient = '', message = '', told = '', last_error = $5 "
                                  "WHERE ") +
                          kKeyMatch + " AND state = 'dead'",
                      params);
    if (!r) return r.error();
    cancelled += r->changed;
  }
  return cancelled;
}

Result<Store::RequeuedDead> Store::requeue_dead(const std::string& runs, int64_t now) {
  RequeuedDead out;
  auto err = deciding_requests([&]() -> Result<void> {
    auto told_since = cancel_dead_notices_told_since(runs, true);
    if (!told_since) return told_since.error();
    out.notices_told_since = *told_since;
    struct Request {
      std::string program, subject, period, foyer;
      std::vector<std::string> persons, keys;  // keys: their keyed NIRs, which an objection follows too
      std::string state;
      bool in_doubt = false;  // it went once without an answer: it may have arrived
      int month = -1;
    };
    auto read = [&](const SqlRow& row) {
      Request r{std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2])};
      if (const std::string* persons = as_text(row[3])) r.persons = split_persons(*persons);
      if (const std::string* keyed = as_text(row[5]))
        for (auto& [id, key] : split_person_keys(*keyed)) r.keys.push_back(key);
      r.foyer = foyer_key(r.persons);
      r.state = std::get<std::string>(row[4]);
      r.in_doubt = as_int(row[6]) != 0;
      r.month = period_month(r.period);
      return r;
    };
    const std::string kRequests =
        "SELECT g.program, g.subject, g.period, d.persons, g.state, d.person_keys, g.in_doubt FROM outbox g LEFT JOIN "
        "decisions d ON d.program = g.program AND d.subject = g.subject AND d.period = g.period WHERE g.action = 'grant' ";
    auto dead = db_->run(kRequests + "AND g.state = 'dead' AND ($1 = '' OR g.run_id LIKE $1)", {runs});
    if (!dead) return dead.error();
    std::vector<Request> requeued;
    for (const SqlRow& row : dead->rows) requeued.push_back(read(row));
    auto later = [](const Request& a, const Request& b) {
      return std::tie(a.period, a.subject) > std::tie(b.period, b.subject);
    };
    // The latest first: whether an earlier one goes depends on whether a
    // later one does, decided by then.
    std::sort(requeued.begin(), requeued.end(), [&](const Request& a, const Request& b) {
      return later(a, b) || (!later(b, a) && a.program > b.program);
    });
    if (!requeued.empty()) {
      // Planning reads what was requested before it plans: a request sent
      // again meanwhile would be asked a second time. A run starting now
      // waits for this transaction (SQLite's is a writer's already).
      if (db_->dialect() == "postgresql")
        if (auto locked = db_->run("LOCK TABLE campaign_runs IN SHARE MODE", {}); !locked) return locked.error();
      auto planning = db_->run("SELECT run_id FROM campaign_runs WHERE planned_at IS NULL LIMIT 1", {});
      if (!planning) return planning.error();
      if (!planning->rows.empty())
        return Error{ErrorKind::kRefused, "run " + std::get<std::string>(planning->rows[0][0]) +
                                               " is being planned, or was interrupted while planning: requeue dead "
                                               "requests once it is planned (run its campaign again to finish it)"};
    }
    // The other requests of those households and foyers within the year:
    // those that stand or wait to be sent, and the dead ones of other runs.
    // A request the paying body rejected stands for nothing.
    std::map<std::string, std::pair<int, int>> window;  // program -> its dead requests' months, first and last
    for (const Request& r : requeued) {
      auto [at, fresh] = window.try_emplace(r.program, r.month, r.month);
      at->second = {std::min(at->second.first, r.month), std::max(at->second.second, r.month)};
    }
    std::vector<Request> others;
    std::unordered_set<std::string> objected_ids, objected_foyers;  // "program|" and the subject, person or foyer
    auto month_text = [](int m) {
      char text[16];
      std::snprintf(text, sizeof text, "%04d-%02d", (m - 1) / 12, (m - 1) % 12 + 1);
      return std::string(text);
    };
    for (const auto& [program, months] : window) {
      auto rows = db_->run(kRequests + "AND g.program = $1 AND g.period > $2 AND g.period < $3 AND (g.state NOT IN "
                                       "('cancelled', 'expired') OR g.in_doubt = 1) AND NOT (g.state = 'dead' AND ($4 = '' "
                                       "OR g.run_id LIKE $4)) AND (g.receipt IS NULL OR g.receipt NOT LIKE 'rejected%')",
                           {program, month_text(months.first - 12), month_text(months.second + 12), runs});
      if (!rows) return rows.error();
      for (const SqlRow& row : rows->rows) others.push_back(read(row));
      // Who objected: a subject or a person, and the foyers of the
      // households that objected (a refusal under another case number).
      auto ids = objectors(program);
      if (!ids) return ids.error();
      for (const std::string& id : *ids) objected_ids.insert(program + "|" + id);
      auto foyers = db_->run("SELECT d.persons FROM decisions d JOIN objections o ON o.subject = d.subject AND (o.program = "
                             "d.program OR o.program = '*') WHERE d.program = $1",
                             {program});
      if (!foyers) return foyers.error();
      for (const SqlRow& row : foyers->rows)
        if (const std::string* persons = as_text(row[0]))
          if (std::string foyer = foyer_key(split_persons(*persons)); !foyer.empty())
            objected_foyers.insert(program + "|" + foyer);
    }
    auto objected = [&](const Request& r) {
      const std::string of = r.program + "|";
      if (objected_ids.count(of + r.subject) || (!r.foyer.empty() && objected_foyers.count(of + r.foyer))) return true;
      return std::any_of(r.persons.begin(), r.persons.end(), [&](const std::string& p) {
               return p.find(':') != std::string::npos && objected_ids.count(of + p);
             }) ||
             std::any_of(r.keys.begin(), r.keys.end(), [&](const std::string& k) { return objected_ids.count(of + k) > 0; });
    };
    auto same_household = [](const Request& a, const Request& b) {
      return a.program == b.program && a.month >= 0 && b.month >= 0 && std::abs(a.month - b.month) < 12 &&
             (a.subject == b.subject || (!a.foyer.empty() && a.foyer == b.foyer));
    };
    // Objections first, so that a request cancelled for one never stands
    // for another; then, of the dead ones requeued here, the latest of a
    // household goes.
    std::vector<uint8_t> goes(requeued.size(), 0);
    for (size_t i = 0; i < requeued.size(); ++i) goes[i] = !objected(requeued[i]);
    // Requests found by household and by foyer, so that a requeue of many
    // compares each with its own household's only.
    using Index = std::unordered_map<std::string, std::vector<size_t>>;
    auto keys_of = [](const Request& r) {
      std::vector<std::string> keys = {r.program + "|s|" + r.subject};
      if (!r.foyer.empty()) keys.push_back(r.program + "|f|" + r.foyer);
      return keys;
    };
    auto index = [&](const std::vector<Request>& requests) {
      Index by;
      for (size_t i = 0; i < requests.size(); ++i)
        for (const std::string& key : keys_of(requests[i])) by[key].push_back(i);
      return by;
    };
    const Index others_by = index(others), requeued_by = index(requeued);
    auto each_of_household = [&](const Request& r, const Index& by, const auto& visit) {
      std::set<size_t> seen;
      for (const std::string& key : keys_of(r))
        if (auto at = by.find(key); at != by.end())
          for (size_t i : at->second)
            if (seen.insert(i).second) visit(i);
    };
    auto cancel = [&](const Request& r, const char* why) -> Result<void> {
      auto params = key_params({r.program, r.subject, r.period, "grant"});
      params.emplace_back(std::string(why));
      auto cancelled = db_->run(
          "UPDATE outbox SET state = 'cancelled', recipient = '', message = '', told = '', last_error = $5 WHERE program = $1 AND "
          "subject = $2 AND period = $3 AND ((action = $4 AND state = 'dead') OR (action = 'grant_notice' AND state IN "
          "('pending', 'retry', 'dead')))",
          params);
      if (!cancelled) return cancelled.error();
      return {};
    };
    for (size_t i = 0; i < requeued.size(); ++i) {
      const Request& r = requeued[i];
      if (!goes[i]) {
        if (auto e = cancel(r, "not sent: the person objected"); !e.ok()) return e;
        ++out.objected;
        continue;
      }
      // Another request reached the paying body, or may have (sent without
      // an answer, since dead or not): this one is not sent. One waiting to
      // be sent, or dead in another run and later, may yet go: this one
      // stays dead, for a later requeue to decide, unless it may have
      // arrived itself, where the later one will not go.
      bool reached = false, waits = false;
      each_of_household(r, others_by, [&](size_t j) {
        const Request& o = others[j];
        if (!same_household(r, o) || objected(o)) return;
        // One that may have arrived, cancelled or past its retention since,
        // stands against a request that did not go; one that may have
        // arrived itself goes again under its own key.
        const bool gone = o.state == "cancelled" || o.state == "expired";
        if (o.state == "delivered" || o.state == "sending" || o.state == "held" || (o.in_doubt && (!gone || !r.in_doubt)))
          reached = true;
        else if (!gone && (o.state != "dead" || (later(o, r) && !r.in_doubt))) waits = true;
      });
      // Requeued here with it: the one that may have arrived already goes
      // (sent again, it is recognised by its Idempotency-Key, where the
      // other would be a second request), else the later one.
      each_of_household(r, requeued_by, [&](size_t j) {
        const Request& o = requeued[j];
        if (j != i && goes[j] && same_household(r, o) && (o.in_doubt != r.in_doubt ? o.in_doubt : later(o, r)))
          reached = true;
      });
      if (reached) {
        if (auto e = cancel(r, "not sent: another request for the same household went, may have, or goes"); !e.ok()) return e;
        ++out.superseded;
        goes[i] = 0;
      } else if (waits) {
        ++out.left_dead;
        goes[i] = 0;
      }
    }
    // The rest of the runs' dead letters, and the requests that go.
    auto r = db_->run(
        "UPDATE outbox SET state = 'retry', attempts = 0, next_attempt_at = $2 WHERE state = 'dead' AND action <> 'grant' "
        "AND ($1 = '' OR run_id LIKE $1)",
        {runs, now});
    if (!r) return r.error();
    out.requeued = r->changed;
    for (size_t i = 0; i < requeued.size(); ++i) {
      if (!goes[i]) continue;
      const Request& g = requeued[i];
      auto params = key_params({g.program, g.subject, g.period, "grant"});
      params.emplace_back(now);
      auto one = db_->run(std::string("UPDATE outbox SET state = 'retry', attempts = 0, next_attempt_at = $5 WHERE ") +
                              kKeyMatch + " AND state = 'dead'",
                          params);
      if (!one) return one.error();
      out.requeued += one->changed;
    }
    return {};
  });
  if (!err.ok()) return err.error();
  return out;
}

Result<Store::Requeued> Store::requeue_dead_by_letter(const std::string& runs, int64_t now, const std::string& actor,
                                                      const std::function<std::string(const std::string&)>& letter_recipient) {
  Requeued out;
  auto err = deciding_requests([&]() -> Result<void> {
    // Which dead notices go by letter is known only as they move (an
    // address, a whole envelope): a later one does not stand for an earlier.
    auto told_since = cancel_dead_notices_told_since(runs, false);
    if (!told_since) return told_since.error();
    out.notices_told_since = *told_since;
    // A page of envelopes at a time: a large outage's notices do not all sit
    // in memory. An envelope's rights go in one letter, or all stay: the
    // message tells them together.
    constexpr int64_t kEnvelopesAPage = 500;
    // Rows written before envelopes existed have each their own, as
    // migration 7 gave them, so that the pages below find them.
    if (auto r = db_->run("UPDATE outbox SET envelope = verification_code WHERE state = 'dead' AND (envelope IS NULL OR "
                          "envelope = '') AND ($1 = '' OR run_id LIKE $1)",
                          {runs});
        !r)
      return r.error();
    const std::string kDead = "FROM outbox WHERE state = 'dead' AND channel IN ('email', 'sms') AND ($1 = '' OR run_id LIKE $1) ";
    std::string after;
    for (;;) {
      auto page = db_->run("SELECT DISTINCT envelope " + kDead + "AND envelope > $2 ORDER BY envelope LIMIT $3",
                           {runs, after, kEnvelopesAPage});
      if (!page) return page.error();
      if (page->rows.empty()) break;
      const std::string last = as_text(page->rows.back().at(0)) ? *as_text(page->rows.back().at(0)) : "";
      auto dead = db_->run("SELECT program, subject, period, action, envelope, message " + kDead +
                               "AND envelope > $2 AND envelope <= $3 ORDER BY envelope",
                           {runs, after, last});
      if (!dead) return dead.error();
      after = last;
      std::map<std::string, std::vector<std::pair<ActionKey, std::string>>> envelopes;
      for (const SqlRow& row : dead->rows) {
        ActionKey key{std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
                      std::get<std::string>(row[3])};
        const std::string* message = as_text(row[5]);
        envelopes[*as_text(row[4])].emplace_back(key, message ? letter_recipient(*message) : "");
      }
      for (const auto& [envelope, actions] : envelopes) {
        const std::string& recipient = actions.front().second;
        const bool all_addressed =
            std::all_of(actions.begin(), actions.end(), [&](const auto& a) { return a.second == recipient; });
        if (recipient.empty() || !all_addressed) {
          out.without_address += static_cast<int64_t>(actions.size());
          continue;
        }
        // An envelope of its own, never one a letter already went in (its
        // file, its reference) nor another message's.
        const std::string letter = envelope + "|letter";
        for (const auto& [key, to] : actions) {
          auto params = key_params(key);
          params.insert(params.end(), {SqlValue(to), SqlValue(letter), SqlValue(now)});
          auto moved = db_->run(std::string("UPDATE outbox SET channel = 'letter', recipient = $5, envelope = $6, state = "
                                            "'retry', attempts = 0, next_attempt_at = $7 WHERE ") +
                                    kKeyMatch + " AND state = 'dead'",
                                params);
          if (!moved) return moved.error();
          // Requeued otherwise meanwhile: nothing moves, or an envelope would split.
          if (moved->changed != 1)
            return Error{ErrorKind::kRefused, "the dead letters changed while they were requeued: run it again"};
          ++out.by_letter;
        }
      }
    }
    return audit(actor, "dead letters requeued by letter",
                 runs + ": " + std::to_string(out.by_letter) + " by letter, " + std::to_string(out.without_address) +
                     " without a postal address, " + std::to_string(out.notices_told_since) +
                     " notices not sent, told since");
  });
  if (!err.ok()) return err.error();
  return out;
}

Result<void> Store::assign_batch(const std::vector<ActionKey>& keys, const std::string& batch) {
  return in_transaction([&]() -> Result<void> {
    for (const auto& k : keys) {
      auto params = key_params(k);
      params.push_back(batch);
      auto r = db_->run(std::string("UPDATE outbox SET batch = $5 WHERE ") + kKeyMatch, params);
      if (!r) return r.error();
    }
    return {};
  });
}

Result<bool> Store::record_receipt(const std::string& code, const std::string& receipt, int64_t now) {
  auto r = db_->run(
      "UPDATE outbox SET receipt = $2, receipt_at = $3 WHERE verification_code = $1 AND channel = 'transmission'",
      {code, receipt, now});
  if (!r) return r.error();
  return r->changed > 0;
}

Result<std::optional<VerifiedMessage>> Store::verify(const std::string& code) {
  auto r = db_->run(
      "SELECT o.program, o.channel, o.action, o.state, r.campaign, o.created_at, o.delivered_at, r.sender, o.in_doubt "
      "FROM outbox o "
      "JOIN campaign_runs r ON r.run_id = o.run_id WHERE o.verification_code = $1",
      {code});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<VerifiedMessage>{};
  auto& row = r->rows[0];
  VerifiedMessage m{std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
                    std::get<std::string>(row[3]), std::get<std::string>(row[4]), "", as_int(row[5]), as_int(row[6])};
  if (const std::string* sender = as_text(row[7])) m.sender = *sender;
  m.in_doubt = as_int(row[8]) != 0;
  return std::optional<VerifiedMessage>(m);
}

Result<std::optional<ActionKey>> Store::action_of_code(const std::string& code) {
  auto r = db_->run("SELECT program, subject, period, action FROM outbox WHERE verification_code = $1", {code});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<ActionKey>{};
  auto& row = r->rows[0];
  return std::optional<ActionKey>(ActionKey{std::get<std::string>(row[0]), std::get<std::string>(row[1]),
                                            std::get<std::string>(row[2]), std::get<std::string>(row[3])});
}

namespace {

// An event's refusal, as its origin records it ("refused with event
// rsa_granted of 2025-06-20[, with the claim of 2025-05-10]"): the day of
// the choice, its claim's where the event gave it (`dated`), else the
// event's, on or after the claim's. Empty for any other objection.
struct RefusalDay {
  std::string day;
  bool dated = false;
};
constexpr std::string_view kRefusedWithEvent = "refused with event ", kWithTheClaim = ", with the claim of ";
// The origin of a person's row that follows a household's objection.
const std::string kFollowing = "with the objection of ";
RefusalDay refusal_day(const std::string& origin) {
  if (origin.rfind(kRefusedWithEvent, 0) != 0 || origin.size() < 10) return {};
  std::string day = origin.substr(origin.size() - 10);
  if (!parse_iso_date(day)) return {};
  const bool dated = origin.size() >= 10 + kWithTheClaim.size() &&
                     origin.compare(origin.size() - 10 - kWithTheClaim.size(), kWithTheClaim.size(), kWithTheClaim) == 0;
  return {day, dated};
}

}  // namespace

Result<ObjectionResult> Store::object(const std::string& subject, const std::string& program, const std::string& origin,
                                      int64_t now, const RefusalOf& refusal_of, const std::vector<std::string>& foyer,
                                      const std::vector<std::string>& foyer_keys) {
  ObjectionResult result;
  // One at a time with a campaign's storing of its plan, which reads again
  // who objected while it planned: the objection is seen there, or it
  // cancels what was stored before it.
  auto err = deciding_requests([&]() -> Result<void> {
    // An objection made again is renewed: its retention starts again from
    // now (the messages say it may be renewed), with its latest origin; but
    // an objection to the processing stays one when a refusal made with a
    // claim renews it, which a later claim could replace
    // (lift_earlier_refusals), and a refusal keeps the latest choice's day
    // when one of an earlier claim comes late.
    // Whatever the clocks say of the two: a later time only moves the date.
    const RefusalDay refusal = refusal_day(origin);
    auto standing = db_->run("SELECT origin FROM objections WHERE subject = $1 AND program = $2", {subject, program});
    if (!standing) return standing.error();
    std::string recorded_origin = origin;
    if (!refusal.day.empty() && !standing->rows.empty()) {
      const std::string before = std::get<std::string>(standing->rows[0][0]);
      const RefusalDay earlier = refusal_day(before);
      if (earlier.day.empty() || earlier.day > refusal.day) recorded_origin = before;
    }
    const bool latest = recorded_origin == origin;
    auto r = db_->run(
        "INSERT INTO objections (subject, program, recorded_at, origin, linked_at, foyer_size) VALUES ($1, $2, $3, $4, $3, $6) "
        "ON CONFLICT (subject, program) DO UPDATE SET recorded_at = CASE WHEN excluded.recorded_at > "
        "objections.recorded_at THEN excluded.recorded_at ELSE objections.recorded_at END, origin = excluded.origin, "
        "linked_at = CASE WHEN $5 = 1 THEN excluded.linked_at ELSE objections.linked_at END, "
        "foyer_size = CASE WHEN $5 = 1 THEN excluded.foyer_size ELSE objections.foyer_size END",
        {subject, program, now, recorded_origin, int64_t{latest ? 1 : 0}, static_cast<int64_t>(foyer.size())});
    if (!r) return r.error();
    // A household's objection follows the persons its foyer has now (its
    // latest decision for each program, or the foyer its caller names: an
    // event's, not yet decided on): a later extract may give them another
    // household number (a move, a separation), under which they must not
    // be told again (GDPR art. 21). Who objects is not known: a person the
    // latest decision lists, though they may have left since, is taken to
    // (no message rather than one against an objection).
    auto decided = db_->run("SELECT program, persons FROM decisions WHERE subject = $1 AND ($2 = '*' OR program = $2) "
                            "ORDER BY period",
                            {subject, program});
    if (!decided) return decided.error();
    std::map<std::string, std::vector<std::string>> foyer_now;  // program -> the subject's foyer now
    for (auto& row : decided->rows) {
      const std::string* listed = as_text(row[1]);
      foyer_now[std::get<std::string>(row[0])] = listed ? split_persons(*listed) : std::vector<std::string>{};
    }
    // The persons of a household, as its latest decision for a program
    // listed them on `decided_at`, kept for its later objections once an
    // objection deleted that decision (objection_persons, migration 19).
    auto link_persons = [&](const std::string& household, const std::string& of, const std::vector<std::string>& persons,
                            int64_t decided_at) -> Result<void> {
      for (const std::string& person : persons) {
        if (person.find(':') == std::string::npos) continue;  // a situation's own "p1"
        auto linked = db_->run(
            "INSERT INTO objection_persons (foyer, program, person, decided_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (foyer, program, person) DO UPDATE SET decided_at = excluded.decided_at "
            "WHERE objection_persons.decided_at < excluded.decided_at",
            {household, of, person, decided_at});
        if (!linked) return linked.error();
      }
      return {};
    };
    // An event's foyer, not decided on: as of now.
    if (!foyer.empty() && program != "*") {
      foyer_now[program] = foyer;
      std::vector<std::string> linked_persons = foyer;
      for (const auto& [id, key] : split_person_keys(joined_persons(foyer_keys))) linked_persons.push_back(key);
      if (auto linked = link_persons(subject, program, linked_persons, now); !linked.ok()) return linked;
    }
    std::set<std::string> members;
    for (const auto& [of, persons] : foyer_now) members.insert(persons.begin(), persons.end());
    // And, for a program of which no decision of the household is left (an
    // earlier objection, to that program or a member's own, deleted it), the
    // persons it listed: an objection to all after one must follow them
    // still.
    auto kept = db_->run("SELECT program, person FROM objection_persons WHERE foyer = $1 AND ($2 = '*' OR program = $2)",
                         {subject, program});
    if (!kept) return kept.error();
    for (auto& row : kept->rows)
      if (!foyer_now.count(std::get<std::string>(row[0]))) members.insert(std::get<std::string>(row[1]));
    // Only a person named as campaigns name them (SOURCE:ID): a situation's
    // own "p1" names someone else in every other one.
    std::erase_if(members, [&](const std::string& person) {
      return person.empty() || person == subject || person.find(':') == std::string::npos;
    });
    // The (id, key) entries of the decisions whose person_keys match one of
    // the patterns made of `values`.
    using KeyEntries = std::vector<std::pair<std::string, std::string>>;
    auto keys_matching = [&](const std::vector<std::string>& values,
                             std::string (*pattern)(const std::string&)) -> Result<KeyEntries> {
      KeyEntries out;
      if (values.empty()) return out;
      std::string sql = "SELECT DISTINCT person_keys FROM decisions WHERE ";
      std::vector<SqlValue> params;
      for (const std::string& v : values) {
        params.push_back(pattern(v));
        sql += (params.size() > 1 ? " OR " : "") + std::string("person_keys LIKE $") + std::to_string(params.size()) +
               " ESCAPE '\\'";
      }
      auto found = db_->run(sql, params);
      if (!found) return found.error();
      for (auto& row : found->rows)
        if (const std::string* listed = as_text(row[0]))
          for (auto& entry : split_person_keys(*listed)) out.push_back(std::move(entry));
      return out;
    };
    // Their keyed NIRs, as the decisions that list them give them, or the
    // caller's foyer: the CAF may number a person anew, and their household
    // too, and their objection must follow them still (the NIR stays). The
    // ids decisions give the same keys are the same persons: members too.
    std::map<std::string, std::string> key_of;  // person id -> key
    std::set<std::string> keys;
    for (const auto& [id, key] : split_person_keys(joined_persons(foyer_keys))) key_of[id] = key;
    {
      std::vector<std::string> asked;
      for (const std::string& person : members)
        if (!is_key(person)) asked.push_back(person);
      if (!is_key(subject)) asked.push_back(subject);
      auto entries = keys_matching(asked, [](const std::string& id) { return "%," + like_escaped(id) + "=%"; });
      if (!entries) return entries.error();
      for (const auto& [id, key] : *entries)
        if (std::find(asked.begin(), asked.end(), id) != asked.end()) key_of[id] = key;
    }
    for (const auto& [id, key] : key_of) keys.insert(key);
    for (const std::string& person : members)
      if (is_key(person)) keys.insert(person);
    if (!keys.empty()) {
      const std::vector<std::string> asked(keys.begin(), keys.end());
      auto entries = keys_matching(asked, [](const std::string& key) { return "%=" + like_escaped(key) + ",%"; });
      if (!entries) return entries.error();
      for (const auto& [id, key] : *entries)
        if (keys.count(key)) {
          key_of[id] = key;
          if (id != subject) members.insert(id);
        }
      members.insert(keys.begin(), keys.end());
    }
    // The other households its persons were decided in, as each is now:
    // its latest decision for the program.
    struct Other {
      std::string program, household;
      std::vector<std::string> persons, keyed;  // keyed: as keyed_persons() compares them
    };
    std::vector<Other> others;
    if (std::any_of(members.begin(), members.end(), [](const std::string& person) { return !is_key(person); })) {
      std::string sql = "SELECT DISTINCT program, subject FROM decisions WHERE ($2 = '*' OR program = $2) AND subject <> $1 AND (";
      std::vector<SqlValue> params{subject, program};
      for (const std::string& person : members) {
        if (is_key(person)) continue;  // found by the ids decisions give it
        params.push_back(member_pattern(person));
        sql += (params.size() > 3 ? " OR " : "") + std::string("persons LIKE $") + std::to_string(params.size()) + " ESCAPE '\\'";
      }
      auto found = db_->run(sql + ")", params);
      if (!found) return found.error();
      for (auto& row : found->rows) {
        Other o{std::get<std::string>(row[0]), std::get<std::string>(row[1])};
        auto latest = db_->run(
            "SELECT persons, person_keys FROM decisions WHERE program = $1 AND subject = $2 ORDER BY period DESC LIMIT 1",
            {o.program, o.household});
        if (!latest) return latest.error();
        if (latest->rows.empty()) continue;
        if (const std::string* listed = as_text(latest->rows[0][0])) o.persons = split_persons(*listed);
        std::map<std::string, std::string> its_keys;
        if (const std::string* listed = as_text(latest->rows[0][1]))
          for (auto& [id, key] : split_person_keys(*listed)) its_keys[id] = key;
        o.keyed = keyed_persons(o.persons, its_keys);
        others.push_back(std::move(o));
      }
    }
    // The origin is an agent's free text ("appel de Mme ..."): kept once,
    // with the subject's objection, which each person's names.
    // A person's row that followed another household's refusal follows
    // this objection to the processing instead, which no claim replaces (a
    // child of two households); their own objection stays theirs.
    // One that followed the refusal of this family under another number
    // (each of that refusal's persons has a keyed NIR, and each is of this
    // one's), made with an earlier claim, follows this refusal, the latest
    // choice, which a claim before it must not be taken to replace. Another
    // family's (a child in two households) stays theirs.
    auto same_family_before = [&](const std::string& household) -> Result<bool> {
      auto followed = db_->run("SELECT origin FROM objections WHERE subject = $1 AND program = $2", {household, program});
      if (!followed) return followed.error();
      if (followed->rows.empty()) return true;  // gone since (replaced, past its retention): nothing to follow
      const RefusalDay other = refusal_day(std::get<std::string>(followed->rows[0][0]));
      if (other.day.empty() || other.day > refusal.day) return false;
      auto persons = db_->run("SELECT subject FROM objections WHERE program = $1 AND origin = $2", {program, kFollowing + household});
      if (!persons) return persons.error();
      return choice_keys(persons->rows, [&](const std::string& who) { return members.count(who) > 0; }).same_family();
    };
    // Each person's standing origin, read once; judged once per refusal
    // followed, before any of its persons moves.
    std::map<std::string, std::string> standing_of;  // person -> origin, for those with one
    std::map<std::string, bool> same_family;
    for (const std::string& person : members) {
      auto theirs = db_->run("SELECT origin FROM objections WHERE subject = $1 AND program = $2", {person, program});
      if (!theirs) return theirs.error();
      if (theirs->rows.empty()) continue;
      const std::string& before = standing_of[person] = std::get<std::string>(theirs->rows[0][0]);
      if (refusal.day.empty() || before.rfind(kFollowing, 0) != 0 || before == kFollowing + subject) continue;
      const std::string followed = before.substr(kFollowing.size());
      if (same_family.count(followed)) continue;
      auto same = same_family_before(followed);
      if (!same) return same.error();
      same_family[followed] = *same;
    }
    for (const std::string& person : members) {
      bool follow = true;
      if (auto standing = standing_of.find(person); standing != standing_of.end()) {
        const std::string& before = standing->second;
        follow = false;
        if (before.rfind(kFollowing, 0) == 0 && before != kFollowing + subject)
          follow = refusal.day.empty() || same_family[before.substr(kFollowing.size())];
      }
      auto m = db_->run(
          "INSERT INTO objections (subject, program, recorded_at, origin) VALUES ($1, $2, $3, $4) "
          "ON CONFLICT (subject, program) DO UPDATE SET recorded_at = CASE WHEN excluded.recorded_at > "
          "objections.recorded_at THEN excluded.recorded_at ELSE objections.recorded_at END, origin = CASE WHEN "
          "$5 = 1 THEN excluded.origin ELSE objections.origin END",
          {person, program, now, kFollowing + subject, int64_t{follow ? 1 : 0}});
      if (!m) return m.error();
    }
    // The subject is a household id or the id of one of its persons. A
    // household's requests are found by its id too once its decisions are
    // purged (the trace of a request is kept longer).
    const char* scope = "($2 = '*' OR program = $2) AND (subject = $1 OR persons LIKE $3 ESCAPE '\\')";
    const std::vector<SqlValue> scope_params{subject, program, member_pattern(subject)};
    auto households = db_->run(std::string("SELECT program, subject FROM decisions WHERE ") + scope +
                                   " UNION SELECT program, subject FROM outbox WHERE subject = $1 AND action = 'grant' "
                                   "AND ($2 = '*' OR program = $2)",
                               scope_params);
    if (!households) return households.error();
    // The same foyer under another case number (the CAF renumbered it) is
    // the subject's: its latest decision for the program concerns exactly
    // the persons of the subject's. A household sharing only some of them
    // (a separated parent, a child in shared custody) made no such choice:
    // what it was not sent yet is cancelled, as a campaign now would skip
    // it for its persons' objection, but nothing it was sent, or may have
    // been (its sending interrupted), is withdrawn, the notice of such a
    // request still goes (its persons may refuse it), and its decisions
    // stay.
    std::vector<std::pair<std::string, std::string>> renumbered, sharing;  // program, household
    for (const Other& o : others) {
      if (std::none_of(o.persons.begin(), o.persons.end(), [&](const std::string& p) { return members.count(p) > 0; })) continue;
      auto own = foyer_now.find(o.program);
      const std::string key = foyer_key(o.persons);
      const std::string keyed = foyer_key(o.keyed);
      const bool same = own != foyer_now.end() && ((!key.empty() && foyer_key(own->second) == key) ||
                         (!keyed.empty() && foyer_key(keyed_persons(own->second, key_of)) == keyed));
      (same ? renumbered : sharing).push_back({o.program, o.household});
    }
    for (const auto& [of, household] : renumbered) households->rows.push_back({of, household});
    for (const auto& [of, household] : sharing) {
      auto cancelled = db_->run(
          "UPDATE outbox SET state = 'cancelled', recipient = '', message = '', told = '' WHERE program = $1 AND subject = $2 "
          "AND state IN ('pending', 'retry', 'dead', 'held') AND action <> 'refusal' AND NOT (action = 'grant' AND "
          "(in_doubt = 1 OR state = 'held')) AND NOT (action = 'grant_notice' AND EXISTS (SELECT 1 FROM outbox g WHERE "
          "g.program = outbox.program AND g.subject = outbox.subject AND g.period = outbox.period AND g.action = 'grant' "
          "AND (g.state IN ('delivered', 'sending', 'held') OR (g.in_doubt = 1 AND g.state IN ('pending', 'retry', "
          "'dead')))))",
          {of, household});
      if (!cancelled) return cancelled.error();
      result.actions_cancelled += cancelled->changed;
    }
    std::vector<PlannedAction> refusals;
    for (auto& row : households->rows) {
      std::vector<SqlValue> k{row[0], row[1]};
      // Cancelled first, then what is found sent: a request a delivering
      // process claims meanwhile is either cancelled or seen sent, and on
      // PostgreSQL each statement sees what was committed when it starts.
      // A refusal is never cancelled: the person asked for it.
      auto cancelled = db_->run(
          "UPDATE outbox SET state = 'cancelled', recipient = '', message = '', told = '' WHERE program = $1 AND subject = $2 "
          "AND state IN ('pending', 'retry', 'dead', 'held') AND action <> 'refusal'",
          k);
      if (!cancelled) return cancelled.error();
      result.actions_cancelled += cancelled->changed;
      // A notice a request replaced, kept whole in case its run is withdrawn.
      auto replaced = db_->run("UPDATE outbox SET recipient = '', message = '', told = '' WHERE program = $1 AND "
                               "subject = $2 AND state = 'cancelled' AND (recipient <> '' OR message <> '' OR told <> '')",
                               k);
      if (!replaced) return replaced.error();
      auto sent = db_->run(
          "SELECT o.program, o.subject, o.period, o.run_id, o.verification_code, COALESCE(r.sender, ''), "
          "COALESCE(o.delivered_at, o.created_at), (SELECT f.state FROM outbox f WHERE f.program = o.program AND "
          "f.subject = o.subject AND f.period = o.period AND f.action = 'refusal'), (SELECT f.created_at FROM outbox f "
          "WHERE f.program = o.program AND f.subject = o.subject AND f.period = o.period AND f.action = 'refusal'), "
          "o.created_at FROM outbox o LEFT JOIN campaign_runs r "
          "ON r.run_id = o.run_id WHERE o.program = $1 AND o.subject = $2 AND o.action = 'grant' "
          "AND (o.state IN ('delivered', 'sending') OR (o.state IN ('cancelled', 'expired') AND o.in_doubt = 1)) "
          "AND (o.receipt IS NULL OR o.receipt NOT LIKE 'rejected%')",
          k);
      if (!sent) return sent.error();
      for (auto& s : sent->rows) {
        TransmittedGrant grant{{std::get<std::string>(s[0]), std::get<std::string>(s[1]), std::get<std::string>(s[2]), "grant"},
                               std::get<std::string>(s[3]), std::get<std::string>(s[4]), std::get<std::string>(s[5]), {}};
        for (const std::string& person : members)
          if (!is_key(person)) grant.refused_by.push_back(person);
        if (grant.refused_by.empty()) grant.refused_by.push_back(subject);
        const std::string* refusal_state = as_text(s[7]);
        const bool refused_before = refusal_state && *refusal_state != "cancelled";  // queued or sent already
        // That refusal withdraws this request only if made after it: one of
        // an earlier claim of the month holds the month's place.
        const bool blocked = refused_before && as_int(s[8]) < as_int(s[9]);
        result.transmitted.push_back({grant.key.program, grant.key.subject, grant.code, grant.run_id, as_int(s[6]),
                                      refused_before && !blocked, blocked});
        if (refused_before) continue;
        if (!refusal_of) return Error{ErrorKind::kInternal, "a refusal is due for request " + grant.code + ", and none can be made"};
        PlannedAction refusal = refusal_of(grant);
        if (!refusal_state) {
          refusals.push_back(std::move(refusal));
          continue;
        }
        // Cancelled by an objection before refusals were exempt: due again.
        auto again = db_->run(
            "UPDATE outbox SET state = 'pending', channel = $5, run_id = $6, recipient = $7, message = $8, "
            "verification_code = $9, envelope = $9, attempts = 0, next_attempt_at = $10, created_at = " +
                created_after_last("$10", "$1", "$2") + ", in_doubt = 0, "
            "last_error = NULL, batch = NULL, receipt = NULL, receipt_at = NULL, attempt_started = NULL, claimed_by = NULL "
            "WHERE program = $1 AND subject = $2 AND period = $3 AND action = $4 AND state = 'cancelled'",
            {refusal.key.program, refusal.key.subject, refusal.key.period, refusal.key.action, refusal.channel,
             refusal.run_id, refusal.recipient, refusal.message_json, refusal.verification_code, now});
        if (!again) return again.error();
      }
      // A paying body's reason for a rejection (its own words) goes too.
      auto emptied = db_->run(
          "UPDATE outbox SET recipient = '', message = '', told = '', receipt = CASE WHEN receipt LIKE 'rejected%' THEN "
          "'rejected' ELSE receipt END WHERE program = $1 AND subject = $2 AND state = 'delivered' AND (recipient <> '' "
          "OR message <> '' OR told <> '' OR (receipt LIKE 'rejected%' AND receipt <> 'rejected'))",
          k);
      if (!emptied) return emptied.error();
      result.delivered_traces_emptied += emptied->changed;
    }
    if (auto inserted = insert_plan({}, refusals); !inserted.ok()) return inserted;
    std::set<std::pair<std::string, std::string>> concerned;
    for (const auto& row : households->rows) concerned.emplace(std::get<std::string>(row[0]), std::get<std::string>(row[1]));
    // A letter an earlier objection of the subject named and its caller
    // could not delete, the decisions gone since.
    auto left = db_->run("SELECT DISTINCT program, subject FROM outbox WHERE subject = $1 AND ($2 = '*' OR program = $2) "
                         "AND letter_file IS NOT NULL",
                         {subject, program});
    if (!left) return left.error();
    for (const auto& row : left->rows) concerned.emplace(std::get<std::string>(row[0]), std::get<std::string>(row[1]));
    for (const auto& [of, household] : concerned) {
      auto letters = db_->run("SELECT DISTINCT envelope, letter_file FROM outbox WHERE program = $1 AND subject = $2 AND "
                              "letter_file IS NOT NULL",
                              {of, household});
      if (!letters) return letters.error();
      for (auto& letter : letters->rows) {
        const std::string* envelope = as_text(letter[0]);
        if (!envelope) continue;
        auto told = db_->run("SELECT DISTINCT program, subject FROM outbox WHERE envelope = $1", {*envelope});
        if (!told) return told.error();
        // Each right the letter told of is objected to, now or before.
        bool covered = true;
        for (auto& t : told->rows) {
          const std::string& program_told = std::get<std::string>(t[0]);
          const std::string& household_told = std::get<std::string>(t[1]);
          if (concerned.count({program_told, household_told})) continue;
          auto before = db_->run("SELECT 1 FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')",
                                 {household_told, program_told});
          if (!before) return before.error();
          covered = covered && !before->rows.empty();
        }
        if (!covered) continue;
        if (const std::string& file = std::get<std::string>(letter[1]);
            std::find(result.letter_files.begin(), result.letter_files.end(), file) == result.letter_files.end())
          result.letter_files.push_back(file);
      }
    }
    // The persons of each household whose decisions go (its latest for each
    // program): a later objection of that household (to all programs after
    // one, or after a member's own) must still reach them.
    auto remember_persons = [&](const std::string& where, const std::vector<SqlValue>& params) -> Result<void> {
      auto listed = db_->run("SELECT program, subject, persons, decided_at, person_keys FROM decisions WHERE " + where +
                                 " ORDER BY period, decided_at",
                             params);
      if (!listed) return listed.error();
      std::map<std::pair<std::string, std::string>, std::pair<std::vector<std::string>, int64_t>> latest;
      for (auto& row : listed->rows)
        if (const std::string* persons = as_text(row[2])) {
          // Their keyed NIRs with them: a later objection follows these too.
          std::vector<std::string> kept = split_persons(*persons);
          if (const std::string* keyed = as_text(row[4]))
            for (auto& [id, key] : split_person_keys(*keyed)) kept.push_back(key);
          latest[{std::get<std::string>(row[0]), std::get<std::string>(row[1])}] = {std::move(kept), as_int(row[3])};
        }
      for (const auto& [decided, listing] : latest)
        if (auto linked = link_persons(decided.second, decided.first, listing.first, listing.second); !linked.ok())
          return linked;
      return {};
    };
    if (auto remembered = remember_persons(scope, scope_params); !remembered.ok()) return remembered;
    // The lists for the social services that name them, before their decisions go.
    auto take_listed = [&](const std::string& where, const std::vector<SqlValue>& params) -> Result<void> {
      auto listed = db_->run("SELECT DISTINCT listed_in, listed_as, program FROM decisions WHERE " + where +
                                 " AND listed_in IS NOT NULL",
                             params);
      if (!listed) return listed.error();
      for (const auto& row : listed->rows)
        result.listed.push_back({std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2])});
      return {};
    };
    if (auto taken = take_listed(scope, scope_params); !taken.ok()) return taken;
    auto deleted = db_->run(std::string("DELETE FROM decisions WHERE ") + scope, scope_params);
    if (!deleted) return deleted.error();
    result.decisions_deleted = deleted->changed;
    for (const auto& [of, household] : renumbered) {
      if (auto remembered = remember_persons("program = $1 AND subject = $2", {of, household}); !remembered.ok())
        return remembered;
      if (auto taken = take_listed("program = $1 AND subject = $2", {of, household}); !taken.ok()) return taken;
      auto also = db_->run("DELETE FROM decisions WHERE program = $1 AND subject = $2", {of, household});
      if (!also) return also.error();
      result.decisions_deleted += also->changed;
    }
    auto counter = db_->run(
        "UPDATE counter_references SET deleted_at = $3, deletion = 'objection' WHERE reference = $1 AND "
        "($2 = '*' OR program = $2) AND deleted_at IS NULL",
        {subject, program, now});
    if (!counter) return counter.error();
    // Data fetched for a run still being planned: whatever the program, the
    // person no longer wants their data used.
    std::set<std::string> whose(members);
    whose.insert(subject);
    for (const auto& renumbered_household : renumbered) whose.insert(renumbered_household.second);
    for (const std::string& id : whose) {
      auto fills = db_->run("DELETE FROM api_particulier_fills WHERE subject = $1 OR person = $1", {id});
      if (!fills) return fills.error();
    }
    return {};
  });
  if (!err.ok()) return err.error();
  // Deleted at once means out of the file too (a DPO's finding, 2026-12-07:
  // an objection's rows stayed readable in it until the next purge).
  write_back_deletions();
  return result;
}

namespace {

// The columns decision_of reads, in its order.
constexpr const char* kDecisionColumns =
    "program, subject, period, run_id, persons, status, decision, explanation, program_hash, evaluation_date, decided_at, "
    "proactif_version";

// A row of the decisions table from its first column on.
StoredDecision decision_of(const SqlRow& row, size_t first) {
  StoredDecision d;
  d.program = std::get<std::string>(row[first]);
  d.subject = std::get<std::string>(row[first + 1]);
  d.period = std::get<std::string>(row[first + 2]);
  d.run_id = std::get<std::string>(row[first + 3]);
  d.persons = split_persons(std::get<std::string>(row[first + 4]));
  d.status = std::get<std::string>(row[first + 5]);
  d.decision_json = std::get<std::string>(row[first + 6]);
  d.explanation_json = std::get<std::string>(row[first + 7]);
  d.program_hash = std::get<std::string>(row[first + 8]);
  d.evaluation_date = std::get<std::string>(row[first + 9]);
  d.decided_at = as_int(row[first + 10]);
  if (const std::string* v = as_text(row[first + 11])) d.proactif_version = *v;
  return d;
}

}  // namespace

Result<std::vector<Store::PlannedWithDecision>> Store::planned_by_run(const std::string& run_id,
                                                                      const std::string& program) {
  auto r = db_->run(
      "SELECT o.action, o.channel, d.program, d.subject, d.period, d.run_id, d.persons, d.status, d.decision, "
      "d.explanation, d.program_hash, d.evaluation_date, d.decided_at, d.proactif_version FROM outbox o JOIN decisions d "
      "ON d.program = o.program AND d.subject = o.subject AND d.period = o.period WHERE o.run_id = $1 "
      "AND o.program = $2 ORDER BY d.subject, o.action",
      {run_id, program});
  if (!r) return r.error();
  std::vector<PlannedWithDecision> out;
  for (auto& row : r->rows)
    out.push_back({std::get<std::string>(row[0]), std::get<std::string>(row[1]), decision_of(row, 2)});
  return out;
}

Result<std::vector<StoredDecision>> Store::decisions_about(const std::string& subject, const std::string& program) {
  auto r = db_->run(
      std::string("SELECT ") + kDecisionColumns +
          " FROM decisions WHERE (subject = $1 OR persons LIKE $3 ESCAPE '\\' OR outside LIKE $3 ESCAPE '\\') AND "
          "($2 = '' OR program = $2) ORDER BY decided_at, program",
      {subject, program, member_pattern(subject)});
  if (!r) return r.error();
  std::vector<StoredDecision> out;
  for (auto& row : r->rows) out.push_back(decision_of(row, 0));
  return out;
}

Result<std::vector<Store::ActionTrace>> Store::actions_of(const StoredDecision& d) {
  auto r = db_->run("SELECT action, channel, verification_code, state, created_at, delivered_at, told FROM outbox "
                    "WHERE program = $1 AND subject = $2 AND period = $3 ORDER BY created_at, action",
                    {d.program, d.subject, d.period});
  if (!r) return r.error();
  std::vector<ActionTrace> out;
  for (auto& row : r->rows)
    out.push_back({std::get<std::string>(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
                   std::get<std::string>(row[3]), as_int(row[4]), as_int(row[5]),  // NULL: 0
                   std::get<std::string>(row[6])});
  return out;
}

Result<Store::SubjectLookup> Store::look_up_subject(const std::string& subject) {
  SubjectLookup out;
  // Lists of persons are joined by commas: no identifier holds one.
  if (subject.find(',') != std::string::npos) return out;
  auto known = db_->run(
      "SELECT 1 FROM decisions WHERE subject = $1 OR persons LIKE $2 ESCAPE '\\' OR outside LIKE $2 ESCAPE '\\' "
      "UNION SELECT 1 FROM outbox WHERE subject = $1 UNION SELECT 1 FROM objections WHERE subject = $1 "
      "UNION SELECT 1 FROM objection_persons WHERE foyer = $1 OR person = $1",
      {subject, member_pattern(subject)});
  if (!known) return known.error();
  out.known = !known->rows.empty();
  if (out.known || subject.empty()) return out;
  // Identifiers that end with what was typed, in any case: read in full,
  // then compared here (an objection is rare; the tables are read once).
  std::string lower;
  for (char c : subject) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string pattern = member_pattern(lower);  // "%,x,%": x anywhere in a list
  pattern = "%" + pattern.substr(2, pattern.size() - 4) + "%";
  auto rows = db_->run(
      "SELECT subject, persons || outside FROM decisions WHERE LOWER(subject) LIKE $1 ESCAPE '\\' OR "
      "LOWER(persons || outside) LIKE $1 ESCAPE '\\' UNION SELECT subject, '' FROM outbox WHERE LOWER(subject) LIKE $1 "
      "ESCAPE '\\'",
      {pattern});
  if (!rows) return rows.error();
  std::set<std::string> near;
  auto consider = [&](const std::string& id) {
    if (id.empty() || id.size() < lower.size()) return;
    std::string tail;
    for (char c : id.substr(id.size() - lower.size()))
      tail += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool whole = id.size() == lower.size(), after_source = !whole && id[id.size() - lower.size() - 1] == ':';
    if (tail == lower && (whole || after_source)) near.insert(id);
  };
  for (const auto& row : rows->rows) {
    consider(std::get<std::string>(row[0]));
    const std::string& members = std::get<std::string>(row[1]);
    for (size_t from = 0, comma; from < members.size(); from = comma + 1) {
      comma = members.find(',', from);
      if (comma == std::string::npos) comma = members.size();
      consider(members.substr(from, comma - from));
    }
  }
  out.near.assign(near.begin(), near.end());
  if (out.near.size() > 10) out.near.resize(10);
  return out;
}

Result<std::optional<Store::CounterReference>> Store::counter_reference(const std::string& reference) {
  auto r = db_->run("SELECT program, decided_at, deleted_at, deletion FROM counter_references WHERE reference = $1",
                    {reference});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<CounterReference>();
  const auto& row = r->rows[0];
  const std::string* deletion = as_text(row[3]);
  return std::optional<CounterReference>(
      CounterReference{std::get<std::string>(row[0]), as_int(row[1]), as_int(row[2]),
                       deletion ? *deletion : ""});
}

Result<void> Store::audit(const std::string& actor, const std::string& operation, const std::string& detail) {
  auto r = db_->run("INSERT INTO audit_log (at, actor, operation, detail) VALUES ($1, $2, $3, $4)",
                    {now_ms(), actor, operation, detail});
  return discard_value(r);
}

Result<void> Store::audit_delivery(const std::string& actor, const std::string& deliverer, const std::string& detail) {
  return in_transaction([&]() -> Result<void> {
    if (auto err = audit(actor, "actions delivered", detail); !err.ok()) return err;
    return discard_value(
        db_->run("UPDATE outbox SET delivery_unaudited = 0 WHERE delivery_unaudited = 1 AND claimed_by = $1", {deliverer}));
  });
}

Result<int64_t> Store::audit_interrupted_deliveries(const std::string& actor, const std::string& self) {
  auto gone = owners_gone(self, "delivery_unaudited = 1");
  if (!gone) return gone.error();
  const std::string rows_gone = "delivery_unaudited = 1 AND " + gone->condition;
  int64_t found = 0;
  auto err = in_transaction([&]() -> Result<void> {
    // Marked first, and counted from the rows this statement changed: two
    // deliverers starting at once (PostgreSQL) each audit only their own.
    auto rows = db_->run("UPDATE outbox SET delivery_unaudited = 0 WHERE " + rows_gone + " RETURNING run_id, channel, action",
                         gone->params);
    if (!rows) return rows.error();
    if (rows->rows.empty()) return {};
    std::map<std::string, std::map<std::string, int64_t>> counted;  // run -> "action by channel" -> n
    for (const auto& row : rows->rows)
      ++counted[std::get<std::string>(row[0])][std::get<std::string>(row[2]) + " by " + std::get<std::string>(row[1])];
    std::string detail;
    for (const auto& [run, by] : counted) {
      detail += (detail.empty() ? "" : "; ") + run + ": ";
      bool first = true;
      for (const auto& [what, n] : by) {
        detail += (first ? "" : ", ") + std::to_string(n) + " " + what;
        first = false;
        found += n;
      }
    }
    return audit(actor, "actions delivered",
                 "delivered by a delivery that stopped before recording them (found by the next): " + detail);
  });
  if (!err.ok()) return err.error();
  return found;
}

Result<std::vector<AuditEntry>> Store::audit_log(int64_t since) {
  auto r = db_->run("SELECT at, actor, operation, detail FROM audit_log WHERE at >= $1 ORDER BY at", {since});
  if (!r) return r.error();
  std::vector<AuditEntry> out;
  for (auto& row : r->rows)
    out.push_back({as_int(row[0]), std::get<std::string>(row[1]), std::get<std::string>(row[2]),
                   std::get<std::string>(row[3])});
  return out;
}

Result<PurgeResult> Store::purge(int64_t now, const RetentionPolicy& policy) {
  constexpr int64_t kDay = 86400000;
  PurgeResult result;
  auto err = in_transaction([&]() -> Result<void> {
    auto decisions = db_->run("DELETE FROM decisions WHERE decided_at < $1", {now - policy.data_days * kDay});
    if (!decisions) return decisions.error();
    result.decisions_deleted = decisions->changed;
    auto counter = db_->run(
        "UPDATE counter_references SET deleted_at = $1, deletion = 'retention' WHERE deleted_at IS NULL AND decided_at < $2",
        {now, now - policy.data_days * kDay});
    if (!counter) return counter.error();
    auto counter_traces = db_->run("DELETE FROM counter_references WHERE decided_at < $1", {now - policy.trace_days * kDay});
    if (!counter_traces) return counter_traces.error();
    // Answers fetched for a run whose planning never finished: of no use
    // once a campaign could no longer ask (its date within a month of today).
    auto fills = db_->run("DELETE FROM api_particulier_fills WHERE fetched_at < $1",
                          {now - std::min<int64_t>(policy.data_days, 31) * kDay});
    if (!fills) return fills.error();
    auto expired = db_->run(
        "UPDATE outbox SET state = CASE WHEN state IN ('delivered', 'cancelled') THEN state ELSE 'expired' END, recipient = '', "
        "message = '' WHERE created_at < $1 AND (state NOT IN ('delivered', 'cancelled') OR recipient <> '' OR message <> '') "
        "AND state <> 'expired'",
        {now - policy.data_days * kDay});
    if (!expired) return expired.error();
    result.actions_expired = expired->changed;
    // What a message told of its sources goes with the data it named.
    auto told = db_->run("UPDATE outbox SET told = '' WHERE created_at < $1 AND told <> ''", {now - policy.data_days * kDay});
    if (!told) return told.error();
    // A paying body's reason for rejecting a request is its own words, which
    // may name the person: kept as long as the message, the rejection then.
    auto reasons = db_->run("UPDATE outbox SET receipt = 'rejected' WHERE receipt LIKE 'rejected%' AND receipt <> "
                            "'rejected' AND created_at < $1",
                            {now - policy.data_days * kDay});
    if (!reasons) return reasons.error();
    auto traces = db_->run("DELETE FROM outbox WHERE created_at < $1", {now - policy.trace_days * kDay});
    if (!traces) return traces.error();
    result.traces_deleted = traces->changed;
    auto audit = db_->run("DELETE FROM audit_log WHERE at < $1", {now - policy.trace_days * kDay});
    if (!audit) return audit.error();
    auto sessions = db_->run("DELETE FROM agent_sessions WHERE expires_at < $1", {now});
    if (!sessions) return sessions.error();
    auto tokens = db_->run("DELETE FROM api_tokens WHERE expires_at < $1", {now});
    if (!tokens) return tokens.error();
    // Record ids are personal data: a pair, pending or decided, is kept as
    // long as the data it was drawn from.
    auto reviews = db_->run("DELETE FROM linkage_reviews WHERE COALESCE(decided_at, seen_at) < $1",
                            {now - policy.data_days * kDay});
    if (!reviews) return reviews.error();
    auto objections = db_->run("DELETE FROM objections WHERE recorded_at < $1", {now - policy.objection_days * kDay});
    if (!objections) return objections.error();
    // As long as the decisions they were listed in would have been kept.
    auto objectors = db_->run("DELETE FROM objection_persons WHERE decided_at < $1", {now - policy.data_days * kDay});
    if (!objectors) return objectors.error();
    result.objections_deleted = objections->changed;
    return {};
  });
  if (!err.ok()) return err.error();
  write_back_deletions();
  return result;
}

void Store::write_back_deletions() {
  // What was deleted lies in SQLite's write-ahead log, and the rows in the
  // file, until the log's frames (the pages secure_delete overwrote) are
  // written back: done now, and the log emptied, unless another connection
  // (the service, a deliverer) holds it, which is not waited for: then at
  // the next purge, objection, campaign or event; the deletion itself is
  // done. Not within a transaction, whose writes are not yet in the log.
  if (db_->dialect() != "sqlite" || transaction_depth_ > 0) return;
  auto waits = db_->run("PRAGMA busy_timeout", {});
  if (waits && !waits->rows.empty()) {
    static_cast<void>(db_->run("PRAGMA busy_timeout = 0", {}));
    static_cast<void>(db_->run("PRAGMA wal_checkpoint(TRUNCATE)", {}));
    static_cast<void>(db_->run("PRAGMA busy_timeout = " + std::to_string(as_int(waits->rows[0][0])), {}));
  }
}

Result<bool> Store::has_secret(const std::string& name) {
  auto r = db_->run("SELECT 1 FROM store_secrets WHERE name = $1", {name});
  if (!r) return r.error();
  return !r->rows.empty();
}

Result<std::string> Store::secret(const std::string& name, const std::string& if_absent) {
  auto read = [&]() -> Result<std::optional<std::string>> {
    auto r = db_->run("SELECT value FROM store_secrets WHERE name = $1", {name});
    if (!r) return r.error();
    if (r->rows.empty()) return std::optional<std::string>{};
    return std::optional<std::string>(std::get<std::string>(r->rows[0][0]));
  };
  auto known = read();
  if (!known) return known.error();
  if (*known) return **known;
  std::string drawn = if_absent;
  if (drawn.empty()) {
    unsigned char bytes[32];
    random_bytes(bytes, sizeof bytes);
    drawn = hex(bytes, sizeof bytes);
  }
  // Two processes drawing at once keep the first committed.
  auto kept = db_->run("INSERT INTO store_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                       {name, drawn});
  if (!kept) return kept.error();
  known = read();
  if (!known) return known.error();
  if (!*known) return Error{ErrorKind::kInternal, "the store's secret " + name + " could not be kept"};
  return **known;
}

Result<std::string> Store::listed_in(const std::string& program, const std::string& subject, const std::string& period) {
  auto r = db_->run("SELECT listed_in FROM decisions WHERE program = $1 AND subject = $2 AND period = $3 AND listed_in IS NOT NULL",
                    {program, subject, period});
  if (!r) return r.error();
  return r->rows.empty() ? std::string() : std::get<std::string>(r->rows[0][0]);
}

Result<bool> Store::has_objected(const std::string& subject, const std::string& program) {
  auto r = db_->run("SELECT 1 FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')", {subject, program});
  if (!r) return r.error();
  return !r->rows.empty();
}

Result<std::vector<Store::HeldBy>> Store::held_by_others(const std::vector<std::string>& subjects,
                                                         const std::string& household, const std::string& program) {
  std::map<std::string, bool> others;  // household -> its objection is an event's refusal
  for (const std::string& subject : subjects) {
    if (subject == household) continue;
    auto rows = db_->run("SELECT origin FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')",
                         {subject, program});
    if (!rows) return rows.error();
    for (const auto& row : rows->rows) {
      const std::string& origin = std::get<std::string>(row[0]);
      if (origin.rfind(kFollowing, 0) != 0 || origin == kFollowing + household) continue;
      const std::string other = origin.substr(kFollowing.size());
      if (others.count(other)) continue;
      // This family under another number (each person it covers a keyed NIR
      // of these) made its own choice.
      auto persons = db_->run("SELECT subject FROM objections WHERE (program = $1 OR program = '*') AND origin = $2",
                              {program, origin});
      if (!persons) return persons.error();
      if (choice_keys(persons->rows, [&](const std::string& who) {
            return std::find(subjects.begin(), subjects.end(), who) != subjects.end();
          }).same_family())
        continue;
      auto own = db_->run("SELECT origin FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')",
                          {other, program});
      if (!own) return own.error();
      bool refusal = false;
      for (const auto& o : own->rows) refusal |= !refusal_day(std::get<std::string>(o[0])).day.empty();
      others[other] = refusal;
    }
  }
  std::vector<HeldBy> out;
  for (const auto& [other, refusal] : others) out.push_back({other, refusal});
  return out;
}

Result<std::vector<std::string>> Store::objected_to_processing(const std::vector<std::string>& subjects,
                                                              const std::string& program) {
  std::set<std::string> who;
  for (const std::string& subject : subjects) {
    auto rows = db_->run("SELECT origin FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')",
                         {subject, program});
    if (!rows) return rows.error();
    for (const auto& row : rows->rows) {
      std::string objecting = subject;
      const std::string& origin = std::get<std::string>(row[0]);
      if (origin.rfind(kFollowing, 0) == 0) {
        // A person's row follows the choice of the household or person that
        // made it: an objection, or an event's refusal.
        objecting = origin.substr(kFollowing.size());
        auto own = db_->run("SELECT origin FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')",
                            {objecting, program});
        if (!own) return own.error();
        // Gone (past its retention, or replaced since) while the person's
        // row stands, which holds the request all the same: named too.
        bool objection = own->rows.empty();
        for (const auto& o : own->rows) objection |= refusal_day(std::get<std::string>(o[0])).day.empty();
        if (!objection) continue;
      } else if (!refusal_day(origin).day.empty()) {
        continue;
      }
      // A keyed NIR is no name an agent can look up.
      who.insert(objecting.rfind("NIR:", 0) == 0 ? "a person of this claim, by their NIR" : objecting);
    }
  }
  return std::vector<std::string>(who.begin(), who.end());
}

Result<Store::LiftedRefusals> Store::lift_earlier_refusals(const std::vector<std::string>& subjects,
                                                           const std::string& household, const std::string& program,
                                                           const std::string& choice_date) {
  std::set<std::string> households, unordered;
  for (const std::string& subject : subjects) {
    auto rows = db_->run("SELECT program, origin FROM objections WHERE subject = $1 AND (program = $2 OR program = '*')",
                         {subject, program});
    if (!rows) return rows.error();
    for (const auto& row : rows->rows) {
      if (std::get<std::string>(row[0]) == "*") return LiftedRefusals{};
      // A person's row follows their household's refusal, or is their own.
      std::string refusing = subject, origin = std::get<std::string>(row[1]);
      if (origin.rfind(kFollowing, 0) == 0) {
        refusing = origin.substr(kFollowing.size());
        auto own = db_->run("SELECT origin FROM objections WHERE subject = $1 AND program = $2", {refusing, program});
        if (!own) return own.error();
        if (own->rows.empty()) return LiftedRefusals{};
        origin = std::get<std::string>(own->rows[0][0]);
      }
      // Replaced by a claim after the refusal's; one of a later claim is the
      // latest choice; one whose claim may come before or after this one's
      // (the same day, or an event that did not date it) is neither.
      const RefusalDay refused = refusal_day(origin);
      if (refused.day.empty() || (refused.dated && refused.day > choice_date)) return LiftedRefusals{};
      (refused.day < choice_date ? households : unordered).insert(refusing);
    }
  }
  // Another foyer's refusal that named one of these persons though their
  // row follows a third's (a child in two households, each parent refusing
  // with their claim): found by the foyer each event's refusal named, linked
  // when it was recorded (a person of an earlier decision of that household,
  // gone since, is not).
  std::set<std::string> named, renumbered;
  for (const std::string& subject : subjects) {
    if (subject == household) continue;
    auto foyers = db_->run("SELECT DISTINCT p.foyer FROM objection_persons p JOIN objections o ON o.subject = p.foyer AND "
                           "o.program = p.program WHERE p.program = $1 AND p.person = $2 AND p.decided_at >= o.linked_at",
                           {program, subject});
    if (!foyers) return foyers.error();
    for (const auto& row : foyers->rows) named.insert(std::get<std::string>(row[0]));
  }
  // Another family's choice, not this one's, whatever its day: it stands.
  // This family's under another number (each person it named a keyed NIR
  // of this claim) is its earlier choice, as above.
  for (const std::string& foyer : named) {
    if (foyer == household || households.count(foyer) || unordered.count(foyer)) continue;
    auto own = db_->run("SELECT origin, linked_at, foyer_size FROM objections WHERE subject = $1 AND program = $2", {foyer, program});
    if (!own) return own.error();
    if (own->rows.empty()) continue;  // replaced since, or past its retention
    auto linked = db_->run("SELECT person FROM objection_persons WHERE foyer = $1 AND program = $2 AND decided_at >= $3",
                           {foyer, program, as_int(own->rows[0][1])});
    if (!linked) return linked.error();
    const FoyerKeys linked_keys = choice_keys(linked->rows, [&](const std::string& who) {
      return std::find(subjects.begin(), subjects.end(), who) != subjects.end();
    });
    // Each person of its foyer was linked with an identifier and a keyed NIR
    // (one without, as a situation's own "p1", is not linked).
    const size_t persons = static_cast<size_t>(as_int(own->rows[0][2]));
    if (!(linked_keys.same_family() && linked_keys.ids == persons)) return LiftedRefusals{.kept = {foyer}};
    const RefusalDay refused = refusal_day(std::get<std::string>(own->rows[0][0]));
    if (refused.day.empty() || (refused.dated && refused.day > choice_date)) return LiftedRefusals{};
    (refused.day < choice_date ? households : unordered).insert(foyer);
    renumbered.insert(foyer);  // its persons' rows may follow a later refusal of theirs: judged by what it named
  }
  if (!unordered.empty()) return LiftedRefusals{.unordered = {unordered.begin(), unordered.end()}};
  // Each is replaced, or none: one that stands keeps the persons it named
  // from this claim's request.
  LiftedRefusals out;
  for (const std::string& refusing : households) {
    // Each person of that refusal is of this claim: under the same number,
    // by their id or keyed NIR (a member gone since did not claim); under
    // another, the family numbered anew, by as many keyed NIRs as persons,
    // each among this claim's.
    auto persons = db_->run("SELECT subject FROM objections WHERE program = $1 AND origin = $2", {program, kFollowing + refusing});
    if (!persons) return persons.error();
    size_t ids = 0, ids_here = 0, keys = 0, keys_here = 0;
    for (const auto& row : persons->rows) {
      const std::string& who = std::get<std::string>(row[0]);
      const bool here = std::find(subjects.begin(), subjects.end(), who) != subjects.end();
      if (who.rfind("NIR:", 0) == 0) ++keys, keys_here += here;
      else ++ids, ids_here += here;
    }
    const bool all_here = refusing == household ? ids_here + keys_here == ids + keys
                                                : renumbered.count(refusing) || (keys >= ids && keys_here == keys);
    (all_here ? out.lifted : out.kept).push_back(refusing);
  }
  if (!out.kept.empty()) return LiftedRefusals{.kept = out.kept};
  for (const std::string& refusing : out.lifted)
    if (auto gone = db_->run("DELETE FROM objections WHERE program = $1 AND (subject = $2 OR origin = $3)",
                             {program, refusing, kFollowing + refusing});
        !gone)
      return gone.error();
  return out;
}

Result<void> Store::forget_letters(const std::vector<std::string>& files) {
  for (const std::string& file : files)
    if (auto r = db_->run("UPDATE outbox SET letter_file = NULL WHERE letter_file = $1", {file}); !r) return r.error();
  return {};
}

bool AgentAccount::covers(const std::string& program) const {
  if (role != "agent") return true;
  return std::find(programs.begin(), programs.end(), "*") != programs.end() ||
         std::find(programs.begin(), programs.end(), program) != programs.end();
}

namespace {

std::string joined_programs(const std::vector<std::string>& programs) {
  std::string out = ",";
  for (const auto& p : programs) out += p + ",";
  return out;
}

std::vector<std::string> split_programs(const std::string& text) {
  std::vector<std::string> out;
  for (size_t at = 0; at < text.size();) {
    size_t comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    if (comma > at) out.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

std::string text_at(const SqlRow& row, size_t i) {
  const std::string* t = as_text(row.at(i));
  return t ? *t : std::string();
}

}  // namespace

Result<void> Store::add_agent(const AgentAccount& a, int64_t now) {
  auto r = db_->run("INSERT INTO agents (login, password_hash, role, organisation, programs, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6)",
                    {a.login, a.password_hash, a.role, a.organisation, joined_programs(a.programs), now});
  if (!r) return r.error();
  return {};
}

Result<std::optional<AgentAccount>> Store::agent(const std::string& login) {
  auto r = db_->run("SELECT login, password_hash, role, organisation, programs FROM agents WHERE login = $1", {login});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<AgentAccount>();
  const SqlRow& row = r->rows[0];
  return std::optional<AgentAccount>(
      AgentAccount{text_at(row, 0), text_at(row, 1), text_at(row, 2), text_at(row, 3), split_programs(text_at(row, 4))});
}

Result<void> Store::open_session(const std::string& token_hash, const std::string& login, const std::string& csrf,
                                         int64_t now, int64_t expires_at) {
  auto r = db_->run("INSERT INTO agent_sessions (token_hash, login, csrf, created_at, last_seen, expires_at) "
                    "VALUES ($1, $2, $3, $4, $4, $5)",
                    {token_hash, login, csrf, now, expires_at});
  if (!r) return r.error();
  return {};
}

Result<std::optional<AgentSession>> Store::session(const std::string& token_hash, int64_t now, int64_t idle_ms) {
  // Touched only while still valid: an expired session stays expired.
  auto touched = db_->run("UPDATE agent_sessions SET last_seen = $2 WHERE token_hash = $1 AND expires_at > $2 "
                          "AND last_seen > $3",
                          {token_hash, now, now - idle_ms});
  if (!touched) return touched.error();
  if (touched->changed == 0) {
    auto gone = db_->run("DELETE FROM agent_sessions WHERE token_hash = $1", {token_hash});
    if (!gone) return gone.error();
    return std::optional<AgentSession>();
  }
  auto r = db_->run("SELECT a.login, a.password_hash, a.role, a.organisation, a.programs, s.csrf, s.expires_at "
                    "FROM agent_sessions s JOIN agents a ON a.login = s.login WHERE s.token_hash = $1",
                    {token_hash});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<AgentSession>();
  const SqlRow& row = r->rows[0];
  return std::optional<AgentSession>(AgentSession{
      AgentAccount{text_at(row, 0), "", text_at(row, 2), text_at(row, 3), split_programs(text_at(row, 4))},
      text_at(row, 5), as_int(row.at(6))});
}

Result<void> Store::close_session(const std::string& token_hash) {
  auto r = db_->run("DELETE FROM agent_sessions WHERE token_hash = $1", {token_hash});
  if (!r) return r.error();
  return {};
}

Result<void> Store::add_api_token(const std::string& token_hash, const std::string& login, const std::string& label,
                                          int64_t now, int64_t expires_at) {
  auto r = db_->run("INSERT INTO api_tokens (token_hash, login, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                    {token_hash, login, label, now, expires_at});
  if (!r) return r.error();
  return {};
}

Result<std::optional<AgentAccount>> Store::api_token(const std::string& token_hash, int64_t now) {
  auto r = db_->run("SELECT a.login, a.role, a.organisation, a.programs FROM api_tokens t JOIN agents a ON a.login = t.login "
                    "WHERE t.token_hash = $1 AND t.expires_at > $2",
                    {token_hash, now});
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<AgentAccount>();
  const SqlRow& row = r->rows[0];
  return std::optional<AgentAccount>(
      AgentAccount{text_at(row, 0), "", text_at(row, 1), text_at(row, 2), split_programs(text_at(row, 3))});
}

Result<std::vector<AgentListing>> Store::agents() {
  auto r = db_->run("SELECT a.login, a.role, a.organisation, a.programs, "
                    "(SELECT COUNT(*) FROM agent_sessions s WHERE s.login = a.login), "
                    "(SELECT COUNT(*) FROM api_tokens t WHERE t.login = a.login) FROM agents a ORDER BY a.login");
  if (!r) return r.error();
  std::vector<AgentListing> out;
  for (const SqlRow& row : r->rows)
    out.push_back({AgentAccount{text_at(row, 0), "", text_at(row, 1), text_at(row, 2), split_programs(text_at(row, 3))},
                   as_int(row.at(4)), as_int(row.at(5))});
  return out;
}

Result<bool> Store::remove_agent(const std::string& login) {
  bool removed = false;
  // Its sessions and tokens end with it, whatever the database's foreign keys.
  auto err = in_transaction([&]() -> Result<void> {
    for (const char* sql : {"DELETE FROM agent_sessions WHERE login = $1", "DELETE FROM api_tokens WHERE login = $1",
                            "DELETE FROM agents WHERE login = $1"}) {
      auto r = db_->run(sql, {login});
      if (!r) return r.error();
      removed = r->changed > 0;
    }
    return {};
  });
  if (!err.ok()) return err.error();
  return removed;
}

Result<bool> Store::change_password(const std::string& login, const std::string& password_hash) {
  bool changed = false;
  auto err = in_transaction([&]() -> Result<void> {
    auto r = db_->run("UPDATE agents SET password_hash = $2 WHERE login = $1", {login, password_hash});
    if (!r) return r.error();
    changed = r->changed > 0;
    // Whoever signed in with the old password is signed out.
    auto ended = db_->run("DELETE FROM agent_sessions WHERE login = $1", {login});
    return discard_value(ended);
  });
  if (!err.ok()) return err.error();
  return changed;
}

Result<int64_t> Store::revoke_api_tokens(const std::string& login, const std::string& label) {
  auto r = label.empty() ? db_->run("DELETE FROM api_tokens WHERE login = $1", {login})
                         : db_->run("DELETE FROM api_tokens WHERE login = $1 AND label = $2", {login, label});
  if (!r) return r.error();
  return r->changed;
}

Result<std::vector<RunSummary>> Store::runs() {
  auto r = db_->run("SELECT run_id, campaign, period, sender, started_at, planned_at FROM campaign_runs "
                    "ORDER BY started_at DESC, run_id");
  if (!r) return r.error();
  std::vector<RunSummary> out;
  for (const SqlRow& row : r->rows)
    out.push_back({text_at(row, 0), text_at(row, 1), text_at(row, 2), text_at(row, 3), as_int(row.at(4)),
                   std::holds_alternative<std::monostate>(row.at(5)) ? 0 : as_int(row.at(5))});
  return out;
}

}  // namespace proactif
