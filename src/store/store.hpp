// What Proactif keeps between runs, on SQLite or PostgreSQL: campaign runs,
// the decisions that lead to an action, the outbox of actions (each delivered
// once), objections. The rules of exactly-once live here, written once for
// both databases:
//  - a decision and its actions are written in one transaction, keyed by
//    (program, subject, period[, action]): planning again adds nothing;
//  - a delivery is claimed (state "sending") and marked delivered right
//    after; the start of an email, SMS or HTTP transmission is recorded as
//    it leaves. A row found "sending" at start-up goes back to the queue;
//    an HTTP transmission that had left is flagged in_doubt (its receiver
//    recognises the copy by its Idempotency-Key); an email or SMS that had
//    left is held for an operator's decision, as is one that timed out after
//    it left ('held', flagged in_doubt). Letters and drop-folder batches
//    are simply done again: the same file is written whole under the same
//    name, and a batch already placed is recognised by its file;
//  - an objection deletes what the store holds on the person for that
//    program and cancels what was not yet sent, and is itself kept.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.hpp"
#include "store/sql_connection.hpp"

namespace proactif {


struct CampaignRun {
  std::string run_id, campaign, period, evaluation_date, campaign_hash, sender;
};

struct StoredDecision {
  std::string program, subject, period, run_id;
  std::vector<std::string> persons;
  std::string status, decision_json, explanation_json, program_hash, evaluation_date;
  int64_t decided_at = 0;  // set by the store
  std::string proactif_version;  // set by the store: the build that decided
  // The persons listed with the household outside the program's foyer:
  // found by decisions_about (their data are in it), not by an objection.
  std::vector<std::string> outside;
  // For each person of `persons` whose NIR was known, "id=key": the keyed
  // hash of the NIR (campaign/person_key.hpp), which an objection follows
  // when the persons are numbered anew.
  std::vector<std::string> person_keys;
  // No channel reached the household: the list for the social services
  // that names it (a CSV file), under that household id, and no action was
  // stored.
  std::string listed_in, listed_as;
};

struct ActionKey {
  std::string program, subject, period, action;
};

struct PlannedAction {
  ActionKey key;
  std::string channel, run_id, recipient, message_json, verification_code;
  std::string envelope;  // actions sent as one message share it; empty: its own code
  // What the message tells of the data and their sources (told_of,
  // campaign/message_sources.hpp), kept once it is sent; empty for a transmission.
  std::string told;
  // The actions of the same program, subject and period this one makes
  // moot, cancelled with its planning where not sent yet: a request replaces
  // the notice that told the person to claim it themselves.
  std::vector<std::string> replaces;
  // Other subjects whose actions of the kinds `replaces` names it replaces
  // too: the same foyer told in the period under another household number
  // (the CAF renumbered the case between the notice and the request).
  std::vector<std::string> replaces_under;
};

// The persons a decision concerns, in an order of their own: the same foyer
// gives the same key whatever the household's identifier or the persons'
// order; "" for none, or where a person is not named as campaigns name
// them (SOURCE:ID), so that no key stands for other persons.
std::string foyer_key(std::vector<std::string> persons);
// The same, of the persons by their keyed NIRs (`keys`: "id=key" entries,
// StoredDecision::person_keys), which stay when the CAF numbers them anew:
// "" unless each person has one.
std::string keyed_foyer_key(const std::vector<std::string>& persons, const std::vector<std::string>& keys);

struct OutboxEntry {
  ActionKey key;
  std::string channel, recipient, message_json, verification_code, envelope;
  std::string reference;  // its message's: the least code of its envelope
  std::string batch;  // transmissions: the batch it was last sent in, empty before
  int attempts = 0;
  bool in_doubt = false;
  int64_t created_at = 0;  // planned at: the retry period counts from here
};

struct OutboxCounts {
  int64_t pending = 0, sending = 0, retry = 0, delivered = 0, dead = 0, cancelled = 0, expired = 0, in_doubt = 0;
  int64_t held = 0;  // sent, no answer: held until an operator settles them
  int64_t accepted = 0, rejected = 0;  // transmissions acknowledged by the receiving body
  // Among the pending: the messages that tell of a request which failed for
  // good (dead, or held, cancelled, expired), held back until it is sent
  // (an agent's requeue). Delivery does not wait for them.
  int64_t awaiting_failed_request = 0;
  // Planned, then taken back before they were tried (withdraw_unsent): no
  // longer in the outbox, counted with their run.
  int64_t withdrawn = 0;
};

// What `proactif verify` may say about a code: nothing personal.
struct VerifiedMessage {
  std::string program, channel, action, state, campaign, sender;
  int64_t created_at = 0, delivered_at = 0;
  bool in_doubt = false;  // a send was interrupted: it may have arrived
};

struct ObjectionResult {
  int64_t decisions_deleted = 0, actions_cancelled = 0, delivered_traces_emptied = 0;
  // Requests already transmitted to the paying body for the households
  // concerned (program, household, request code, day sent): the person's
  // refusal of each is queued for it, unless an earlier objection queued
  // (or sent) it already.
  struct Transmitted {
    std::string program, subject, code;
    std::string run_id;  // the request's run, whose delivery sends the refusal
    int64_t sent_at = 0;
    bool refused_before = false;
    // The month's refusal is of an earlier claim, made before this request:
    // the refusal withdrawing it cannot be queued (one refusal a household,
    // program and month), and an agent must tell the paying body.
    bool withdrawal_blocked = false;
  };
  std::vector<Transmitted> transmitted;
  // The PDFs of the letters that told the households concerned of nothing
  // but what the objection covers (a letter telling of another right too
  // stays): their caller deletes them once the objection is committed, and
  // the store forgets those gone (forget_letters). One left is named again
  // by the next objection of its household.
  std::vector<std::string> letter_files;
  // The lists for the social services that name the households whose
  // decisions go: their caller takes those rights out.
  struct Listed {
    std::string file, household, program;
  };
  std::vector<Listed> listed;
};

// A request transmitted to a paying body, as the outbox keeps it once sent
// (its content is not kept: the code names it), and the run and sender it
// went with.
struct TransmittedGrant {
  ActionKey key;
  std::string run_id, code, sender;
  // Who declined, as the requests name persons: the objection's persons
  // (its subject's, or an event's foyer), else its subject, a person. A
  // request withdrawn for one member's objection says it was theirs, not
  // the others' (who may be requested again).
  std::vector<std::string> refused_by;
};
// The refusal that follows such a request when the person declines (CASF
// R262-106 II), sent with the next delivery of any run of the request's campaign.
using RefusalOf = std::function<PlannedAction(const TransmittedGrant&)>;

// How long the store keeps what (DINUM's guide to proactive projects, GDPR
// art. 5-1-e): data collected from other administrations 12 months at most;
// the trace of an objection 24 months; the trace of an exchange (who was
// told what, when, by which code) 36 months.
struct RetentionPolicy {
  int64_t data_days = 365;
  int64_t objection_days = 730;
  int64_t trace_days = 1095;
};

// A run's stored report: its plan summary and its last delivery's state,
// as JSON, and the version of Proactif that started it.
struct StoredReport {
  std::string plan_json, delivery_json, proactif_version;
};

// An agent of the service's pages; `programs` empty with role "agent" means
// none, and "*" every program.
struct AgentAccount {
  std::string login, password_hash, role, organisation;
  std::vector<std::string> programs;
  bool covers(const std::string& program) const;
};

struct AgentSession {
  AgentAccount agent;
  std::string csrf;
  int64_t expires_at = 0;
};

// An account as `proactif agent list` shows it, without its password hash.
struct AgentListing {
  AgentAccount agent;
  int64_t sessions = 0, api_tokens = 0;
};

// A campaign run, as the service lists them.
struct RunSummary {
  std::string run_id, campaign, period, sender;
  int64_t started_at = 0, planned_at = 0;  // planned_at 0: planning not finished
};

// A datum asked of API Particulier for a run being planned (what the
// extracts lacked): who it was asked about, what came back. Kept until the
// run's planning is finished.
struct FetchedFill {
  std::string subject, person, datum, outcome, value, as_of, provider, route, fetched_on;
  std::string postcode;  // of the address the answer gives, if any
};

// A pair of records whose link the linkage could not decide; `decision`
// empty while pending, "same" (one person) or "different" once decided.
struct LinkageReview {
  int64_t id = 0;
  std::string source_a, record_a, source_b, record_b;
  double weight = 0;
  std::string fields, seen_in;
  int64_t seen_at = 0;
  std::string decision, decided_by;
  int64_t decided_at = 0;
};

struct AuditEntry {
  int64_t at = 0;
  std::string actor, operation, detail;
};

struct PurgeResult {
  int64_t decisions_deleted = 0, actions_expired = 0, traces_deleted = 0, objections_deleted = 0;
};

class Store {
 public:
  // Connects and brings the schema up to date.
  static Result<std::unique_ptr<Store>> open(const std::string& url);
  explicit Store(std::unique_ptr<SqlConnection> db);

