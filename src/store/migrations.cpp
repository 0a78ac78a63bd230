#include "store/migrations.hpp"

#include "core/date.hpp"

namespace proactif {

// Times are milliseconds since 1970 (UTC) in BIGINT columns: the same type,
// order and arithmetic in both databases.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "campaign runs, decisions, outbox, objections", R"sql(
CREATE TABLE campaign_runs (
  run_id TEXT PRIMARY KEY,            -- campaign id and period: running it again resumes it
  campaign TEXT NOT NULL,
  period TEXT NOT NULL,
  evaluation_date TEXT NOT NULL,
  campaign_hash TEXT NOT NULL,        -- SHA-256 of the campaign file
  started_at BIGINT NOT NULL,
  planned_at BIGINT,                  -- every decision and action of the run is stored
  report TEXT                         -- the last summary, JSON
);

-- Decisions that lead to an action or may (eligible, undetermined). A person
-- found not eligible is only counted: their data is not kept (DINUM guide).
CREATE TABLE decisions (
  program TEXT NOT NULL,
  subject TEXT NOT NULL,              -- household id (person id for person programs)
  period TEXT NOT NULL,
  run_id TEXT NOT NULL REFERENCES campaign_runs(run_id),
  persons TEXT NOT NULL,              -- ",p1,p2," the persons it concerns, for objections
  status TEXT NOT NULL,
  decision TEXT NOT NULL,             -- the CONTRACT.md decision line
  explanation TEXT NOT NULL,          -- CRPA R311-3-1-2: data and sources, parameters, operations
  program_hash TEXT NOT NULL,         -- SHA-256 of the program and parameter files applied
  evaluation_date TEXT NOT NULL,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (program, subject, period)
);

-- One row per action to take, written in the same transaction as its
-- decision; the key makes a second campaign of the same period a no-op.
CREATE TABLE outbox (
  program TEXT NOT NULL,
  subject TEXT NOT NULL,
  period TEXT NOT NULL,
  action TEXT NOT NULL,               -- notify, notify_possible, grant
  channel TEXT NOT NULL,              -- email, sms, letter, transmission
  run_id TEXT NOT NULL REFERENCES campaign_runs(run_id),
  recipient TEXT NOT NULL,            -- address, phone or postal block; emptied once delivered and kept no longer
  message TEXT NOT NULL,              -- rendered content, JSON; emptied as recipient
  verification_code TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,                -- pending, sending, retry, delivered, dead, cancelled (expired: migration 3)
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT,
  in_doubt INTEGER NOT NULL DEFAULT 0, -- interrupted while sending, then sent again
  created_at BIGINT NOT NULL,
  delivered_at BIGINT,
  PRIMARY KEY (program, subject, period, action)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_run ON outbox (run_id, state);

-- An objection (GDPR art. 21) to one program, or to all ('*'); kept as a
-- trace while the data it covered is deleted.
CREATE TABLE objections (
  subject TEXT NOT NULL,
  program TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  origin TEXT NOT NULL,
  PRIMARY KEY (subject, program)
);
)sql"},
      {2, "transmissions: batches and receipts", R"sql(
-- A transmission (a C2S request sent to the CPAM) travels in a batch: one
-- file in a drop folder. The batch is named before the file is written, so
-- that a send interrupted by a crash is recognised by its file or its
-- acknowledgement, and not sent twice.
ALTER TABLE outbox ADD COLUMN batch TEXT;
-- What the receiving body said of it (acknowledgement): accepted, or
-- rejected with its reason.
ALTER TABLE outbox ADD COLUMN receipt TEXT;
ALTER TABLE outbox ADD COLUMN receipt_at BIGINT;
CREATE INDEX outbox_batch ON outbox (batch);
)sql"},
      {3, "retention: dates searched by the purge", R"sql(
CREATE INDEX decisions_decided_at ON decisions (decided_at);
CREATE INDEX outbox_created_at ON outbox (created_at);
CREATE INDEX objections_recorded_at ON objections (recorded_at);
)sql"},
      {4, "audit log", R"sql(
-- Who did what to the store, and when: campaigns planned and delivered,
-- events read, objections recorded, dead letters requeued, purges, codes
-- checked. Details are counts and identifiers, never contact data.
CREATE TABLE audit_log (
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  operation TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
)sql"},
      {5, "the sender of a run, for verification", R"sql(
-- Who sends a campaign's messages ("CAF de l'Isère"): what proactif verify
-- tells a person who asks whether a message is authentic.
ALTER TABLE campaign_runs ADD COLUMN sender TEXT;
)sql"},
      {6, "the start of each send, to tell an interrupted send from one never tried", R"sql(
-- Set, in its own commit, just before a message leaves: a process killed
-- with the row still "sending" may have sent it if this is set, and surely
-- did not otherwise. An email or SMS that may have left is held for the
-- operator ('held'); other rows go back to the queue.
ALTER TABLE outbox ADD COLUMN attempt_started BIGINT;
)sql"},
      {7, "envelopes: one message for the rights a household is told of together", R"sql(
-- The actions sent as one message (one email or letter to a household
-- listing each right found, each with its own code) share an envelope;
-- they are claimed, sent and recorded together. Alone: its own code.
ALTER TABLE outbox ADD COLUMN envelope TEXT;
UPDATE outbox SET envelope = verification_code;
CREATE INDEX outbox_envelope ON outbox (envelope);
)sql"},
      {8, "the version of Proactif with each run and decision; the plan summary kept apart from delivery", R"sql(
-- Which build decided, beside which programs (program_hash): a decision can
-- be traced to the code that evaluated it. The plan summary is written once,
-- when the run is planned; the report column then holds the last delivery's.
ALTER TABLE campaign_runs ADD COLUMN proactif_version TEXT;
ALTER TABLE campaign_runs ADD COLUMN plan_report TEXT;
ALTER TABLE decisions ADD COLUMN proactif_version TEXT;
)sql"},
      {9, "agents' accounts and sessions for the service's pages", R"sql(
-- An agent signs in to the service's pages. Their password is kept as an
-- argon2id hash, a session's token as its SHA-256: the store holds nothing
-- that lets one sign in. A role says what they may do: admin (everything),
-- agent (their organisation's programs), auditor (read everything, change
-- nothing).
CREATE TABLE agents (
  login TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'auditor')),
  organisation TEXT NOT NULL,
  programs TEXT NOT NULL,             -- ",c2s,rsa," the programs an agent works on; "*" for all
  created_at BIGINT NOT NULL
);
CREATE TABLE agent_sessions (
  token_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL REFERENCES agents(login) ON DELETE CASCADE,
  csrf TEXT NOT NULL,                 -- the token its forms carry
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL          -- however active, it ends then
);
)sql"},
      {10, "which delivering process claimed a row, so that several can deliver at once", R"sql(
-- Set with the claim. A process starting delivery takes as interrupted only
-- the rows "sending" of processes that are gone (PostgreSQL: whose lock on
-- their own id the database has released), not those another live process
-- is sending.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
)sql"},
      {11, "API tokens of agents, for the tools that call the service", R"sql(
-- Shown once when made; kept as their SHA-256 only. A token acts with its
-- agent's role and programs, until its expiry.
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  login TEXT NOT NULL REFERENCES agents(login) ON DELETE CASCADE,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
)sql"},
      {12, "the linkage review queue: pairs of records a reviewer decides", R"sql(
-- A pair the linkage could not decide, by extract (source) and record id, the
-- smaller first. Each ingestion of the same extracts keeps the pending pairs
-- it sees again, with their number, and removes the others; a decision
-- ("same" person or "different" persons) is applied by the next ingestion
-- and kept. `id` is a plain number, so that pages and logs name a pair
-- without its record ids, never given to two pairs (the counter below only
-- grows): a page left open decides the pair it shows, or none.
CREATE TABLE linkage_reviews (
  id BIGINT NOT NULL UNIQUE,
  source_a TEXT NOT NULL,
  record_a TEXT NOT NULL,
  source_b TEXT NOT NULL,
  record_b TEXT NOT NULL,
  weight DOUBLE PRECISION NOT NULL,
  fields TEXT NOT NULL,               -- each field's agreement and weight
  seen_at BIGINT NOT NULL,            -- the last ingestion that sent it to review
  seen_in TEXT NOT NULL,              -- that ingestion's run
  decision TEXT CHECK (decision IN ('same', 'different')),
  decided_by TEXT,
  decided_at BIGINT,
  PRIMARY KEY (source_a, record_a, source_b, record_b)
);
CREATE TABLE linkage_review_counter (last_id BIGINT NOT NULL);
INSERT INTO linkage_review_counter (last_id) VALUES (0);
)sql"},
      {13, "data fetched from API Particulier while a campaign run is planned", R"sql(
-- What a run asked API Particulier for a person whose datum the extracts
-- lack, kept only while the run is planned: a planning interrupted and run
-- again asks nobody twice. Deleted when the run's planning is finished (its
-- decisions keep what they used), by an objection of the household or the
-- person, and by the retention of data from other administrations.
CREATE TABLE api_particulier_fills (
  run_id TEXT NOT NULL,
  subject TEXT NOT NULL,       -- the household the datum was asked for
  person TEXT NOT NULL,        -- the person asked about
  datum TEXT NOT NULL,         -- quotient_familial, statut_etudiant...
  outcome TEXT NOT NULL,       -- found, not_found, unreliable, refused_input
  value TEXT NOT NULL,         -- a JSON literal, empty unless found
  as_of TEXT NOT NULL,
  provider TEXT NOT NULL,
  route TEXT NOT NULL,
  fetched_on TEXT NOT NULL,
  fetched_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, person, datum)
);
)sql"},
      {14, "the persons a decision lists outside the program's foyer", R"sql(
-- A person listed with the household but outside the program's foyer (a
-- son of 27 for the C2S): the decision holds their data (who was not
-- counted, and why), so asking what is held about them finds it; their
-- objection is for their own foyer, and does not withdraw this one.
ALTER TABLE decisions ADD COLUMN outside TEXT NOT NULL DEFAULT ',';
)sql"},
      {15, "decisions found by their subject alone", R"sql(
-- A code checked on the public verification page may be a counter
-- decision's reference, kept as its subject; an objection deletes a
-- subject's decisions: neither reads the whole table.
CREATE INDEX decisions_subject ON decisions (subject);
)sql"},
      {16, "the trace of a counter decision's reference", R"sql(
-- A person keeps the reference of a decision taken at the counter as they
-- keep a message's code. Once the decision is deleted (their objection, or
-- the retention of data), checking the reference must not answer "no
-- message has this code: report it". The trace holds no personal data:
-- the reference, the program, when it was decided and when and why it
-- was deleted; kept as long as a message's trace.
CREATE TABLE counter_references (
  reference TEXT PRIMARY KEY,
  program TEXT NOT NULL,
  decided_at BIGINT NOT NULL,
  deleted_at BIGINT,
  deletion TEXT               -- objection, retention
);
CREATE INDEX counter_references_decided_at ON counter_references (decided_at);
INSERT INTO counter_references (reference, program, decided_at)
  SELECT subject, MIN(program), MIN(decided_at) FROM decisions WHERE run_id LIKE 'instant:%' GROUP BY subject;
)sql"},
      {17, "what each run recorded since a moment", R"sql(
-- A campaign storing its plan part by part reads again, each time, what
-- other runs recorded since its planning began: run by run, without going
-- through its own rows.
CREATE INDEX outbox_run_created_at ON outbox (run_id, created_at);
)sql"},
      {18, "the file a letter was written to", R"sql(
-- A letter's PDF rests in the letters folder after it is posted: the
-- person's objection deletes it with their decisions (GDPR art. 21), which
-- needs to know where it was written; the retention deletes the others.
ALTER TABLE outbox ADD COLUMN letter_file TEXT;
)sql"},
      {19, "the persons of a household that its later objections reach", R"sql(
-- A household's objection is recorded for the persons of its foyer too, as
-- its latest decision for the program lists them. Its later objection (to
-- all programs after one, or after a member's own) must follow them though
-- the first deleted that decision: each household whose decisions an
-- objection deletes has the persons of its latest decision for each program
-- kept here, dated by that decision and purged with the decisions. The
-- objections recorded before kept none.
CREATE TABLE objection_persons (
  foyer TEXT NOT NULL,
  program TEXT NOT NULL,
  person TEXT NOT NULL,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (foyer, program, person)
);
CREATE INDEX objection_persons_decided_at ON objection_persons (decided_at);
CREATE INDEX objection_persons_person ON objection_persons (person);
)sql"},
      {20, "the persons' keyed NIRs, that an objection follows", R"sql(
-- A person keeps their NIR when the CAF gives them, or their household,
-- another number: their objection must still reach them (GDPR art. 21).
-- A decision lists, for each person it concerns whose NIR was known, a
-- keyed hash of it (",CAF:P1=NIR:5f0c...,"), never the NIR itself; an
-- objection is recorded for these keys too, and planning compares them.
-- The key is drawn once per store (store_secrets).
ALTER TABLE decisions ADD COLUMN person_keys TEXT NOT NULL DEFAULT ',';
CREATE TABLE store_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
      {21, "the list for the social services that names a household", R"sql(
-- A household no channel reaches is listed for the social services of its
-- commune (a CSV file of its campaign's working folder), with its decision
-- kept as any other's (GDPR art. 15, CRPA R311-3-1-2). An objection deletes
-- the decision and takes the right out of that list, which needs to know
-- the file and the household the list names (a person of their own foyer
-- is listed under the household they live in).
ALTER TABLE decisions ADD COLUMN listed_in TEXT;
ALTER TABLE decisions ADD COLUMN listed_as TEXT;
)sql"},
      {22, "the postal code of the address an API Particulier answer gives", R"sql(
-- The CAF allocataire's address that a quotient familial's answer gives,
-- its postal code alone: the household may live there rather than where
-- the extracts say, and a fare of another territory is then not told. Kept
-- as the answer's other fields, while the run is planned.
ALTER TABLE api_particulier_fills ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
)sql"},
      {23, "actions delivered and not yet in the audit trail; when an objection's origin was written", R"sql(
-- A delivery writes its audit entry when it ends: an action it delivered
-- before its process stopped is marked here until a later delivery audits
-- it. The actions delivered before this column were audited as they went.
ALTER TABLE outbox ADD COLUMN delivery_unaudited INTEGER NOT NULL DEFAULT 0;
-- When an objection's standing origin was written (an event's refusal of
-- a later claim than the one standing, or any other objection): the
-- persons its foyer named then are those of objection_persons linked since.
-- 0 for those written before: every person linked counts. With it, how
-- many persons the event's foyer had, those without an identifier of an
-- administration too (0: not an event's, or before).
ALTER TABLE objections ADD COLUMN linked_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE objections ADD COLUMN foyer_size INTEGER NOT NULL DEFAULT 0;
)sql"},
      {24, "what a message told of the data and their sources, kept once it is sent", R"sql(
-- The message itself is emptied once sent (it holds the person's address
-- and amounts); what it told of the data it rests on and where each came
-- from (RGPD art. 14: the postal address from the tax office's extract, the
-- acceptance of the request and its date) stays, for the person who asks
-- where their address came from (art. 15-1-g) and for an auditor. No
-- contact detail, no amount; emptied with the rest on an objection and at
-- the end of retention.
ALTER TABLE outbox ADD COLUMN told TEXT NOT NULL DEFAULT '';
)sql"},
      {25, "the actions a partial withdrawal of a run took back, counted with the run", R"sql(
-- A run's summary is its plan as stored: after a withdrawal that left part
-- of it, the report says how many of its actions were taken back, which
-- the outbox no longer holds (an auditor read the plan as done).
ALTER TABLE campaign_runs ADD COLUMN withdrawn_actions BIGINT NOT NULL DEFAULT 0;
)sql"},
  };
  return list;
}

Result<int> schema_version(SqlConnection& db) {
  if (auto err = db.run_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
          "applied_at BIGINT NOT NULL)"); !err.ok())
    return err.error();
  auto rows = db.run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows) return rows.error();
  return static_cast<int>(as_int(rows->rows.at(0).at(0)));
}

