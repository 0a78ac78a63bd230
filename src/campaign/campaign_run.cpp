#include "campaign/campaign_run.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include "actions/messages.hpp"
#include "campaign/acting_day.hpp"
#include "campaign/api_particulier_fill.hpp"
#include "campaign/events.hpp"
#include "campaign/run_report.hpp"
#include "core/data_paths.hpp"
#include "core/date.hpp"
#include "eval/outcome.hpp"
#include "ingest/ingestion.hpp"
#include "synth/synthesise.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Population {
  Snapshot snapshot;
  std::vector<SourceMapping> contacts;
  std::vector<SourceMapping> nir_extracts;  // the others that give a NIR (campaign/planner.hpp)
};

// The population of the campaign: its extracts (written first when
// synthetic), read and linked. What was read is logged to `log`.
// The extracts read and linked, with the reviewers' decisions on earlier
// pairs applied, and the pairs still undecided put in the review queue.
Result<Population> read_population(const Campaign& c, const Engine& engine, const std::string& run_id, Store& store,
                                   std::ostream& log) {
  std::vector<std::string> mappings = c.mappings;
  if (!c.synthetic_territory.empty()) {
    std::string dir = (fs::path(c.work_dir) / "extracts").string();
    auto summary = synthesise(c.synthetic_territory, c.synthetic_households, c.synthetic_seed, *parse_iso_date(c.date), dir);
    if (!summary) return summary.error();
    log << summary->substr(0, summary->find('\n') + 1);
    for (const char* m : {"caf", "cpam", "crous", "universites", "dgfip", "drm"})
      mappings.push_back((fs::path(dir) / (std::string(m) + ".yaml")).string());
  }
  // The extracts that give contact details, in the campaign's order: the
  // first is asked first.
  std::vector<SourceMapping> contacts, nir_extracts;
  for (const auto& m : mappings) {
    auto mapping = load_source_mapping(m);
    if (!mapping) return mapping.error();
    const bool gives_nir = std::any_of(mapping->columns.begin(), mapping->columns.end(),
                                       [](const ColumnMapping& c) { return c.variable == "nir"; });
    const bool main = !mapping->contacts.empty() && contacts.empty();  // it defines the households
    if (gives_nir && !main) nir_extracts.push_back(*mapping);
    if (!mapping->contacts.empty()) contacts.push_back(std::move(*mapping));
  }
  if (contacts.empty()) return Error{ErrorKind::kConfiguration, c.file + ": no extract of the population declares contacts columns (contacts: in its mapping)"};
  IngestOptions options;
  options.territory_dir = territory_dir();
  options.rejects_dir = (fs::path(c.work_dir) / "rejects").string();
  options.review_path = (fs::path(c.work_dir) / "review.csv").string();
  options.build_snapshot = true;
  options.linkage_weights = false;
  // Only what the programs and the targeting read (GDPR art. 5-1-c): the
  // programs' inputs, what says a household already receives a benefit or
  // made its choice with its claim, and each person's place in the
  // household and commune, which letters and transmissions read.
  for (const InputSlot& slot : engine.schema.slots) options.variables_read.insert(slot.name);
  for (const CampaignProgram& p : c.programs) {
    for (const AlreadyReceiving& a : p.already_receiving) options.variables_read.insert(a.variable);
    for (const std::string& v : {p.acceptance.variable, p.acceptance.date, p.family_situation_since})
      if (!v.empty()) options.variables_read.insert(v);
  }
  options.variables_read.insert({"role", "commune"});
  // A program that reads a household's persons together (their count,
  // their resources: the C2S, the RSA, L1113-1's fare) is decided wrong
  // without a member: who an insured covers says who may be missing
  // (insured_dependants.hpp). One that reads each person's own data and the
  // household's (a fare by the quotient familial) is not.
  if (std::any_of(engine.plans.begin(), engine.plans.end(), [](const auto& plan) { return reads_members(*plan); }))
    options.variables_read.insert("insured_nir");
  options.nirs_needed = std::any_of(c.programs.begin(), c.programs.end(),
                                    [](const CampaignProgram& p) { return p.eligible == ActionKind::kGrant; });
  auto decided = store.decided_reviews();
  if (!decided) return decided.error();
  for (const LinkageReview& r : *decided)
    options.reviewed.push_back({r.source_a, r.record_a, r.source_b, r.record_b, r.decision == "same"});
  fs::create_directories(c.work_dir);
  std::ostringstream errors;  // also in ingestion.errors, with their kinds
  Ingestion ingestion = ingest_extracts(mappings, options, log, errors);
  std::erase_if(nir_extracts, [&](const SourceMapping& m) {
    return std::any_of(ingestion.not_read.begin(), ingestion.not_read.end(),
                       [&](const std::string& file) { return fs::path(file) == fs::path(m.mapping_file); });
  });
  if (ingestion.errors.empty() && !ingestion.snapshot)
    return Error{ErrorKind::kInput, "the population's extracts have no row accepted (see " +
                                        options.rejects_dir + ")"};
  if (ingestion.status == 2 || !ingestion.snapshot) {
    std::string why;
    for (const Error& e : ingestion.errors) why += (why.empty() ? "" : "\n") + e.message;
    // Of the first error's kind (an extract malformed, a mapping wrong, a
    // folder that cannot be written), and at its place when it has one.
    Error e = ingestion.errors.front();
    e.message = "the population's extracts could not be read: " + why;
    return e;
  }
  std::vector<LinkageReview> pending;
  for (PairToReview& p : ingestion.review) {
    LinkageReview r;
    r.source_a = std::move(p.source_a);
    r.record_a = std::move(p.record_a);
    r.source_b = std::move(p.source_b);
    r.record_b = std::move(p.record_b);
    r.weight = p.weight;
    r.fields = std::move(p.fields);
    pending.push_back(std::move(r));
  }
  if (auto err = store.replace_pending_reviews(ingestion.sources, pending, run_id, now_ms()); !err.ok()) return err.error();
  // Read again for contact details and identities, an extract gives none
  // from the rows ingestion set aside.
  for (std::vector<SourceMapping>* list : {&contacts, &nir_extracts})
    for (SourceMapping& m : *list)
      if (auto lines = ingestion.lines_set_aside.find(m.mapping_file); lines != ingestion.lines_set_aside.end())
        m.lines_set_aside = lines->second;
  return Population{std::move(*ingestion.snapshot), std::move(contacts), std::move(nir_extracts)};
}

