// The command line, parsed by CLI11 in this one file: every command's
// options, checks and help; the commands themselves only run. -h/--help on
// any command prints its help to standard output and exits 0 without doing
// anything else; a usage error exits 2 with its reason on standard error.
#include "cli/command_line.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/date.hpp"
#include "core/version.hpp"

namespace proactif {

namespace {

constexpr int kUsageError = 2;

// A date option (YYYY-MM-DD) checked as it is parsed.
const CLI::Validator kIsoDate(
    [](const std::string& text) {
      return parse_iso_date(text) ? std::string() : "'" + text + "' is not a date YYYY-MM-DD";
    },
    "YYYY-MM-DD", "date");

// A text kept for the audit trail or with a person's record, which blanks
// would leave saying nothing (why their data were fetched, how an objection
// came).
const CLI::Validator kSaysSomething(
    [](const std::string& text) {
      // A letter or a digit (Latin letters with accents are U+00C0 to U+024F,
      // whose UTF-8 begins with 0xC3 to 0xC9): spaces of any kind, or
      // punctuation, say nothing.
      return std::none_of(text.begin(), text.end(),
                          [](unsigned char c) { return std::isalnum(c) || (c >= 0xc3 && c <= 0xc9); })
                 ? "it says nothing"
                 : std::string();
    },
    "TEXT", "not blank");

void add_store_option(CLI::App* command, std::string& url) {
  url = default_store_url();
  command->add_option("--store", url, "sqlite:FILE or postgresql://... (default: $PROACTIF_STORE, else sqlite:proactif.db)")
      ->option_text("URL");
}

void add_stream_options(CLI::App* command, StreamArguments& a, std::optional<std::string>& date) {
  command->add_option("--program", a.programs, "a program id (c2s, rsa, ...) or program file; repeatable")
      ->required()
      ->option_text("ID|FILE");
  auto* situations = command->add_option("--situations", a.situations, "situations, one JSON object per line (- for standard input)")
                         ->option_text("FILE");
  auto* population = command->add_option("--population", a.population, "a population snapshot (proactif ingest --snapshot)")
                         ->option_text("SNAPSHOT");
  situations->excludes(population);
  command->add_option("--date", date, "evaluate at this date instead of each situation's own")->check(kIsoDate);
  command->add_option("--threads", a.options.threads, "threads (default: all cores)")->check(CLI::Range(0u, 1024u));
}

// Both or neither of a pair of sources given is a usage error, said plainly.
void require_one_source(const StreamArguments& a) {
  if (a.situations.empty() == a.population.empty())
    throw CLI::ValidationError("--situations or --population", "give one of them");
}

struct Parsed {
  StreamArguments evaluate, explain;
  std::optional<std::string> evaluate_date, explain_date;
  std::vector<std::string> tests, checks;
  IngestArguments ingest;
  SynthArguments synth;
  std::string synth_date = "2025-06-15";
  CampaignArguments campaign;
  EventArguments event;
  std::string code, verify_store, purge_store;
  DecisionArguments decision;
  AuditArguments audit;
  std::optional<std::string> audit_since;
  ObjectArguments object;
  ServeOptions serve;
  AgentArguments agent;
  ProofsArguments proofs;
  CatalogueArguments catalogue;
  DecideArguments decide;
};

void add_campaign_verb(CLI::App* campaign, const std::string& verb, const std::string& description, Parsed& p) {
  auto* command = campaign->add_subcommand(verb, description);
  command->add_option("campaign", p.campaign.file, "the campaign file (YAML)")->required()->option_text("CAMPAIGN.yaml");
  if (verb != "truth") add_store_option(command, p.campaign.store_url);
  if (verb == "run") command->add_flag("--plan-only", p.campaign.plan_only, "plan and store the actions, deliver nothing");
  if (verb == "run" || verb == "deliver")
    command->add_flag("--past-date", p.campaign.past_date,
                      "over extracts, plan a campaign dated more than 31 days before today (a rehearsal on past extracts, "
                      "or rights decided as of that day), or over an extract taken more than 31 days before its date, "
                      "or deliver a run planned more than 31 days ago (each recorded in the audit trail)");
  if (verb == "run" || verb == "deliver")
    command->add_option("--wait", p.campaign.wait, "seconds to wait with nothing due, counted since the last send that went through (default 120)")
        ->check(CLI::Range(0.0, 86400.0));
  if (verb == "report") command->add_flag("--json", p.campaign.json, "the stored report, as JSON");
  if (verb == "requeue")
    command->add_flag("--by-letter", p.campaign.by_letter,
                      "the dead emails and SMS (refused for good, as a mailbox that does not exist, or failing past "
                      "the retry period): by letter, where the extracts gave a postal address");
  if (verb == "truth")
    command->add_option("--households", p.campaign.households, "another population size than the file's")
        ->check(CLI::Range(1.0, kMaxSyntheticHouseholds));
  if (verb == "settle") {
    auto* arrived = command->add_flag("--arrived", p.campaign.arrived, "the operator says they arrived");
    auto* again = command->add_flag("--send-again")->description("send them again (a person may get two copies)");
    auto* list = command->add_flag("--list", p.campaign.list, "list the held sends: code, channel, when, why");
    command->add_option("--code", p.campaign.codes, "settle only this message (its verification code); repeatable");
    auto* codes = command->get_option("--code");
    arrived->excludes(again);
    list->excludes(arrived)->excludes(again)->excludes(codes);
    command->callback([arrived, again, list] {
      if (arrived->count() + again->count() + list->count() == 0)
        throw CLI::ValidationError("settle", "say --arrived or --send-again (or --list)");
    });
  }
}

void add_commands(CLI::App& app, Parsed& p) {
  auto* evaluate = app.add_subcommand("evaluate", "evaluate programs over situations (JSONL in, decisions JSONL out)");
  add_stream_options(evaluate, p.evaluate, p.evaluate_date);
  evaluate->add_flag("--explain", p.evaluate.options.explain, "trace each decision (slower)");
  evaluate->callback([&p] { require_one_source(p.evaluate); });

  auto* explain = app.add_subcommand("explain", "explain each decision in French (CRPA R311-3-1-2)");
  add_stream_options(explain, p.explain, p.explain_date);
  explain->add_option("--situation", p.explain.only, "only this situation; repeatable")->option_text("ID");
  explain->add_flag("--for-person", p.explain.for_person,
                    "the text the person concerned reads, in plain French (default: the agent's and auditor's)");
  explain->callback([&p] { require_one_source(p.explain); });

  app.add_subcommand("test", "run the programs' test cases (programs/<id>/tests.yaml)")
      ->add_option("folders", p.tests, "a programs folder or one program's folder")
      ->required()
      ->option_text("FOLDER...");
  app.add_subcommand("check", "load and check program files")
      ->add_option("programs", p.checks, "program ids or files")
      ->required()
      ->option_text("PROGRAM...");

  auto* ingest = app.add_subcommand("ingest", "read administrations' extracts through their mappings, set bad rows aside");
  ingest->add_option("mappings", p.ingest.mappings, "the extracts' mapping files")->required()->option_text("MAPPING.yaml...");
  ingest->add_option("--snapshot", p.ingest.snapshot_path, "write the linked population's snapshot here")->option_text("FILE");
  ingest->add_option("--rejects-dir", p.ingest.options.rejects_dir,
                     "folder of the rejected rows, one file per extract (default: the store's working folder)")
      ->option_text("DIR");
  ingest->add_option("--review", p.ingest.options.review_path,
                     "the pairs of records whose link is under review (default: in the store's working folder)")
      ->option_text("FILE");
  ingest->add_option("--dump", p.ingest.options.dump, "accepted rows as canonical JSON lines")->option_text("FILE");
  ingest->add_option("--truth", p.ingest.options.truth_path, "a synthetic population's truth: print the linkage quality")
      ->option_text("truth_records.csv");

  auto* synth = app.add_subcommand("synth", "write a synthetic population's extracts for a real territory");
  synth->add_option("--territory", p.synth.territory, "a département code (38, 2A) or an EPCI SIREN")->required();
  synth->add_option("--households", p.synth.households, "how many households")
      ->required()
      ->check(CLI::Range(1.0, kMaxSyntheticHouseholds));
  synth->add_option("--seed", p.synth.seed, "random seed (default 1)")->check(CLI::Range(0.0, 9e15));
  synth->add_option("--out", p.synth.out, "folder written")->required()->option_text("DIR");
  synth->add_option("--date", p.synth_date, "the population's date (default 2025-06-15)")->check(kIsoDate);

  auto* campaign = app.add_subcommand("campaign", "run a campaign: evaluate, target, store decisions and actions, deliver, report");
  campaign->require_subcommand(1);
  add_campaign_verb(campaign, "run", "plan the campaign's actions, then deliver them; run again to resume", p);
  add_campaign_verb(campaign, "deliver", "deliver what is pending or due for retry", p);
  add_campaign_verb(campaign, "report", "print the campaign's stored report and its outbox's state", p);
  add_campaign_verb(campaign, "requeue", "put dead letters back in the queue", p);
  add_campaign_verb(campaign, "settle", "emails and SMS sent with no answer, held: record them as arrived or send them again", p);
  add_campaign_verb(campaign, "withdraw",
                    "withdraw what the run planned and never sent (a plan given up), so that its subjects may be acted "
                    "on again",
                    p);
  add_campaign_verb(campaign, "truth",
                    "plan a synthetic population's campaign in WORK_DIR/truth.db, deliver nothing, and compare each "
                    "action with the ground truth",
                    p);

  auto* event = app.add_subcommand("event", "act on facts (RSA granted): evaluate the household again, notify or transmit a grant");
  event->add_option("events", p.event.path, "events, one JSON object per line (- for standard input)")->required()->option_text("FILE|-");
  event->add_option("--rules", p.event.rules_file, "the file of event rules (events:)")->required()->option_text("RULES.yaml");
  add_store_option(event, p.event.store_url);
  event->add_flag("--plan-only", p.event.plan_only, "plan and store the actions, deliver nothing");
  event->add_flag("--past-date", p.event.past_date,
                  "act on events dated more than 62 days before today (a replay); recorded in the audit trail");
  event->add_option("--wait", p.event.wait, "seconds to wait with nothing due, counted since the last send that went through (default 120)")->check(CLI::Range(0.0, 86400.0));

  auto* verify = app.add_subcommand("verify", "say whether a message's verification code is authentic");
  verify->add_option("code", p.code, "the code printed on the message")->required()->option_text("CODE");
  add_store_option(verify, p.verify_store);

  auto* decision = app.add_subcommand("decision", "show what the store keeps about a household, each decision explained as when it was taken");
  decision->add_option("subject", p.decision.subject, "a household (CAF:A00000004), one of its persons, or a message's code (its household, for the right it told of)")->required()->option_text("SUBJECT");
  decision->add_option("--program", p.decision.program, "this program's decisions only")->option_text("ID");
  decision->add_flag("--for-person", p.decision.for_person,
                     "the explanation the person reads, in plain French, addressed to SUBJECT (to the allocataire for a household)");
  decision->add_flag("--json", p.decision.json, "the stored decisions and explanations, as JSON lines");
  add_store_option(decision, p.decision.store_url);

  auto* audit = app.add_subcommand("audit", "the store's audit trail: who did what, when");
  audit->add_option("--since", p.audit_since, "entries from this day on")->check(kIsoDate);
  audit->add_flag("--json", p.audit.json, "one JSON object per entry");
  add_store_option(audit, p.audit.store_url);

  auto* purge = app.add_subcommand("purge", "apply the retention policy to the store (also done by every campaign and event)");
  add_store_option(purge, p.purge_store);

  auto* object = app.add_subcommand("object", "record a person's objection; their data for the program is deleted");
  auto* code = object->add_option("--code", p.object.code, "the code of a message the person received")->option_text("CODE");
  auto* subject = object->add_option("--subject", p.object.subject, "the household (allocataire) or person identifier")->option_text("ID");
  auto* program = object->add_option("--program", p.object.program, "the program objected to")->option_text("ID");
  object->add_flag("--all", p.object.all, "to every program");
  object->add_flag("--not-yet-known", p.object.not_yet_known,
                   "record it for a --subject no stored record names yet, exactly as given (SOURCE:ID, as the campaigns name "
                   "households and persons)");
  object->add_option("--origin", p.object.origin, "how the objection came (\"courrier du 2025-07-01\", \"appel au 3230\"), kept with it")
      ->required()
      ->option_text("TEXT")->check(kSaysSomething);
  add_store_option(object, p.object.store_url);
  code->excludes(subject)->excludes(program);
  object->callback([&p, subject] {
    if (p.object.code.empty() && (subject->count() == 0 || (p.object.program.empty() && !p.object.all)))
      throw CLI::ValidationError("object", "give --code CODE, or --subject ID with --program ID or --all");
    if (!p.object.program.empty() && p.object.all) throw CLI::ValidationError("object", "--program and --all together");
  });

  auto* agent = app.add_subcommand("agent", "manage the accounts of the service's agent pages");
  agent->require_subcommand(1);
  auto* add = agent->add_subcommand("add", "create an account; its password is read from standard input");
  add->add_option("login", p.agent.login, "the agent's login")->required()->option_text("LOGIN")
      ->check(CLI::Validator([](std::string& s) { return s.size() >= 2 && s.size() <= 64 && s.find_first_of(" \t\n") == std::string::npos
                                                           ? std::string() : std::string("2 to 64 characters, no space"); },
                             "LOGIN", "login"));
  add->add_option("--role", p.agent.role, "admin (everything), agent (their programs), auditor (reads everything, changes nothing)")
      ->required()
      ->check(CLI::IsMember({"admin", "agent", "auditor"}));
  add->add_option("--organisation", p.agent.organisation, "the agent's organisation (CAF de l'Isère)")->required()->option_text("TEXT");
  add->add_option("--program", p.agent.programs, "a program the agent works on, repeatable; '*' for all")->option_text("ID");
  add_store_option(add, p.agent.store_url);
  auto* token = agent->add_subcommand("token", "make an API token for a tool acting as this agent; printed once");
  token->add_option("login", p.agent.login, "the agent's login")->required()->option_text("LOGIN");
  token->add_option("--label", p.agent.label, "what the token is for (\"tableau de bord du département\")")
      ->required()
      ->option_text("TEXT");
  token->add_option("--days", p.agent.days, "days it is valid (default 90)")->check(CLI::Range(1, 366));
  add_store_option(token, p.agent.store_url);
  auto* list = agent->add_subcommand("list", "the accounts, with their role, programs, open sessions and API tokens");
  add_store_option(list, p.agent.store_url);
  auto* password = agent->add_subcommand("password", "give an account a new password, read from standard input; its sessions end");
  password->add_option("login", p.agent.login, "the agent's login")->required()->option_text("LOGIN");
  add_store_option(password, p.agent.store_url);
  auto* revoke = agent->add_subcommand("revoke", "revoke an account's API tokens: all, or those with a label");
  revoke->add_option("login", p.agent.login, "the agent's login")->required()->option_text("LOGIN");
  revoke->add_option("--label", p.agent.label, "only the tokens made with this label")->option_text("TEXT");
  add_store_option(revoke, p.agent.store_url);
  auto* remove = agent->add_subcommand("remove", "remove an account; its sessions and API tokens end with it");
  remove->add_option("login", p.agent.login, "the agent's login")->required()->option_text("LOGIN");
  add_store_option(remove, p.agent.store_url);

  auto* proofs = app.add_subcommand("proofs", "fetch data about one person from API Particulier (quotient familial, RSA, C2S, "
                                              "AAH, student status, scholarships); each call audited");
  proofs->add_option("--identity", p.proofs.identity_file, "the person's identity, a JSON object (- for standard input)")
      ->required()->option_text("FILE");
  proofs->add_option("--data", p.proofs.data, "a datum to fetch, repeatable: " + [] {
    std::string names;
    for (Datum d : all_data()) names += (names.empty() ? "" : ", ") + std::string(datum_name(d));
    return names;
  }())->required()->option_text("NAME")->check(CLI::Validator([](std::string& s) {
    return datum_named(s) ? std::string() : "unknown datum '" + s + "'"; }, "NAME", "datum"));
  proofs->add_option("--purpose", p.proofs.purpose, "why they are fetched, for the audit trail (\"tarif solidaire M Réso\")")
      ->required()->option_text("TEXT")->check(kSaysSomething);
  proofs->add_option("--recipient", p.proofs.api.recipient, "the SIRET of the body that uses the data (14 digits)")
      ->required()->option_text("SIRET");
  proofs->add_option("--api", p.proofs.api.base_url, "API Particulier's address (default https://particulier.api.gouv.fr; "
                                                     "http only on loopback)")->option_text("URL");
  proofs->add_option("--token-file", p.proofs.token_file, "a file holding the token, readable by its owner only "
                                                           "(default: $PROACTIF_API_PARTICULIER_TOKEN)")->option_text("FILE");
  proofs->add_option("--date", p.proofs.date, "the date the data are for (default: today)")->check(kIsoDate);
  add_store_option(proofs, p.proofs.store_url);

  auto* decide = app.add_subcommand("decide", "an instant decision for one person: the program's data fetched from API "
                                              "Particulier, the rest answered; stored under a reference");
  decide->add_option("--program", p.decide.program, "the program (m-reso-solidaire, ...)")->required()->option_text("ID");
  decide->add_option("--identity", p.decide.identity_file, "the person's identity, a JSON object (- for standard input)")
      ->required()->option_text("FILE");
  decide->add_option("--answer", p.decide.answers, "an input the person answers, repeatable (commune=38185)")
      ->option_text("NAME=VALUE");
  auto* member = decide->add_option("--member", p.decide.members,
                                     "another person who lives with the person, repeatable: their answers "
                                     "(role=child,birth_date=2015-04-01,resources_12m=0)")
                     ->option_text("NAME=VALUE,...");
  auto* complete = decide->add_flag("--household-complete", p.decide.household_complete,
                                    "the persons given with --member are all who live with the person: required, or "
                                    "--lives-alone, by a program decided for a foyer");
  decide->add_flag("--consent", p.decide.consent,
                   "the person agrees to the program's data being fetched from API Particulier (required where it "
                   "fetches any; recorded in the audit trail)");
  decide->add_flag("--lives-alone", p.decide.lives_alone,
                   "the person lives alone (no spouse, child or other person)")
      ->excludes(member)
      ->excludes(complete);
  decide->add_option("--recipient", p.decide.api.recipient, "the SIRET of the body that decides (14 digits)")
      ->required()->option_text("SIRET");
  decide->add_option("--api", p.decide.api.base_url, "API Particulier's address (default https://particulier.api.gouv.fr)")
      ->option_text("URL");
  decide->add_option("--token-file", p.decide.token_file, "a file holding the token (default: $PROACTIF_API_PARTICULIER_TOKEN)")
      ->option_text("FILE");
  decide->add_option("--date", p.decide.date, "the date of the decision (default: today)")->check(kIsoDate);
  add_store_option(decide, p.decide.store_url);

  auto* catalogue = app.add_subcommand(
      "catalogue", "the national youth simulator's benefits (betagouv/aides-jeunes, in $PROACTIF_AIDES_JEUNES) as "
                   "programs aides-jeunes:ID: which load, and for each that does not, the condition it uses that cannot "
                   "be written yet");
  catalogue->add_flag("--json", p.catalogue.json, "one JSON object per benefit");
  catalogue->add_option("--show", p.catalogue.show, "print the program a benefit is loaded as")->option_text("ID");

  auto* serve = app.add_subcommand("serve", "serve the JSON API and the pages: verify a message, object, read each algorithm's rules");
  serve->add_option("--listen", p.serve.listen, "the address and port to listen on (default 127.0.0.1:8080; port 0: any free port)")
      ->option_text("HOST:PORT");
  add_store_option(serve, p.serve.store_url);
  serve->add_option("--threads", p.serve.threads, "connections served at once, each on its thread while kept alive (default 64)")->check(CLI::Range(1u, 256u));
  serve->add_option("--citizen-per-minute", p.serve.citizen_per_minute,
                    "requests with a message's code allowed per client address and minute (default 10)")
      ->check(CLI::Range(1, 1000000000));
  serve->add_option("--citizen-per-day", p.serve.citizen_per_day,
                    "and per day (default 200)")
      ->check(CLI::Range(1, 1000000000));
  serve->add_option("--sign-in-per-minute", p.serve.sign_in_per_minute,
                    "agents' sign-in attempts allowed per client address and minute (default 10; behind a reverse "
                    "proxy every agent comes from its address: limit there and raise this)")
      ->check(CLI::Range(1, 1000000000));
  serve->add_option("--sign-in-per-day", p.serve.sign_in_per_day, "and per day (default 100)")
      ->check(CLI::Range(1, 1000000000));
  auto* api = serve->add_option("--api-particulier", p.serve.api_particulier_url,
                                "API Particulier's address, for the agents' instant decisions (default: not set up)")
                  ->option_text("URL");
  serve->add_option("--recipient", p.serve.api_particulier_recipient,
                    "the SIRET of the body that decides, sent with each call (14 digits)")
      ->option_text("SIRET")->needs(api);
  serve->add_option("--token-file", p.serve.api_particulier_token_file,
                    "a file holding API Particulier's token (default: $PROACTIF_API_PARTICULIER_TOKEN)")
      ->option_text("FILE")->needs(api);
}

int dispatch(const CLI::App& app, Parsed& p) {
  auto chosen = [&](const char* name) { return app.get_subcommand(name)->parsed(); };
  if (chosen("evaluate")) {
    if (p.evaluate_date) p.evaluate.options.date = parse_iso_date(*p.evaluate_date);
    return evaluate_command(p.evaluate);
  }
  if (chosen("explain")) {
    if (p.explain_date) p.explain.options.date = parse_iso_date(*p.explain_date);
    return explain_command(p.explain);
  }
  if (chosen("test")) return test_command(p.tests);
  if (chosen("check")) return check_command(p.checks);
  if (chosen("ingest")) return ingest_command(p.ingest);
  if (chosen("synth")) {
    p.synth.date = *parse_iso_date(p.synth_date);
    return synth_command(p.synth);
  }
  if (chosen("campaign")) {
    p.campaign.verb = app.get_subcommand("campaign")->get_subcommands().front()->get_name();
    return campaign_command(p.campaign);
  }
  if (chosen("event")) return event_command(p.event);
  if (chosen("verify")) return verify_command(p.code, p.verify_store);
  if (chosen("decision")) return decision_command(p.decision);
  if (chosen("audit")) {
    if (p.audit_since) p.audit.since_ms = static_cast<int64_t>(*parse_iso_date(*p.audit_since)) * 86'400'000;
    return audit_command(p.audit);
  }
  if (chosen("purge")) return purge_command(p.purge_store);
  if (chosen("serve")) return serve(p.serve);
  if (chosen("agent")) {
    p.agent.verb = app.get_subcommand("agent")->get_subcommands().front()->get_name();
    return agent_command(p.agent);
  }
  if (chosen("proofs")) return proofs_command(p.proofs);
  if (chosen("decide")) return decide_command(p.decide);
  if (chosen("catalogue")) return catalogue_command(p.catalogue);
  return object_command(p.object);
}

}  // namespace

int run_command_line(int argc, char** argv) {
  CLI::App app("proactif: find the people entitled to a benefit who do not get it, tell them, or grant it", "proactif");
  app.set_version_flag("--version", std::string("proactif ") + proactif_version());
  app.require_subcommand(1);
  app.footer("Each command's options: proactif COMMAND --help");
  Parsed parsed;
  // Rows set aside hold personal data: by default they go where the store's
  // other working files are, under its retention, not to the current folder.
  const std::string work = store_work_dir(default_store_url());
  parsed.ingest.options.rejects_dir = work + "/rejects";
  parsed.ingest.options.review_path = work + "/review.csv";
  add_commands(app, parsed);
  // CLI11 would take an unknown command for a missing one.
  const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(), [&](const CLI::App* c) { return c->get_name() == argv[1]; })) {
    std::cerr << "proactif: unknown command '" << argv[1] << "'\n(proactif --help lists the commands)\n";
    return kUsageError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::ParseError& e) {
    std::cerr << "proactif: " << e.what() << "\n(proactif --help, or proactif COMMAND --help)\n";
    return kUsageError;
  }
  return dispatch(app, parsed);
}

}  // namespace proactif
