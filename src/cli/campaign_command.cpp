// proactif campaign run|deliver|report CAMPAIGN.yaml: plans a campaign's
// actions (population read, programs evaluated, targets chosen, decisions and
// actions stored together), delivers them, and prints and stores the summary.
// Running it again resumes: planning adds nothing already stored, delivery
// takes up what was pending or interrupted.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "actions/delivery.hpp"
#include "campaign/events.hpp"
#include "campaign/ground_truth.hpp"
#include "campaign/planner.hpp"
#include "cli/campaign_report.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "population/ingestion.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

constexpr const char* kUsage =
    "usage: proactif campaign run CAMPAIGN.yaml [--store URL] [--plan-only] [--wait SECONDS]\n"
    "       proactif campaign deliver CAMPAIGN.yaml [--store URL] [--wait SECONDS]\n"
    "       proactif campaign report CAMPAIGN.yaml [--store URL]\n"
    "       proactif campaign requeue CAMPAIGN.yaml [--store URL]   (dead letters back in the queue)\n"
    "       proactif campaign settle CAMPAIGN.yaml (--arrived | --send-again) [--store URL]\n"
    "         (emails and SMS sent with no answer, held: the operator says they arrived, or sends them again)\n"
    "       proactif campaign truth CAMPAIGN.yaml [--households N]  (plan a synthetic population's campaign,\n"
    "         nothing delivered, and compare each action with the ground truth; store: WORK_DIR/truth.db)\n"
    "  URL: sqlite:FILE (default sqlite:proactif.db, or $PROACTIF_STORE) or postgresql://...\n";

// The population of the campaign: its extracts (written first when synthetic), read and linked.
Result<std::pair<Snapshot, std::vector<SourceMapping>>> read_population(const Campaign& c) {
  std::vector<std::string> mappings = c.mappings;
  if (!c.synthetic_territory.empty()) {
    std::string dir = (fs::path(c.work_dir) / "extracts").string();
    auto summary = synthesise(c.synthetic_territory, c.synthetic_households, c.synthetic_seed, *parse_iso_date(c.date), dir);
    if (!summary) return summary.error();
    std::cout << summary->substr(0, summary->find('\n') + 1);
    for (const char* m : {"caf", "cpam", "crous", "universites", "dgfip", "drm"})
      mappings.push_back((fs::path(dir) / (std::string(m) + ".yaml")).string());
  }
  // The extracts that give contact details, in the campaign's order: the
  // first is asked first.
  std::vector<SourceMapping> contacts;
  for (const auto& m : mappings) {
    auto mapping = load_source_mapping(m);
    if (!mapping) return mapping.error();
    if (!mapping->contacts.empty()) contacts.push_back(std::move(*mapping));
  }
  if (contacts.empty()) return Error{c.file + ": no extract of the population declares contacts columns (contacts: in its mapping)"};
  IngestOptions options;
  options.territory_dir = territory_dir();
  options.rejects_dir = (fs::path(c.work_dir) / "rejects").string();
  options.review_path = (fs::path(c.work_dir) / "review.csv").string();
  options.build_snapshot = true;
  fs::create_directories(c.work_dir);
  std::ostringstream log;
  Ingestion ingestion = ingest_extracts(mappings, options, log, std::cerr);
  if (ingestion.status == 2 || !ingestion.snapshot) return Error{"the population's extracts could not be read"};
  // The counts of each extract and of the linkage, without the weights table.
  std::string text = log.str();
  std::cout << text.substr(0, text.find("  weights"));
  return std::make_pair(std::move(*ingestion.snapshot), std::move(contacts));
}