  SqlConnection& db() { return *db_; }

  // Records the run if it is new; true when it was already fully planned.
  Result<bool> start_run(const CampaignRun& run);
  // The run is planned: the data fetched for it are no longer needed (its
  // decisions keep what they used) and are deleted in the same transaction,
  // which stores the plan's summary too (when given): a run that cannot
  // deliver, or is killed while it does, keeps it for `campaign report`.
  Result<void> finish_planning(const std::string& run_id, const std::string& plan_json = {});
  // What a planned run never sent, withdrawn: the actions of each subject of
  // whom none was attempted yet, and the decisions they rest on; the run
  // itself when nothing of it is left, so that a corrected file may run
  // under its id. A subject one of whose actions was attempted, sent,
  // cancelled by an objection, or is a refusal the person asked for, keeps
  // them all: a notice may tell of a request. Until withdrawn, a run planned
  // and not delivered counts as acting on its subjects (they are told when
  // it is delivered), for its period and the year around it. Audited by
  // `actor` in the same transaction.
  struct Withdrawn {
    int64_t subjects = 0, actions = 0, decisions = 0;
    bool run_removed = false;
  };
  Result<Withdrawn> withdraw_unsent(const std::string& run_id, const std::string& actor);
  // The plan's summary (empty: keep the one stored when the run was planned)
  // and the last delivery's state.
  Result<void> save_report(const std::string& run_id, const std::string& plan_json,
                                   const std::string& delivery_json);
  Result<std::optional<StoredReport>> run_report(const std::string& run_id);