Result<std::unique_ptr<Engine>> campaign_engine(const Campaign& campaign) {
  std::vector<std::string> programs;
  for (const auto& p : campaign.programs) programs.push_back(p.id);
  return load_engine(programs);
}

// Plans the run into the store: evaluation, targeting, decisions and outbox.
Result<void> plan_run(const Campaign& campaign, Store& store, const Operator& by, CampaignOutcome& outcome,
                              std::ostream& progress) {
  auto engine = campaign_engine(campaign);
  if (!engine) return engine.error();
  const auto began = std::chrono::steady_clock::now();
  std::ostringstream log;
  auto population = read_population(campaign, **engine, outcome.run_id, store, log);
  if (!population) return population.error();
  outcome.population_log = log.str();
  outcome.read_seconds = seconds_since(began);
  progress << outcome.population_log << "population read in " << std::fixed;
  progress.precision(1);
  progress << outcome.read_seconds << " s\n" << std::flush;
  const auto read = std::chrono::steady_clock::now();
  std::map<std::string, int64_t> fetched;
  if (campaign.api_particulier) {
    auto filled = fill_from_api_particulier(campaign, **engine, population->snapshot, population->contacts, store,
                                            outcome.run_id, by.actor, progress);
    if (!filled) return filled.error();
    fetched = std::move(*filled);
  }
  auto report =
      plan_campaign(campaign, **engine, population->snapshot, population->contacts, population->nir_extracts, store,
                    outcome.run_id, by.planning);
  if (!report) return report.error();
  for (const std::string& replaced : report->refusals_replaced)
    if (auto err = store.audit(by.actor, "refusals replaced", replaced); !err.ok()) return err;
  report->api_particulier = std::move(fetched);
  if (auto err = store.finish_planning(outcome.run_id, plan_report_json(*report)); !err.ok()) return err;
  int64_t planned = 0, skipped = 0;
  for (const auto& p : report->programs) {
    for (const auto& [what, n] : p.planned) planned += n;
    for (const auto& [why, n] : p.skipped) skipped += n;
  }
  if (auto err = store.audit(by.actor, "campaign planned",
                             outcome.run_id + " (SHA-256 " + campaign.hash + "): " + std::to_string(planned) +
                                 " actions planned, " + std::to_string(skipped) + " skipped"); !err.ok())
    return err;
  outcome.plan = std::move(*report);
  outcome.plan_seconds = seconds_since(read);
  progress << "actions planned in " << outcome.plan_seconds << " s (evaluation, targeting, decisions and outbox stored)\n"
           << std::flush;
  return {};
}