// Plans the campaign of a synthetic population into a store of its own,
// delivers nothing, and compares each planned action with the ground truth.
int truth_command(Campaign campaign, size_t households) {
  if (campaign.synthetic_territory.empty()) {
    std::cerr << "proactif: " << campaign.file << ": the ground truth is known for a synthetic population only\n";
    return 2;
  }
  if (households) campaign.synthetic_households = households;
  std::vector<std::string> programs;
  for (const auto& p : campaign.programs) programs.push_back(p.id);
  auto engine = load_engine(programs);
  if (!engine) {
    std::cerr << "proactif: " << engine.error().message << "\n";
    return 2;
  }
  fs::create_directories(campaign.work_dir);
  const std::string db = (fs::path(campaign.work_dir) / "truth.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  auto store = Store::open("sqlite:" + db);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto population = read_population(campaign);
  if (!population) {
    std::cerr << "proactif: " << population.error().message << "\n";
    return 2;
  }
  const std::string run_id = campaign.id + ":" + campaign.period;
  auto started = (*store)->start_run({run_id, campaign.id, campaign.period, campaign.date, campaign.hash, campaign.sender});
  auto report = started ? plan_campaign(campaign, **engine, population->first, population->second, **store, run_id)
                        : Result<PlanReport>(started.error());
  if (!report) {
    std::cerr << "proactif: " << report.error().message << "\n";
    return 2;
  }
  auto counts = (*store)->outbox_counts(run_id);
  if (!counts) {
    std::cerr << "proactif: " << counts.error().message << "\n";
    return 2;
  }
  print_report(&*report, *counts, nullptr);
  const std::string truth_dir = (fs::path(campaign.work_dir) / "extracts").string();
  auto truth = check_against_truth(campaign, **engine, **store, run_id, truth_dir);
  if (!truth) {
    std::cerr << "proactif: " << truth.error().message << "\n";
    return 2;
  }
  return print_truth_report(*truth, truth_dir) ? 0 : 1;
}

}  // namespace