  // Subjects (household or person ids) who objected to `program` or to all.
  // `since` (ms), here and below: only what was recorded from then on (a
  // campaign's planning reads again what was stored while it planned).
  Result<std::unordered_set<std::string>> objectors(const std::string& program, int64_t since = 0);
  // Subjects with an action for `program` and `period` planned by another run
  // (a run planning again after a crash finds its own rows and adds nothing);
  // of one kind (`action`: "grant") when it is given.
  Result<std::unordered_set<std::string>> acted_on(const std::string& program, const std::string& period,
                                                   const std::string& this_run = "", int64_t since = 0,
                                                   const std::string& action = "");

  // Subjects (or `subject` alone, when given) acted on for `program` in one
  // of the eleven periods before or after `period` (an event may arrive
  // after a later period was handled), by an action that stands: not
  // cancelled, expired or failed, not rejected by the paying body (nor the
  // notice of a request that does not stand), not followed by a refusal. A second request would ask the paying body again
  // for a right it is already opening (a C2S is granted for a year, CSS
  // L861-5); a second notice would tell again a person told within the year.
  // By subject, and by the persons its decision concerned (foyer_key): the
  // same persons under another household identifier (the CAF renumbered
  // the case, the household moved) were acted on too, in the period itself
  // included.
  struct ActedWithinYear {
    std::unordered_set<std::string> requested;         // a grant transmitted
    std::unordered_set<std::string> told_of_right;     // a notice of the right, or of a grant
    std::unordered_set<std::string> told_of_possible;  // a notice of a possible right
    // Per foyer (foyer_key, and keyed_foyer_key where each person's NIR
    // was known): the subjects it was acted on under in the period itself,
    // and "" for another period of the year.
    using Foyers = std::unordered_map<std::string, std::unordered_set<std::string>>;
    Foyers requested_foyers, told_of_right_foyers, told_of_possible_foyers;
    // Per subject requested in another period: the persons its requests'
    // decisions named (none kept: not in the map).
    std::unordered_map<std::string, std::unordered_set<std::string>> requested_persons;
    // Whether `foyer` was acted on in another period, or in this one under
    // another subject than `subject` (its own actions of the period are
    // acted_on's).
    static bool foyer_acted_on(const Foyers& foyers, const std::string& foyer, const std::string& subject);
    // The subjects other than `subject` under which `foyer` was acted on in
    // the period itself.
    static void add_subjects_of_the_period(const Foyers& foyers, const std::string& foyer, const std::string& subject,
                                           std::vector<std::string>& out);
    // Whether a request of another period for `subject` named each person
    // of `concerned` (its foyer now): a spouse who joined since is in no
    // request, and the household is requested again. Where the persons are
    // not known (no decision kept, a situation's own ids), the subject's
    // request stands for them.
    bool requested_whole(const std::string& subject, const std::vector<std::string>& concerned) const;
  };
  // `subject` empty: every subject; else that one's, and those whose
  // decision concerned `person` (one of its foyer's).
  // `except_run`: not that run's own actions.
  // `key`: that person's keyed NIR, which finds the decisions listing them
  // under another id.
  Result<ActedWithinYear> acted_within_year(const std::string& program, const std::string& period,
                                            const std::string& subject = "", const std::string& person = "",
                                            int64_t since = 0, const std::string& except_run = "",
                                            const std::string& key = "");