Result<void> deliver_run(const Campaign& campaign, Store& store, const Operator& by, double wait,
                                 CampaignOutcome& outcome) {
  auto d = deliver(by.actor, by.store_url, store, campaign.delivery, outcome.run_id, wait, by.progress);
  if (!d) return d.error();
  outcome.delivery = *d;
  return store.audit_delivery(by.actor, d->deliverer, delivery_audit_text(outcome.run_id, *d));
}

// The run's outbox counted, and the report stored with the run.
Result<void> close_run(Store& store, CampaignOutcome& outcome) {
  auto counts = store.outbox_counts(outcome.run_id);
  if (!counts) return counts.error();
  outcome.outbox = *counts;
  if (!outcome.plan && !outcome.delivery) return {};
  return store.save_report(outcome.run_id, outcome.plan ? plan_report_json(*outcome.plan) : std::string(),
                           delivery_report_json(outcome.outbox, outcome.delivery ? &*outcome.delivery : nullptr));
}

// Retention first: nothing a run reads or writes is older than allowed.
Result<RetentionReport> retention_for(const Campaign& campaign, Store& store, const Operator& by) {
  // Only what the campaign itself wrote there: its working folder may also
  // hold files an operator keeps, the extracts among them.
  const fs::path work = campaign.work_dir;
  std::vector<WorkingFiles> files = {{campaign.delivery.letters_dir, ".pdf"},
                                     {(work / "rejects").string(), ".csv"},
                                     {(work / "services-sociaux").string(), ".csv"},
                                     {(work / "review.csv").string(), ".csv"}};
  for (WorkingFiles& f : transmission_files(campaign.delivery)) files.push_back(std::move(f));
  return apply_retention(store, files, by.actor);
}

// Whether `run_id` is among the runs `runs` names: one run, or an events
// file's monthly runs ("id:%", campaign_run_id).
bool names_run(const std::string& runs, const std::string& run_id) {
  if (!runs.empty() && runs.back() == '%') return run_id.compare(0, runs.size() - 1, runs, 0, runs.size() - 1) == 0;
  return run_id == runs;
}

}  // namespace

Result<void> check_left_to_send(Store& store, const Operator& by, const std::string& file, const std::string& runs,
                                bool past_date) {
  auto all = store.runs();
  if (!all) return all.error();
  const Days now = today();
  for (const auto& r : *all) {
    if (!names_run(runs, r.run_id) || r.planned_at == 0) continue;
    const Days planned = day_in_france(r.planned_at);
    if (planned >= now - kCampaignDaysBeforeToday) continue;
    auto counts = store.outbox_counts(r.run_id);
    if (!counts) return counts.error();
    if (counts->pending + counts->sending + counts->retry == 0) continue;
    if (past_date) {
      if (auto err = store.audit(by.actor, "campaign delivered long after its planning",
                                 r.run_id + ": planned on " + format_iso_date(planned) + ", delivered from " +
                                     format_iso_date(now) + " (--past-date)");
          !err.ok())
        return err;
      continue;
    }
    return Error{ErrorKind::kRefused,
                 file + ": run " + r.run_id + " was planned on " + format_iso_date(planned) + ", more than " +
                     std::to_string(kCampaignDaysBeforeToday) + " days before today (" + format_iso_date(now) +
                     "): what it has left to send would tell what held then; withdraw what was never tried (campaign "
                     "withdraw), or --past-date to send it all the same"};
  }
  return {};
}