namespace {

// Reads the version and applies what is missing under one lock: two
// processes opening a fresh store at once must not both create its tables.
// SQLite: BEGIN IMMEDIATE takes the write lock (the other waits on its busy
// timeout); PostgreSQL: a transaction-scoped advisory lock.
Result<void> migrate_locked(SqlConnection& db) {
  auto version = schema_version(db);
  if (!version) return version.error();
  int latest = migrations().back().version;
  if (*version > latest)
    return Error{ErrorKind::kRefused, "the store's schema is at version " + std::to_string(*version) + ", newer than this proactif (" +
                 std::to_string(latest) + "): upgrade proactif"};
  for (const Migration& m : migrations()) {
    if (m.version <= *version) continue;
    if (auto err = db.run_script(m.sql); !err.ok())
      return Error{err.error().kind, "migration " + std::to_string(m.version) + " (" + m.description + "): " + err.error().message};
    auto done = db.run("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
                       {int64_t{m.version}, std::string(m.description), now_ms()});
    if (!done) return Error{done.error().kind, "migration " + std::to_string(m.version) + " (" + m.description + "): " + done.error().message};
  }
  return {};
}

}  // namespace

Result<void> migrate(SqlConnection& db) {
  const bool sqlite = db.dialect() == "sqlite";
  // As the store's transactions: a process that waited for another's
  // migrations reads what it committed (store.cpp, in_transaction).
  if (auto err = db.run_script(sqlite ? "BEGIN IMMEDIATE" : "BEGIN ISOLATION LEVEL READ COMMITTED"); !err.ok()) return err;
  Result<void> err;
  if (!sqlite) {
    auto locked = db.run("SELECT pg_advisory_xact_lock(hashtext('proactif:migrations'))");
    if (!locked) err = locked.error();
  }
  if (err.ok()) err = migrate_locked(db);
  if (err.ok()) err = db.run_script("COMMIT");
  if (!err.ok()) (void)db.run_script("ROLLBACK");
  return err;
}

}  // namespace proactif