  // Whether `subject` has an action for `program` and `period`, whatever the
  // run; of one kind (`action`: "refusal"...) when it is given, else of any
  // but a refusal (the person's choice transmitted, which a later claim may
  // replace by an acceptance within the month).
  Result<bool> has_acted_on(const std::string& program, const std::string& subject, const std::string& period,
                            const std::string& action = "");

  // The month of the latest refusal transmitted or queued for `subject`
  // within the year up to `period` (one given up or rejected reached
  // nobody) that no request followed (a request made after it, that went
  // or may go, is a later claim accepted), "" when there is none.
  Result<std::string> refusal_standing(const std::string& program, const std::string& subject,
                                       const std::string& period);

  // The decisions of `run_id` that list their subject for the social
  // services, as (program, subject): those an objection did not delete.
  Result<std::set<std::pair<std::string, std::string>>> listed_in_run(const std::string& run_id);

  // One transaction: the decisions and their actions, or nothing.
  Result<void> store_plan(const std::vector<StoredDecision>& decisions, const std::vector<PlannedAction>& actions);
  // An instant decision, with its run (created when missing, planned) and
  // its audit rows (the calls made for it, the decision), in one
  // transaction: a decision is never kept without its trail.
  Result<void> record_instant_decision(const CampaignRun& run, const StoredDecision& decision,
                                               const std::vector<AuditEntry>& audits);