std::string delivery_audit_text(const std::string& runs, const DeliveryStats& d) {
  std::string text = runs + ": " + std::to_string(d.delivered) + " delivered, " + std::to_string(d.failed_attempts) +
                     " failed attempts";
  if (d.receipts) text += ", " + std::to_string(d.receipts) + " acknowledgements read";
  if (!d.rejected.empty()) {
    text += ", of which requests rejected by the paying body: ";
    for (size_t k = 0; k < d.rejected.size(); ++k) text += (k ? ", " : "") + d.rejected[k];
  }
  for (const std::string& problem : d.acknowledgement_problems) text += "; acknowledgement not read: " + problem;
  return text;
}

int CampaignOutcome::exit_status() const {
  if (outbox.dead > 0 || outbox.held > 0 || (plan && plan->refusals_for_an_agent > 0) ||
      (delivery && (!delivery->rejected.empty() || !delivery->acknowledgement_problems.empty())))
    return 1;
  if (delivery && outbox.pending + outbox.retry + outbox.sending > 0) return 3;
  return 0;
}

std::string campaign_run_id(const Campaign& campaign) {
  return campaign.programs.empty() ? event_runs(campaign) : campaign.id + ":" + campaign.period;
}

namespace {

// An extract describes the day it was taken: one taken more than a month
// before the campaign's date would tell people, or transmit for them, what
// held then (an RSA stopped since, an address left), under the campaign's
// date. So does a column whose values describe an older period than the
// extract (`refers_to`): a quotient familial of two years before, in this
// month's extract, is not this month's. A period's values are taken while
// they may be the latest (DescribedPeriod), and a month more (the last
// one's extract): May's quotient until the end of July, 2024's incomes
// until the end of January 2027.
Result<void> check_extract_ages(const Campaign& campaign, Store& store, const Operator& by, const std::string& run_id,
                                bool past_date) {
  const Days day = *parse_iso_date(campaign.date);
  std::vector<std::string> old;
  for (const std::string& file : campaign.mappings) {
    auto mapping = load_source_mapping(file);
    if (!mapping) return mapping.error();
    const Days taken = *parse_iso_date(mapping->extracted_on);  // checked when the mapping was read
    if (taken < day - kExtractDaysBeforeCampaign)
      old.push_back(file + ": its extract was taken on " + mapping->extracted_on + " (extracted_on), more than " +
                    std::to_string(kExtractDaysBeforeCampaign) + " days before the campaign's date " + campaign.date);
    for (const ColumnMapping& mapped : mapping->columns) {
      if (mapped.refers_to.empty()) continue;
      const std::string& column = mapped.column;
      const DescribedPeriod period = *described_period(mapped.refers_to);  // checked when the mapping was read
      if (period.first > day)
        return Error{ErrorKind::kRefused, file + ": column " + column + " (" + mapped.variable + ") describes " +
                                              mapped.refers_to + " (refers_to), after the campaign's date " +
                                              campaign.date + ": no campaign tells what has not happened yet"};
      if (period.latest_until < day - kExtractDaysBeforeCampaign)
        old.push_back(file + ": column " + column + " (" + mapped.variable + ") describes " + mapped.refers_to +
                      " (refers_to), a period whose values are no longer the latest on the campaign's date " +
                      campaign.date);
    }
  }
  if (!old.empty() && !past_date) {
    std::string all;
    for (const std::string& what : old) all += "\n  " + what;
    return Error{ErrorKind::kRefused, campaign.file + ": extracts too old for its date, their data may no longer hold "
                                                      "(an RSA stopped since, an address left); newer extracts, or "
                                                      "--past-date to act on them all the same:" + all};
  }
  for (const std::string& what : old)
    if (auto err = store.audit(by.actor, "campaign on an old extract", run_id + ": " + what + " (--past-date)"); !err.ok())
      return err;
  return {};
}

// A new run is planned within the campaign's days (acting_day.hpp), from
// extracts of the month before, and so is one whose planning did not finish
// (it is planned again from its extracts). A synthetic population is a
// rehearsal, its extracts written as of the campaign's date: its campaign
// is planned on any day.
Result<void> check_planning_day(const Campaign& campaign, Store& store, const Operator& by, const std::string& run_id,
                                bool past_date) {
  if (!campaign.synthetic_territory.empty()) return {};
  auto runs = store.runs();
  if (!runs) return runs.error();
  for (const auto& r : *runs)
    if (r.run_id == run_id && r.planned_at != 0) return {};  // planned: what is left to send is checked
  const Days now = today();
  const Days day = *parse_iso_date(campaign.date);  // checked when the file was read
  std::string refusal = acting_day_refusal(day, now, kCampaignDaysBeforeToday, past_date, "the campaign's date");
  if (!refusal.empty()) return Error{ErrorKind::kRefused, campaign.file + ": " + refusal};
  if (day < now - kCampaignDaysBeforeToday)
    if (auto err = store.audit(by.actor, "campaign dated in the past",
                               run_id + ": dated " + campaign.date + ", planned on " + format_iso_date(now) +
                                   " (--past-date)");
        !err.ok())
      return err;
  return check_extract_ages(campaign, store, by, run_id, past_date);
}

}  // namespace

