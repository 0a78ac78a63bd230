// A campaign as the agent who owns it writes it (YAML): which programs, over
// which population, on which date and for which period, what to do for each
// outcome, by which channels, and where messages go. Loaded and checked
// before anything runs; its SHA-256 is kept with the run.
//
// The same file may instead (or also) say what to do on events (`events:`,
// read by `proactif event`): for each kind of fact ("rsa_granted"), the
// programs to evaluate again for that household only, and their actions,
// including `grant`: transmitting the request to the paying body.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actions/delivery_config.hpp"
#include "actions/messages.hpp"
#include "core/result.hpp"

namespace proactif {

enum class ActionKind { kNothing, kNotify, kNotifyPossible, kGrant };
const char* action_name(ActionKind a);

// A household already receives the benefit when its variable (or one of its
// persons' variable) has one of these values, as the extracts say.
struct AlreadyReceiving {
  std::string variable;
  std::vector<std::string> values;  // codes, or "true"
};

// Where the extracts give the choice a person made with the claim the
// automatic route names (the RSA claim form asks whether they accept the
// C2S request: CASF R262-104-1), and its date: a code `accepted` or
// `refused`, and a date, both of the household.
struct Acceptance {
  std::string variable, date;
};

// What a person does to claim the right, printed in the message: where
// (with its article: "la CAF de l'Isère"), website, phone, documents,
// deadline. Declared by the campaign for each program it notifies, or once
// for all its programs (`claim:` at the top, which a program's own overrides).
struct ClaimSteps {
  std::string where, address, website, phone, deadline;
  std::vector<std::string> documents;
  // The départements whose residents the body named serves (a CPAM, a
  // CAF); empty: wherever the household lives (a national website).
  std::vector<std::string> departements;
};

struct CampaignProgram {
  std::string id;
  ClaimSteps claim;
  ActionKind eligible = ActionKind::kNotify;
  ActionKind undetermined = ActionKind::kNotifyPossible;
  std::vector<AlreadyReceiving> already_receiving;
  // A campaign's grant: the choice each household made (an event carries
  // its own); empty for a program not granted.
  Acceptance acceptance;
  // A campaign's grant: the household date variable of the extracts that
  // gives the day since which its family situation is what it is, which a
  // request carries (CASF R262-103); empty: not given.
  std::string family_situation_since;
};

// A body named in the GDPR information: its name and how to reach it.
struct PrivacyParty {
  std::string name, contact;
};

// GDPR art. 14 as the campaign declares it: who is responsible for the
// processing, why, on which basis, who receives the data. The sources, the
// data used and the retention periods are not declared: each message states
// those actually used for its household and those the store enforces.
struct PrivacyNotice {
  PrivacyParty controller;
  std::vector<PrivacyParty> joint_controllers;
  std::string dpo;  // how to reach the data protection officer
  std::vector<std::string> purposes, legal_basis, recipients;
  // The page giving all of it, which an SMS (too short to carry it) links
  // to, as the EDPB's layered notices do; required when SMS is a channel.
  std::string notice_url;
};

// Data the extracts lack, asked of API Particulier for the households a
// campaign's programs leave undetermined (CRPA L114-8): which inputs (the
// programs' inputs declaring `api_particulier:`; empty: all of them), where,
// for which body (the SIRET API Particulier requires), with which token (a
// file only its owner reads, else PROACTIF_API_PARTICULIER_TOKEN).
struct ApiParticulierFill {
  std::string url = "https://particulier.api.gouv.fr";
  std::string recipient, token_file;
  std::vector<std::string> inputs;
};

struct Campaign {
  std::string file, id, title, sender, period, date;
  std::string hash;  // SHA-256 of the file
  // Population: source mappings, or a synthetic population of a territory.
  std::vector<std::string> mappings;  // resolved paths
  std::string synthetic_territory;
  size_t synthetic_households = 0;
  uint64_t synthetic_seed = 1;
  std::string work_dir;  // rejects, review list, synthetic extracts
  std::vector<CampaignProgram> programs;
  // Event kind -> programs evaluated again on it (proactif event).
  std::vector<std::pair<std::string, std::vector<CampaignProgram>>> events;
  std::vector<std::string> channels;  // preference order: email, sms, letter
  DeliveryConfig delivery;
  std::string how_to_object;          // address or page where a person objects
  std::string transmission_to_with_article;  // "la CPAM de l'Isère", as a message names the paying body
  // The départements whose residents the paying body serves ("38"): a
  // household living elsewhere is another body's, and is told instead.
  std::vector<std::string> transmission_departements;
  Letterhead letterhead;              // who writes: sender block, signatory
  std::string verify_url;             // the page that checks a message's code (https)
  PrivacyNotice privacy;
  std::optional<ApiParticulierFill> api_particulier;
};

Result<Campaign> load_campaign(const std::string& file);

std::string sha256_hex(const std::string& bytes);
Result<std::string> sha256_of_file(const std::string& path);

}  // namespace proactif