  // A delivering process, known by `deliverer` (an id of its own), holds
  // this for as long as this connection lives. SQLite: one delivering
  // process per store (false when another holds it). PostgreSQL: as many as
  // wanted (false only while a Proactif from before that delivers); each
  // holds a lock on its own id, shared by every connection it delivers
  // with (join_delivery), which the database releases when they are gone,
  // whatever way the process dies: one connection lost does not make its
  // rows look abandoned.
  Result<bool> lock_delivery(const std::string& deliverer);
  Result<void> join_delivery(const std::string& deliverer);
  // Start-up: rows left "sending" by a process that died (PostgreSQL: any
  // whose deliverer's lock is free; SQLite: all, as only the lock holder
  // delivers). Never tried: back to the queue. Tried: an email or SMS is
  // held for the operator; anything else goes back to the queue flagged
  // in_doubt (its receiver recognises a copy). `self`: the caller's own
  // deliverer id, whose rows are never taken (its lock is its own).
  Result<int64_t> recover_interrupted(const std::string& self = "");
  // Changes made in one transaction: an envelope's actions (one message)
  // are marked attempted, delivered, failed or held together, so that a
  // process killed between two of them cannot split the message.
  Result<void> atomically(const std::function<Result<void>()>& work) { return in_transaction(work); }
  // Reads what was requested and stores what follows from it in one
  // transaction, one such at a time with a requeue of dead requests, an
  // objection, an event and a campaign's storing of part of its plan: a
  // request the requeue sends again, or another event or campaign asks, is
  // seen before asking it a second time, and an objection before acting
  // against it. The store's own transactions called within join this one.
  Result<void> deciding_requests(const std::function<Result<void>()>& work);
  // Just before a claimed action leaves, in its own commit (see recover_interrupted).
  Result<void> mark_attempt(const ActionKey& key, int64_t now);
  // Claims the due actions of up to `limit` envelopes, each envelope whole,
  // of runs whose planning is finished (state becomes "sending", attempts + 1).
  // `runs` selects runs as SQL LIKE does ("c2s-rsa:%"); empty: all. The
  // refusals queued on any run of the same campaign (`runs` up to its first
  // ':') come with them: an objection may follow a request of another month.
  // `paused`: channels not claimed (down, waiting for them to answer again).
  // `deliverer`: the claiming process's id (lock_delivery). The notice of a
  // request waits, with its envelope, until the request is delivered.
  Result<std::vector<OutboxEntry>> claim_due(size_t limit, int64_t now, const std::string& runs = "",
                                             const std::vector<std::string>& paused = {},
                                             const std::string& deliverer = "");
  // `letter_file`: the PDF a letter was written to, which an objection deletes.
  Result<void> mark_delivered(const ActionKey& key, int64_t now, const std::string& letter_file = "");
  // A claimed action put back untried (its channel was paused meanwhile):
  // the claim does not count as an attempt.
  Result<void> release(const ActionKey& key, int64_t retry_at);
  // A failed attempt: retried at `retry_at`, or dead when `dead`.
  // `may_have_arrived`: the request went and no answer came (a timeout): it
  // is sent again under its Idempotency-Key, and counted as possibly
  // arrived (in_doubt), so that an objection meanwhile withdraws it.
  Result<void> mark_failed(const ActionKey& key, const std::string& error, int64_t retry_at, bool dead,
                           bool may_have_arrived = false);
  Result<OutboxCounts> outbox_counts(const std::string& runs = "");
  // An agent puts dead letters back in the queue once the cause is fixed
  // (a server back, a disk freed): attempts start again from zero. A dead
  // request (C2S) is not sent twice, nor against an objection: where its
  // subject or persons objected since (under any case number, through a
  // household of the same foyer), it is cancelled with its notice, which
  // waited for it; where another request for the same program and
  // household or foyer (its persons under another case number) within the
  // year reached the paying body or may have (delivered, sending, held, or
  // sent once without an answer whatever its state since: in_doubt), or is
  // requeued here with it and later, or may have arrived where this one
  // did not, likewise; where another waits to be sent or is dead in a run
  // not requeued, it stays dead, for a later requeue to decide. Refused while a run is being planned, which reads
  // what was requested before it stores its own. A dead notice (of a right,
  // or of a possible right) whose household or foyer was told since as a
  // campaign reads it (another notice within the year, not dead), or that
  // a later dead notice of the same household requeued with it replaces
  // (one that tells as much: a right; for a possible right, either), is
  // cancelled: it would tell them twice.
  struct RequeuedDead {
    int64_t requeued = 0, superseded = 0, objected = 0, left_dead = 0, notices_told_since = 0;
  };
  Result<RequeuedDead> requeue_dead(const std::string& runs, int64_t now);
  // Or sends the dead emails and SMS by letter (refused for good, as a
  // mailbox that does not exist, or failing past the retry period):
  // `letter_recipient` gives the postal recipient a message's JSON holds,
  // empty when it has none, and those stay dead. Each envelope moves whole,
  // to an envelope of its own; audited by `actor` in the same transaction.
  // The dead notices whose household was told since are cancelled as
  // requeue_dead does (not for a later dead notice: which go is known only
  // as they move).
  struct Requeued {
    int64_t by_letter = 0, without_address = 0, notices_told_since = 0;
  };
  Result<Requeued> requeue_dead_by_letter(const std::string& runs, int64_t now, const std::string& actor,
                                          const std::function<std::string(const std::string&)>& letter_recipient);
  // A send whose outcome is unknown (sent whole, no answer) on a channel
  // whose receiver cannot recognise a copy: held, never retried by itself.
  Result<void> mark_unknown(const ActionKey& key, const std::string& error);
  // The operator's decision on held sends: they arrived (`delivered`), or
  // they are sent again, knowing a person may get two copies; all of the
  // runs', or those of the messages whose verification codes are listed
  // (a message of several rights whole, whichever of its codes is given; a
  // code not held in those runs is an error, and nothing is settled).
  Result<int64_t> settle_held(const std::string& runs, bool delivered, int64_t now,
                              const std::vector<std::string>& codes = {});
  // The sends held in the runs, for the operator to decide on: the message's
  // code, its channel, when its last attempt started and why it is held.
  struct HeldSend {
    std::string code, channel, reason;
    int64_t attempt_started = 0;
  };
  Result<std::vector<HeldSend>> held_sends(const std::string& runs);