Result<CampaignOutcome> run_campaign(const Campaign& campaign, Store& store, const Operator& by, bool plan_only,
                                     bool past_date, double wait_seconds, std::ostream& progress) {
  if (campaign.programs.empty())
    return Error{ErrorKind::kConfiguration, campaign.file + " has no population and programs: its events are read by proactif event"};
  // What the programs themselves refuse (a grant the law gives no route
  // for) is refused before the run is registered: the corrected file may
  // then run under the same id and period.
  {
    auto engine = campaign_engine(campaign);
    if (!engine) return engine.error();
    if (auto err = check_grants(campaign.file, campaign.programs, **engine); !err.ok()) return err.error();
  }
  CampaignOutcome outcome;
  outcome.run_id = campaign_run_id(campaign);
  if (auto err = check_planning_day(campaign, store, by, outcome.run_id, past_date); !err.ok()) return err.error();
  auto retention = retention_for(campaign, store, by);
  if (!retention) return retention.error();
  outcome.retention = *retention;
  progress << retention_text(outcome.retention);
  auto planned = store.start_run({outcome.run_id, campaign.id, campaign.period, campaign.date, campaign.hash, campaign.sender});
  if (!planned) return planned.error();
  outcome.resumed = *planned;
  if (outcome.resumed) progress << "campaign " << outcome.run_id << " is already planned; delivering what is left\n";
  else if (auto err = plan_run(campaign, store, by, outcome, progress); !err.ok()) return err.error();
  if (!plan_only) {
    if (auto err = check_left_to_send(store, by, campaign.file, outcome.run_id, past_date); !err.ok()) return err.error();
    if (auto err = deliver_run(campaign, store, by, wait_seconds, outcome); !err.ok()) {
      Error e = err.error();
      e.message += "\nthe run is planned, its summary stored: `proactif campaign report " + campaign.file +
                   "` shows it, `proactif campaign deliver " + campaign.file + "` sends what it planned";
      return e;
    }
  }
  if (auto err = close_run(store, outcome); !err.ok()) return err.error();
  return outcome;
}

Result<CampaignOutcome> deliver_campaign(const Campaign& campaign, Store& store, const Operator& by, bool past_date,
                                         double wait_seconds) {
  CampaignOutcome outcome;
  outcome.run_id = campaign_run_id(campaign);
  if (auto err = check_left_to_send(store, by, campaign.file, outcome.run_id, past_date); !err.ok()) return err.error();
  auto retention = retention_for(campaign, store, by);
  if (!retention) return retention.error();
  outcome.retention = *retention;
  if (auto err = deliver_run(campaign, store, by, wait_seconds, outcome); !err.ok()) return err.error();
  if (auto err = close_run(store, outcome); !err.ok()) return err.error();
  return outcome;
}