int campaign_command(const Args& args) {
  if (args.size() < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string& verb = args[0];
  std::string store_url = default_store_url();
  bool plan_only = false;
  double wait = 120;
  size_t households = 0;
  std::string settle;  // "arrived" or "send-again"
  for (size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--store" && i + 1 < args.size()) store_url = args[++i];
    else if (args[i] == "--plan-only") plan_only = true;
    else if ((args[i] == "--arrived" || args[i] == "--send-again") && verb == "settle") settle = args[i].substr(2);
    else if (args[i] == "--households" && i + 1 < args.size() && verb == "truth" &&
             number_argument(args[i + 1], 1, kMaxSyntheticHouseholds))
      households = static_cast<size_t>(*number_argument(args[++i], 1, kMaxSyntheticHouseholds));
    else if (args[i] == "--wait" && i + 1 < args.size() && number_argument(args[i + 1], 0, 86400))
      wait = *number_argument(args[++i], 0, 86400);
    else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if ((verb != "run" && verb != "deliver" && verb != "report" && verb != "requeue" && verb != "truth" &&
       verb != "settle") ||
      (verb == "settle") != !settle.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  auto campaign = load_campaign(args[1]);
  if (!campaign) {
    std::cerr << "proactif: " << campaign.error().message << "\n";
    return 2;
  }
  if (verb == "truth") return truth_command(*campaign, households);
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  if (verb == "run" || verb == "deliver") {
    if (auto err = purge_store(**store, std::cout)) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
    const fs::path work = campaign->work_dir;
    purge_old_files({{campaign->delivery.letters_dir, ".pdf"},
                     {(work / "services-sociaux").string(), ".csv"},
                     {(work / "rejects").string(), ".csv"}},
                    std::cout);
  }
  // A file of event rules has no period: its runs are one per month.
  std::string run_id = campaign->programs.empty() ? event_runs(*campaign) : campaign->id + ":" + campaign->period;
  if (verb == "requeue") {
    auto n = (*store)->requeue_dead(run_id, now_ms());
    if (!n) {
      std::cerr << "proactif: " << n.error().message << "\n";
      return 2;
    }
    std::cout << *n << " dead letters back in the queue; deliver them with proactif campaign deliver\n";
    if (auto err = (*store)->audit(audit_actor(), "dead letters requeued", run_id + ": " + std::to_string(*n))) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
    return 0;
  }
  if (verb == "settle") {
    auto n = (*store)->settle_held(run_id, settle == "arrived", now_ms());
    if (!n) {
      std::cerr << "proactif: " << n.error().message << "\n";
      return 2;
    }
    std::cout << *n << (settle == "arrived" ? " held sends recorded as arrived\n"
                                             : " held sends back in the queue; deliver them with proactif campaign "
                                               "deliver (a person may get two copies)\n");
    if (auto err = (*store)->audit(audit_actor(), "held sends settled", run_id + ": " + std::to_string(*n) + " " + settle)) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
    return 0;
  }
  std::optional<PlanReport> plan;
  if (verb == "run" && campaign->programs.empty()) {
    std::cerr << "proactif: " << campaign->file << " has no population and programs: its events are read by proactif event\n";
    return 2;
  }
  if (verb == "run") {
    auto planned = (*store)->start_run({run_id, campaign->id, campaign->period, campaign->date, campaign->hash, campaign->sender});
    if (!planned) {
      std::cerr << "proactif: " << planned.error().message << "\n";
      return 2;
    }
    if (*planned) {
      std::cout << "campaign " << run_id << " is already planned; delivering what is left\n";
    } else {
      std::vector<std::string> programs;
      for (const auto& p : campaign->programs) programs.push_back(p.id);
      auto engine = load_engine(programs);
      if (!engine) {
        std::cerr << "proactif: " << engine.error().message << "\n";
        return 2;
      }
      auto began = std::chrono::steady_clock::now();
      auto population = read_population(*campaign);
      if (!population) {
        std::cerr << "proactif: " << population.error().message << "\n";
        return 2;
      }
      auto read = std::chrono::steady_clock::now();
      std::printf("population read in %.1f s\n", std::chrono::duration<double>(read - began).count());
      std::fflush(stdout);
      auto report = plan_campaign(*campaign, **engine, population->first, population->second, **store, run_id);
      if (!report) {
        std::cerr << "proactif: " << report.error().message << "\n";
        return 2;
      }
      if (auto err = (*store)->finish_planning(run_id)) {
        std::cerr << "proactif: " << err->message << "\n";
        return 2;
      }
      int64_t planned = 0, skipped = 0;
      for (const auto& p : report->programs) {
        for (const auto& [what, n] : p.planned) planned += n;
        for (const auto& [why, n] : p.skipped) skipped += n;
      }
      if (auto err = (*store)->audit(audit_actor(), "campaign planned",
                                     run_id + " (SHA-256 " + campaign->hash + "): " + std::to_string(planned) +
                                         " actions planned, " + std::to_string(skipped) + " skipped")) {
        std::cerr << "proactif: " << err->message << "\n";
        return 2;
      }
      plan = std::move(*report);
      std::printf("actions planned in %.1f s (evaluation, targeting, decisions and outbox stored)\n",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - read).count());
      std::fflush(stdout);
    }
  }
  std::optional<DeliveryStats> delivery;
  if ((verb == "run" && !plan_only) || verb == "deliver") {
    auto d = deliver(store_url, **store, campaign->delivery, run_id, wait);
    if (!d) {
      std::cerr << "proactif: " << d.error().message << "\n";
      return 2;
    }
    delivery = *d;
    if (auto err = (*store)->audit(audit_actor(), "actions delivered",
                                   run_id + ": " + std::to_string(d->delivered) + " delivered, " +
                                       std::to_string(d->failed_attempts) + " failed attempts")) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
  }
  auto counts = (*store)->outbox_counts(run_id);
  if (!counts) {
    std::cerr << "proactif: " << counts.error().message << "\n";
    return 2;
  }
  print_report(plan ? &*plan : nullptr, *counts, delivery ? &*delivery : nullptr);
  if (plan || delivery) {
    if (auto err = (*store)->save_report(run_id, report_json(plan ? &*plan : nullptr, *counts, delivery ? &*delivery : nullptr))) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
  }
  // 1: dead letters, or sends held for the operator (an agent must act);
  // 3: delivery ran and actions are still queued (a channel down, retries
  // not yet due): run deliver again later. 0: nothing left to do.
  if (counts->dead > 0 || counts->held > 0) return 1;
  if (delivery && counts->pending + counts->retry + counts->sending > 0) return 3;
  return 0;
}

}  // namespace proactif