  // Transmissions: the batch a claimed action goes in, recorded before the
  // batch is written; and the receiving body's acknowledgement of a request
  // (false when no transmission has that code).
  Result<void> assign_batch(const std::vector<ActionKey>& keys, const std::string& batch);
  Result<bool> record_receipt(const std::string& code, const std::string& receipt, int64_t now);

  Result<std::optional<VerifiedMessage>> verify(const std::string& code);
  // The action a message's code was given to (a person objects by giving it).
  Result<std::optional<ActionKey>> action_of_code(const std::string& code);

  // The decisions kept about a household or one of its persons; `program`
  // empty for all programs.
  Result<std::vector<StoredDecision>> decisions_about(const std::string& subject, const std::string& program);
  // The actions stored for a decision (its program, household and period),
  // as their trace keeps them: what, by which channel, its code, its state,
  // when prepared and delivered.
  struct ActionTrace {
    std::string action, channel, code, state;
    int64_t created_at = 0, delivered_at = 0;
    std::string told;  // PlannedAction::told, until an objection or the retention empties it
  };
  Result<std::vector<ActionTrace>> actions_of(const StoredDecision& decision);
  // Whether a decision, a message's trace or an objection names this
  // household or person identifier exactly; when none does, the stored
  // identifiers it may have been meant for (the same but for case, or the
  // extract's number without its source: "A00000048" for "CAF:A00000048").
  struct SubjectLookup {
    bool known = false;
    std::vector<std::string> near;
  };
  Result<SubjectLookup> look_up_subject(const std::string& subject);

  // The trace of a decision taken at the counter under this reference (its
  // subject), kept after the decision is deleted, as a message's trace is.
  struct CounterReference {
    std::string program;
    int64_t decided_at = 0;
    int64_t deleted_at = 0;  // 0: the decision is kept
    std::string deletion;    // "objection" or "retention" once deleted
  };
  Result<std::optional<CounterReference>> counter_reference(const std::string& reference);

  // The actions a run planned, each with the decision behind it.
  struct PlannedWithDecision {
    std::string action, channel;
    StoredDecision decision;
  };
  Result<std::vector<PlannedWithDecision>> planned_by_run(const std::string& run_id, const std::string& program);