Result<Store::RequeuedDead> requeue_campaign(const Campaign& campaign, Store& store, const Operator& by) {
  const std::string run_id = campaign_run_id(campaign);
  auto n = store.requeue_dead(run_id, now_ms());
  if (!n) return n.error();
  if (auto err = store.audit(by.actor, "dead letters requeued",
                             run_id + ": " + std::to_string(n->requeued) + "; requests not sent, another having gone: " +
                                 std::to_string(n->superseded) + ", objected to: " + std::to_string(n->objected) +
                                 "; left dead, another waiting: " + std::to_string(n->left_dead) +
                                 "; notices not sent, told since: " + std::to_string(n->notices_told_since));
      !err.ok())
    return err.error();
  return *n;
}

Result<Store::Requeued> requeue_campaign_by_letter(const Campaign& campaign, Store& store, const Operator& by) {
  const std::string run_id = campaign_run_id(campaign);
  if (std::find(campaign.channels.begin(), campaign.channels.end(), "letter") == campaign.channels.end())
    return Error{ErrorKind::kConfiguration, campaign.file + ": channel letter is not among the campaign's channels: "
                                                            "nothing can go by letter"};
  return store.requeue_dead_by_letter(run_id, now_ms(), by.actor, letter_recipient);
}

Result<Store::Withdrawn> withdraw_campaign(const Campaign& campaign, Store& store, const Operator& by) {
  if (campaign.programs.empty())
    return Error{ErrorKind::kConfiguration, campaign.file + " has no population and programs: an event's actions are "
                                                            "withdrawn by an objection, not by their rules file"};
  const std::string run_id = campaign_run_id(campaign);
  auto w = store.withdraw_unsent(run_id, by.actor);
  if (!w) return w.error();
  // The lists for the social services of a plan given up are not to be used.
  if (w->run_removed) {
    std::error_code ec;
    fs::remove_all(social_services_folder(campaign, run_id), ec);
  }
  return *w;
}

Result<int64_t> settle_campaign(const Campaign& campaign, Store& store, const Operator& by, bool arrived,
                                const std::vector<std::string>& codes) {
  const std::string run_id = campaign_run_id(campaign);
  auto n = store.settle_held(run_id, arrived, now_ms(), codes);
  if (!n) return n.error();
  std::string which;
  for (const auto& code : codes) which += (which.empty() ? " (" : ", ") + code;
  if (!which.empty()) which += ")";
  if (auto err = store.audit(by.actor, "held sends settled",
                             run_id + ": " + std::to_string(*n) + (arrived ? " arrived" : " send-again") + which); !err.ok())
    return err.error();
  return *n;
}

Result<std::vector<Store::HeldSend>> held_sends_of_campaign(const Campaign& campaign, Store& store) {
  return store.held_sends(campaign_run_id(campaign));
}

Result<TruthOutcome> campaign_against_truth(Campaign campaign, size_t households, std::ostream& progress) {
  if (campaign.synthetic_territory.empty())
    return Error{ErrorKind::kConfiguration, campaign.file + ": the ground truth is known for a synthetic population only"};
  if (households) campaign.synthetic_households = households;
  // A run of its own: the lists for the social services it writes go to a
  // folder of their own, not over the real run's (planned on a store where
  // persons objected since, this one's would list them again).
  campaign.id += "-verite";
  auto engine = campaign_engine(campaign);
  if (!engine) return engine.error();
  fs::create_directories(campaign.work_dir);
  const std::string db = (fs::path(campaign.work_dir) / "truth.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  const Operator by{"ground truth check", "sqlite:" + db, {}, {}};
  auto store = Store::open(by.store_url);
  if (!store) return store.error();
  TruthOutcome outcome;
  outcome.campaign.run_id = campaign_run_id(campaign);
  auto started = (*store)->start_run(
      {outcome.campaign.run_id, campaign.id, campaign.period, campaign.date, campaign.hash, campaign.sender});
  if (!started) return started.error();
  if (auto err = plan_run(campaign, **store, by, outcome.campaign, progress); !err.ok()) return err.error();
  if (auto err = close_run(**store, outcome.campaign); !err.ok()) return err.error();
  outcome.truth_dir = (fs::path(campaign.work_dir) / "extracts").string();
  auto truth = check_against_truth(campaign, **engine, **store, outcome.campaign.run_id, outcome.truth_dir);
  if (!truth) return truth.error();
  outcome.truth = std::move(*truth);
  return outcome;
}

}  // namespace proactif