  // `program` is a program id or "*" (all programs). The objection is
  // recorded for the subject's persons too (those its latest decision
  // lists, or `foyer`: the persons of the program's foyer a caller knows,
  // not yet decided on), and reaches the same foyer under another household
  // id. It is recorded for the persons' keyed NIRs as well (the decisions
  // that list them give them, `foyer_keys` too: "id=key"), and reaches the
  // persons decisions list under other ids with the same keys: the CAF may
  // number a person and their household anew.
  // Each request already transmitted for the households concerned is
  // followed, in the same transaction, by the refusal `refusal_of` makes of
  // it, queued once.
  Result<ObjectionResult> object(const std::string& subject, const std::string& program, const std::string& origin,
                                 int64_t now, const RefusalOf& refusal_of, const std::vector<std::string>& foyer = {},
                                 const std::vector<std::string>& foyer_keys = {});
  Result<bool> has_objected(const std::string& subject, const std::string& program);
  // The list for the social services the decision of `subject` for the
  // program and period named them in (not reached); empty when none did.
  Result<std::string> listed_in(const std::string& program, const std::string& subject, const std::string& period);
  // The other households whose refusal or objection a person of `subjects`
  // follows (a child in two households): that choice holds this household's
  // action as the person's own would, and is not this household's. This
  // family under another number (each person that choice covers a keyed
  // NIR of `subjects`) is not another.
  struct HeldBy {
    std::string household;
    bool refusal = false;  // an event's refusal with a claim, else an objection
  };
  Result<std::vector<HeldBy>> held_by_others(const std::vector<std::string>& subjects, const std::string& household,
                                             const std::string& program);
  // Who objected to the processing for `program` (GDPR art. 21, by
  // `object` or the service's page, to it or to every program), where a
  // person of `subjects` is concerned: the household or person that made
  // the objection, an event's refusal of a claim left out (a later claim
  // replaces it, which this objection no claim does). A claim accepting the
  // request meets it: the request is not made, and an agent is told.
  Result<std::vector<std::string>> objected_to_processing(const std::vector<std::string>& subjects,
                                                          const std::string& program);
  // The refusals of `program` an event recorded (the choice made with one
  // claim, CASF R262-104-1) with a claim of a day before `choice_date` (or
  // by an event before it that gave no claim's day), which a later
  // claim that does not refuse replaces: each is deleted with the rows it
  // gave the persons of its foyer, where every objection `subjects` (a
  // household, its persons, their keyed NIRs) have to it is such a refusal.
  // Any other objection (to the processing, GDPR art. 21, or to every
  // program) stands, and nothing is deleted. A refusal is replaced only
  // where each of its persons is of this claim: under `household`, by their
  // id or keyed NIR; under another number, by their keyed NIR (the family
  // numbered anew). One of a foyer with others (a child in two households,
  // a member gone since) is not the others' choice, and stands, in `kept`,
  // and then none is replaced; so does another foyer's objection that named
  // one of these persons (objection_persons), whoever their row follows.
  // A refusal whose claim may be before or after `choice_date` (of the same
  // day, or undated and recorded on or after it) stands too, in `unordered`,
  // and nothing is deleted: which choice came last is not known.
  struct LiftedRefusals {
    std::vector<std::string> lifted, kept, unordered;  // households
  };
  Result<LiftedRefusals> lift_earlier_refusals(const std::vector<std::string>& subjects, const std::string& household,
                                               const std::string& program, const std::string& choice_date);
  // A secret of this store (hexadecimal, 256 bits), drawn from the kernel
  // the first time it is asked for and kept (`if_absent`: that value kept
  // instead): the key of the persons' keyed NIRs ("person_key"), or the
  // check of a key kept apart (campaign/person_key.hpp).
  Result<std::string> secret(const std::string& name, const std::string& if_absent = "");
  Result<bool> has_secret(const std::string& name);
  // The letters an objection named that are deleted: no objection names them again.
  Result<void> forget_letters(const std::vector<std::string>& files);

  // Agents and their sessions. A session ends `idle_ms` after its last use
  // or at its expiry, whichever comes first; using it moves its last use.
  Result<void> add_agent(const AgentAccount& agent, int64_t now);
  Result<std::optional<AgentAccount>> agent(const std::string& login);
  Result<void> open_session(const std::string& token_hash, const std::string& login, const std::string& csrf,
                                    int64_t now, int64_t expires_at);
  Result<std::optional<AgentSession>> session(const std::string& token_hash, int64_t now, int64_t idle_ms);
  Result<void> close_session(const std::string& token_hash);
  // API tokens: the agent a token acts for, none when unknown or expired.
  Result<void> add_api_token(const std::string& token_hash, const std::string& login, const std::string& label,
                                     int64_t now, int64_t expires_at);
  Result<std::optional<AgentAccount>> api_token(const std::string& token_hash, int64_t now);
  // The linkage review queue. An ingestion of `sources` replaces the pending
  // pairs among them by `pairs` (a pair already decided stays decided).
  Result<void> replace_pending_reviews(const std::vector<std::string>& sources,
                                               const std::vector<LinkageReview>& pairs, const std::string& run_id,
                                               int64_t now);
  // Pending pairs, strongest first, at most `limit`; and how many there are.
  Result<std::vector<LinkageReview>> pending_reviews(size_t limit);
  Result<int64_t> pending_review_count();
  // Whether a pending pair names this person (SOURCE:RECORD, as snapshots
  // and events name persons): their identity link is under review.
  Result<bool> under_review(const std::string& person);
  // Every decided pair, for the next ingestion.
  Result<std::vector<LinkageReview>> decided_reviews();
  // Records a decision on a pending pair, with its audit row, in one
  // transaction; false when no pending pair has this id.
  Result<bool> decide_review(int64_t id, const std::string& decision, const std::string& actor, int64_t now);

  // Accounts changed or ended: removing an account ends its sessions and
  // tokens; a new password ends its sessions; tokens revoked by label, or
  // all of the agent's when `label` is empty. False / 0: no such account.
  Result<std::vector<AgentListing>> agents();
  Result<bool> remove_agent(const std::string& login);
  Result<bool> change_password(const std::string& login, const std::string& password_hash);
  Result<int64_t> revoke_api_tokens(const std::string& login, const std::string& label);

  // A run's data fetched so far, and more of them with the audit rows of
  // their calls, in one transaction (a datum already kept stays as it is).
  Result<std::vector<FetchedFill>> fetched_fills(const std::string& run_id);
  Result<void> record_fills(const std::string& run_id, const std::vector<FetchedFill>& fills,
                                    const std::vector<AuditEntry>& audits);

  // Every run, the latest first.
  Result<std::vector<RunSummary>> runs();

  // The audit trail: appended to, never changed; kept as long as exchange traces.
  Result<void> audit(const std::string& actor, const std::string& operation, const std::string& detail);
  // A delivery's audit entry ("actions delivered"), in one transaction with
  // the marking of the actions its deliverer (deliver()'s id) delivered as
  // audited.
  Result<void> audit_delivery(const std::string& actor, const std::string& deliverer, const std::string& detail);
  // The actions delivered by deliverers gone (their process stopped before
  // its audit entry) other than `self`, audited now in one entry counted by
  // run, channel and action; how many.
  Result<int64_t> audit_interrupted_deliveries(const std::string& actor, const std::string& self);
  Result<std::vector<AuditEntry>> audit_log(int64_t since);

  // Deletes what the policy no longer allows to keep, as of `now`: old
  // decisions; the content of actions never delivered (they expire: a
  // year-old notice is not sent); old traces and objections.
  Result<PurgeResult> purge(int64_t now, const RetentionPolicy& policy = {});
  // SQLite: the deletions committed written back to the file, which
  // overwrites them, and the write-ahead log emptied, where no other
  // connection holds it (each purge and objection does it; an event's
  // refusals, objections made within its transactions, once it is done).
  void write_back_deletions();

 private:
  Result<void> in_transaction(const std::function<Result<void>()>& work);
  Result<void> insert_plan(const std::vector<StoredDecision>& decisions, const std::vector<PlannedAction>& actions);
  // `all_go`: every dead notice not cancelled here is requeued, so that a
  // later one of a household stands for an earlier (requeue_dead).
  Result<int64_t> cancel_dead_notices_told_since(const std::string& runs, bool all_go);
  Result<int64_t> recover_rows(const std::string& owners_gone, const std::vector<SqlValue>& params);
  // The outbox rows of deliverers gone, among those `rows` selects: a
  // condition on claimed_by and its parameters, numbered from $1.
  struct Owners {
    std::string condition;
    std::vector<SqlValue> params;
  };
  Result<Owners> owners_gone(const std::string& self, const std::string& rows);
  std::unique_ptr<SqlConnection> db_;
  int transaction_depth_ = 0;  // a transaction begun within another joins it
};

// What a read of decisions records of the subject asked for: the subject,
// where a decision kept names it; else not what was typed (an agent at the
// counter may type a NIR or a name, which the trail would keep 36 months,
// past the data's own 12), as a sign-in with a login no account has.
inline std::string subject_read(const std::string& asked, bool named_by_a_decision) {
  return named_by_a_decision ? asked : "a subject no decision kept names (what was typed not recorded)";
}

}  // namespace proactif
