#include "campaign/campaign.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/bytes.hpp"
#include "core/confined_path.hpp"
#include "core/contact_syntax.hpp"
#include "core/date.hpp"
#include "core/endpoint_url.hpp"
#include "core/output_file.hpp"
#include "core/yaml_file.hpp"
#include "sources/yaml_fields.hpp"

namespace fs = std::filesystem;

namespace proactif {

const char* action_name(ActionKind a) {
  switch (a) {
    case ActionKind::kNothing: return "nothing";
    case ActionKind::kNotify: return "notify";
    case ActionKind::kNotifyPossible: return "notify_possible";
    case ActionKind::kGrant: return "grant";
  }
  return "?";
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  return hex(digest, size);
}

Result<std::string> sha256_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::kNotFound, path + ": cannot read"};
  std::ostringstream s;
  s << in.rdbuf();
  return sha256_hex(s.str());
}

namespace {

// Where actions go is a protocol and a host named in a file an agent edits.
void check_endpoint(const std::string& file, const YAML::Node& at, const std::string& url,
                    const std::vector<std::string>& schemes, const std::string& plain) {
  if (std::string fault = endpoint_fault(url, schemes, plain); !fault.empty()) throw Failure{yaml_error(file, at, fault)};
}

// The group a hand-off folder is shared with (the printing service's, the
// paying body's): one of this machine that this process may give its files.
int handoff_group(const std::string& file, const YAML::Node& at) {
  auto group = sharing_group(at.IsScalar() ? at.as<std::string>() : "");
  if (!group) {
    Error error = yaml_error(file, at, "group: " + group.error().message);
    error.kind = group.error().kind;  // an unknown group, or one this user may not give files to
    throw Failure{error};
  }
  return *group;
}

ActionKind action(const std::string& file, const YAML::Node& n, ActionKind fallback, bool undetermined) {
  if (!n) return fallback;
  std::string a = n.as<std::string>();
  if (a == "notify") return ActionKind::kNotify;
  if (a == "notify_possible") return ActionKind::kNotifyPossible;
  if (a == "nothing") return ActionKind::kNothing;
  if (a == "grant") {
    // A right is granted on a decision that establishes it, never on one
    // that waits for data.
    if (undetermined) throw Failure{yaml_error(file, n, "an undetermined decision cannot be granted: notify_possible or nothing")};
    return ActionKind::kGrant;
  }
  throw Failure{yaml_error(file, n, "action must be notify, notify_possible, grant or nothing")};
}

std::vector<std::string> text_list(const std::string& file, const YAML::Node& map, const char* key, bool required) {
  const YAML::Node n = map[key];
  if (!n && !required) return {};
  if (!n || !n.IsSequence() || n.size() == 0)
    throw Failure{yaml_error(file, n ? n : map, std::string(key) + ": a list of one or more sentences")};
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar() || item.as<std::string>().empty()) throw Failure{yaml_error(file, item, std::string(key) + ": a sentence")};
    out.push_back(item.as<std::string>());
  }
  return out;
}

// A message says "adressez-vous à la CAF", never "à Caisse d'allocations
// familiales (CAF)": the place is written with its article.
bool starts_with_article(const std::string& s) {
  for (const char* a : {"la ", "le ", "l'", "l’", "les ", "votre ", "vos ", "un ", "une ", "son ", "sa ", "ses "})
    if (s.rfind(a, 0) == 0) return true;
  return false;
}

// A list of département codes as the INSEE writes them ("38", "2A", "974").
std::vector<std::string> departement_codes(const std::string& file, const YAML::Node& list) {
  std::vector<std::string> codes;
  for (const auto& d : list) {
    const std::string code = d.IsScalar() ? d.as<std::string>() : "";
    auto digit = [&](size_t i) { return std::isdigit(static_cast<unsigned char>(code[i])) != 0; };
    const bool metropole = code.size() == 2 && ((digit(0) && digit(1) && code != "20") || code == "2A" || code == "2B");
    const bool overseas = code.size() == 3 && code.rfind("97", 0) == 0 && digit(2);
    if (!metropole && !overseas)
      throw Failure{yaml_error(file, d, "departements: a département code as the INSEE writes it (\"38\", \"2A\", \"974\")")};
    codes.push_back(code);
  }
  return codes;
}

ClaimSteps claim_of(const std::string& file, const YAML::Node& n, const std::string& program) {
  if (!n || !n.IsMap())
    throw Failure{yaml_error(file, n, "program " + program + " needs claim: {where, website, phone, documents, "
                  "deadline}: what a person does to claim the right, printed in the message")};
  check_yaml_keys(file, n, {"where", "address", "website", "phone", "documents", "deadline", "departements"},
                  "claim of " + program);
  ClaimSteps c;
  c.where = yaml_text(file, n, "where");
  if (!starts_with_article(c.where))
    throw Failure{yaml_error(file, n["where"], "where: the place with its article, as a sentence says it "
                                              "(\"la caisse d'allocations familiales (CAF) de l'Isère\")")};
  c.address = yaml_text(file, n, "address", false);
  c.website = yaml_text(file, n, "website", false);
  c.phone = yaml_text(file, n, "phone", false);
  c.deadline = yaml_text(file, n, "deadline", false);
  c.documents = text_list(file, n, "documents", false);
  // A local body (a CPAM, a CAF) serves its départements' residents: a
  // household living elsewhere is sent to the body where it lives.
  if (const YAML::Node served = n["departements"]) {
    if (!served.IsSequence() || served.size() == 0)
      throw Failure{yaml_error(file, served, "claim of " + program + ": departements: [\"38\", ...], those whose "
                                             "residents the body named serves")};
    c.departements = departement_codes(file, served);
  }
  if (c.website.empty() && c.phone.empty() && c.address.empty())
    throw Failure{yaml_error(file, n, "claim of " + program + ": give at least a website, a phone or an address")};
  if (!c.website.empty() && c.website.rfind("https://", 0) != 0)
    throw Failure{yaml_error(file, n["website"], "website: an https:// address")};
  return c;
}

// `fallback`: the campaign's own claim, for programs that do not declare one.
std::vector<CampaignProgram> programs_of(const std::string& file, const YAML::Node& programs,
                                         const std::optional<ClaimSteps>& fallback) {
  if (!programs || !programs.IsMap() || programs.size() == 0)
    throw Failure{yaml_error(file, programs, "programs: a mapping of program ids to their actions")};
  std::vector<CampaignProgram> out;
  for (const auto& kv : programs) {
    CampaignProgram p;
    p.id = kv.first.as<std::string>();
    YAML::Node n = kv.second;
    if (!n.IsMap()) throw Failure{yaml_error(file, n, "program " + p.id + ": its actions and claim: {where, ...}")};
    {
      check_yaml_keys(file, n, {"eligible", "undetermined", "already_receiving", "acceptance", "family_situation_since", "claim"},
                      "program " + p.id);
      p.eligible = action(file, n["eligible"], ActionKind::kNotify, false);
      p.undetermined = action(file, n["undetermined"], ActionKind::kNotifyPossible, true);
      // A notice tells how to claim; so does a grant that cannot be made,
      // the person told of the right instead (targeting.hpp).
      auto tells = [](ActionKind a) { return a != ActionKind::kNothing; };
      if (tells(p.eligible) || tells(p.undetermined))
        p.claim = n["claim"] || !fallback ? claim_of(file, n["claim"], p.id) : *fallback;
      else if (n["claim"]) throw Failure{yaml_error(file, n["claim"], "claim: only a program whose people are notified needs one")};
      if (YAML::Node r = n["already_receiving"]) {
        for (const auto& kv2 : r) {
          AlreadyReceiving a;
          a.variable = kv2.first.as<std::string>();
          if (kv2.second.IsSequence())
            for (const auto& v : kv2.second) a.values.push_back(v.as<std::string>());
          else a.values.push_back(kv2.second.as<std::string>());
          p.already_receiving.push_back(std::move(a));
        }
      }
      if (YAML::Node a = n["acceptance"]) {
        if (!a.IsMap()) throw Failure{yaml_error(file, a, "acceptance: {variable, date}, the extract's fields of the choice")};
        check_yaml_keys(file, a, {"variable", "date"}, "acceptance");
        p.acceptance = {yaml_text(file, a, "variable"), yaml_text(file, a, "date")};
      }
      if (n["family_situation_since"]) p.family_situation_since = yaml_text(file, n, "family_situation_since");
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Who writes, as a French administrative letter heads it.
template <typename Resolve>
Letterhead letterhead_of(const std::string& file, const YAML::Node& root, Resolve resolve) {
  const YAML::Node n = root["letterhead"];
  if (!n || !n.IsMap())
    throw Failure{yaml_error(file, n ? n : root, "letterhead: {name, address, contact, logo, town, signatory}: "
                  "who writes, printed on letters and in emails")};
  check_yaml_keys(file, n, {"name", "address", "contact", "logo", "town", "signatory"}, "letterhead");
  Letterhead l;
  l.name = yaml_text(file, n, "name");
  l.address = text_list(file, n, "address", true);
  l.contact = text_list(file, n, "contact", true);
  l.town = yaml_text(file, n, "town");
  if (n["logo"]) {
    l.logo = resolve(yaml_text(file, n, "logo"), "logo");
    std::error_code ec;
    if (!fs::is_regular_file(l.logo, ec) || fs::path(l.logo).extension() != ".png")
      throw Failure{yaml_error(file, n["logo"], "logo: a PNG file")};
  }
  const YAML::Node s = n["signatory"];
  if (!s || !s.IsMap()) throw Failure{yaml_error(file, s ? s : n, "signatory: {name, title}: who signs the letters")};
  check_yaml_keys(file, s, {"name", "title"}, "signatory");
  l.signatory = yaml_text(file, s, "name");
  l.signatory_title = yaml_text(file, s, "title");
  return l;
}

PrivacyParty party(const std::string& file, const YAML::Node& n, const char* what) {
  if (!n || !n.IsMap()) throw Failure{yaml_error(file, n, std::string(what) + ": {name, contact}")};
  check_yaml_keys(file, n, {"name", "contact"}, what);
  return {yaml_text(file, n, "name"), yaml_text(file, n, "contact")};
}

// GDPR art. 14-1 and 14-2: what every first message must say of the
// processing, declared by the agents who own it.
PrivacyNotice privacy_of(const std::string& file, const YAML::Node& root) {
  const YAML::Node n = root["privacy"];
  if (!n || !n.IsMap())
    throw Failure{yaml_error(file, n ? n : root, "privacy: {controller, joint_controllers, dpo, purposes, "
                  "legal_basis, recipients}: the GDPR art. 14 information every message carries")};
  check_yaml_keys(file, n, {"controller", "joint_controllers", "dpo", "purposes", "legal_basis", "recipients", "notice_url"},
                  "privacy");
  PrivacyNotice p;
  p.controller = party(file, n["controller"], "controller");
  if (const YAML::Node joint = n["joint_controllers"]) {
    if (!joint.IsSequence()) throw Failure{yaml_error(file, joint, "joint_controllers: a list of {name, contact}")};
    for (const auto& j : joint) p.joint_controllers.push_back(party(file, j, "joint controller"));
  }
  p.dpo = yaml_text(file, n, "dpo");
  p.purposes = text_list(file, n, "purposes", true);
  p.legal_basis = text_list(file, n, "legal_basis", true);
  p.recipients = text_list(file, n, "recipients", true);
  p.notice_url = yaml_text(file, n, "notice_url", false);
  if (!p.notice_url.empty() && p.notice_url.rfind("https://", 0) != 0)
    throw Failure{yaml_error(file, n["notice_url"], "notice_url: an https:// page")};
  return p;
}

}  // namespace

Result<Campaign> load_campaign(const std::string& file) {
  Campaign c;
  c.file = file;
  c.delivery.file = file;

  PathRules paths;
  paths.base = fs::path(file).parent_path().string();
  try {
    // Read once: what is hashed is what is parsed.
    const std::string text = read_config_file(file);
    c.hash = sha256_hex(text);
    YAML::Node root = load_yaml_text(text);
    check_yaml_keys(file, root,
               {"id", "title", "sender", "period", "date", "population", "programs", "channels", "email", "letters",
                "how_to_object", "work_dir", "delivery", "events", "sms", "transmission", "templates", "paths_outside",
                "letterhead", "verify_url", "privacy", "claim", "api_particulier"},
               "campaign");
    if (YAML::Node outside = root["paths_outside"]) {
      if (!outside.IsSequence())
        throw Failure{yaml_error(file, outside, "paths_outside: a list of folders this campaign may read or write")};
      for (const auto& p : outside) paths.outside.push_back(p.as<std::string>());
    }
    // Every folder or file the campaign reads or writes, inside the
    // campaign's folder or one it lists.
    auto resolve = [&](const std::string& p, const std::string& what) {
      auto confined = confined_path(paths, p, yaml_at(file, root) + what);
      if (!confined) throw Failure{confined.error()};
      return *confined;
    };
    c.id = yaml_text(file, root, "id");
    if (c.id.empty() || c.id.find_first_of(" :/%_") != std::string::npos)
      throw Failure{yaml_error(file, root["id"], "id: letters, digits and hyphens (no space, ':', '/', '%' or '_')")};
    c.title = yaml_text(file, root, "title");
    c.sender = yaml_text(file, root, "sender");
    bool campaign = root["population"] || root["programs"];
    c.period = yaml_text(file, root, "period", campaign);
    c.date = yaml_text(file, root, "date", campaign);
    // A month: requests of the twelve before it are looked up by it.
    if (campaign && (c.period.size() != 7 || !parse_iso_date(c.period + "-01")))
      throw Failure{yaml_error(file, root["period"], "period must be a month YYYY-MM that exists")};
    if (campaign && !parse_iso_date(c.date))
      throw Failure{yaml_error(file, root["date"], "date must be a date YYYY-MM-DD that exists")};
    c.how_to_object = yaml_text(file, root, "how_to_object");
    c.letterhead = letterhead_of(file, root, resolve);
    c.verify_url = yaml_text(file, root, "verify_url");
    check_endpoint(file, root["verify_url"], c.verify_url, {"https"}, "");
    if (c.verify_url.find_first_of("?#") != std::string::npos)
      throw Failure{yaml_error(file, root["verify_url"], "verify_url: the page only; ?code=... is added to it")};
    c.privacy = privacy_of(file, root);
    c.work_dir = resolve(root["work_dir"] ? yaml_text(file, root, "work_dir") : c.id + ".work", "work_dir");

    std::optional<ClaimSteps> claim;
    if (root["claim"]) claim = claim_of(file, root["claim"], "this campaign");
    if (campaign) {
      YAML::Node pop = root["population"];
      if (!pop) throw Failure{yaml_error(file, root, "missing key 'population'")};
      check_yaml_keys(file, pop, {"mappings", "synthetic"}, "population");
      if (pop["mappings"]) {
        for (const auto& m : pop["mappings"]) c.mappings.push_back(resolve(m.as<std::string>(), "mapping"));
      } else if (YAML::Node s = pop["synthetic"]) {
        check_yaml_keys(file, s, {"territory", "households", "seed"}, "synthetic population");
        c.synthetic_territory = yaml_text(file, s, "territory");
        c.synthetic_households = s["households"].as<size_t>();
        if (c.synthetic_households < 1 || c.synthetic_households > 10'000'000)
          throw Failure{yaml_error(file, s["households"], "households: from 1 to 10 000 000")};
        if (s["seed"]) c.synthetic_seed = s["seed"].as<uint64_t>();
      } else {
        throw Failure{yaml_error(file, pop, "population needs mappings (the extracts) or synthetic (territory, households, seed)")};
      }
      c.programs = programs_of(file, root["programs"], claim);
      if (YAML::Node a = root["api_particulier"]) {
        check_yaml_keys(file, a, {"url", "recipient", "token_file", "inputs"}, "api_particulier");
        ApiParticulierFill fill;
        if (a["url"]) fill.url = yaml_text(file, a, "url");
        check_endpoint(file, a["url"] ? a["url"] : a, fill.url, {"https", "http"}, "http");
        fill.recipient = yaml_text(file, a, "recipient");
        if (fill.recipient.size() != 14 ||
            !std::all_of(fill.recipient.begin(), fill.recipient.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
          throw Failure{yaml_error(file, a["recipient"], "recipient: the SIRET (14 digits) of the body that uses the data")};
        if (a["token_file"]) fill.token_file = resolve(yaml_text(file, a, "token_file"), "token_file");
        if (YAML::Node in = a["inputs"]) {
          if (!in.IsSequence() || in.size() == 0)
            throw Failure{yaml_error(file, in, "inputs: a list of the programs' inputs to ask for (quotient_familial)")};
          for (const auto& i : in) fill.inputs.push_back(i.as<std::string>());
        }
        c.api_particulier = std::move(fill);
      }
    } else if (root["api_particulier"]) {
      throw Failure{yaml_error(file, root["api_particulier"], "api_particulier: fills a campaign's population; "
                                                            "event rules have none")};
    }
    if (YAML::Node events = root["events"]) {
      if (!events.IsMap()) throw Failure{yaml_error(file, events, "events: a mapping of event kinds (rsa_granted) to programs")};
      for (const auto& kv : events) {
        check_yaml_keys(file, kv.second, {"programs"}, "event " + kv.first.as<std::string>());
        c.events.emplace_back(kv.first.as<std::string>(), programs_of(file, kv.second["programs"], claim));
      }
    }
    if (!campaign && c.events.empty())
      throw Failure{yaml_error(file, root, "a campaign needs population and programs, or events")};

    YAML::Node channels = root["channels"];
    if (!channels || !channels.IsSequence() || channels.size() == 0)
      throw Failure{yaml_error(file, root, "channels: a list in order of preference (email, sms, letter)")};
    for (const auto& ch : channels) {
      std::string name = ch.as<std::string>();
      if (name != "email" && name != "letter" && name != "sms")
        throw Failure{yaml_error(file, ch, "channel '" + name + "': the channels are email, sms and letter")};
      c.channels.push_back(name);
    }
    if (YAML::Node e = root["email"]) {
      check_yaml_keys(file, e, {"smtp", "from", "starttls", "ca_file", "timeouts"}, "email");
      c.delivery.smtp_url = yaml_text(file, e, "smtp");
      c.delivery.email_from = yaml_text(file, e, "from");
      if (e["starttls"]) c.delivery.smtp_starttls = e["starttls"].as<bool>();
      // smtps is TLS from the first byte; smtp upgrades with STARTTLS, which
      // only a server on this machine may go without.
      check_endpoint(file, e["smtp"], c.delivery.smtp_url, {"smtp", "smtps"}, c.delivery.smtp_starttls ? "" : "smtp");
      if (!is_mailbox(c.delivery.email_from))
        throw Failure{yaml_error(file, e["from"], "from: '" + c.delivery.email_from + "' is not an email address")};
      if (e["ca_file"]) {
        c.delivery.smtp_ca_file = resolve(yaml_text(file, e, "ca_file"), "ca_file");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(c.delivery.smtp_ca_file, ec))
          throw Failure{yaml_error(file, e["ca_file"], "ca_file: " + c.delivery.smtp_ca_file + " is not a file")};
      }
    }
    if (root["templates"]) c.delivery.templates_dir = resolve(yaml_text(file, root, "templates"), "templates");
    if (YAML::Node sms = root["sms"]) {
      check_yaml_keys(file, sms, {"provider", "sender", "timeouts"}, "sms");
      c.delivery.sms_url = yaml_text(file, sms, "provider");
      c.delivery.sms_sender = yaml_text(file, sms, "sender");
      check_endpoint(file, sms["provider"], c.delivery.sms_url, {"https", "http"}, "http");
      // An alphanumeric sender id: 11 characters at most, letters and digits.
      const std::string& id = c.delivery.sms_sender;
      if (id.empty() || id.size() > 11 ||
          !std::all_of(id.begin(), id.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); }))
        throw Failure{yaml_error(file, sms["sender"], "sender: 1 to 11 letters and digits")};
    }
    if (YAML::Node t = root["transmission"]) {
      check_yaml_keys(file, t, {"to", "to_with_article", "departements", "drop_folder", "group", "http", "timeouts"},
                      "transmission");
      // A CPAM serves its département's residents: a request for a
      // household of another would reach a body that does not hold its right.
      const YAML::Node served = t["departements"];
      if (!served || !served.IsSequence() || served.size() == 0)
        throw Failure{yaml_error(file, served ? served : t, "transmission: departements: [\"38\", ...], those whose "
                                                            "residents the paying body serves")};
      c.transmission_departements = departement_codes(file, served);
      c.delivery.transmission_to = yaml_text(file, t, "to");
      // The person is told "transmise à la CPAM de l'Isère", not "à CPAM de l'Isère".
      c.transmission_to_with_article = yaml_text(file, t, "to_with_article");
      if (!starts_with_article(c.transmission_to_with_article))
        throw Failure{yaml_error(file, t["to_with_article"], "to_with_article: the body with its article, as a "
                                                            "sentence says it (\"la CPAM de l'Isère\")")};
      if (t["drop_folder"]) c.delivery.transmission_folder = resolve(yaml_text(file, t, "drop_folder"), "drop_folder");
      if (t["http"]) {
        c.delivery.transmission_url = yaml_text(file, t, "http");
        check_endpoint(file, t["http"], c.delivery.transmission_url, {"https", "http"}, "http");
      }
      if (c.delivery.transmission_folder.empty() == c.delivery.transmission_url.empty())
        throw Failure{yaml_error(file, t, "transmission: give drop_folder or http, one of them")};
      if (t["group"]) {
        if (c.delivery.transmission_folder.empty()) throw Failure{yaml_error(file, t["group"], "group: for a drop_folder only")};
        c.delivery.transmission_sharing = {handoff_group(file, t["group"]), false};
      }
    }
    if (YAML::Node l = root["letters"]) {
      check_yaml_keys(file, l, {"folder", "group"}, "letters");
      c.delivery.letters_dir = resolve(yaml_text(file, l, "folder"), "letters folder");
      if (l["group"]) c.delivery.letters_sharing = {handoff_group(file, l["group"]), false};
    }
    for (const auto& ch : c.channels) {
      if (ch == "sms" && c.privacy.notice_url.empty())
        throw Failure{yaml_error(file, root["privacy"], "channel sms needs privacy: {notice_url}: the page with the "
                      "GDPR art. 14 information, which an SMS is too short to carry")};
      if (ch == "email" && c.delivery.smtp_url.empty()) throw Failure{yaml_error(file, root, "channel email needs email: {smtp, from}")};
      if (ch == "letter" && c.delivery.letters_dir.empty()) throw Failure{yaml_error(file, root, "channel letter needs letters: {folder}")};
      if (ch == "sms" && c.delivery.sms_url.empty()) throw Failure{yaml_error(file, root, "channel sms needs sms: {provider, sender}")};
    }
    bool grants = false;
    for (const auto& p : c.programs) grants |= p.eligible == ActionKind::kGrant;
    for (const auto& [event, programs] : c.events)
      for (const auto& p : programs) grants |= p.eligible == ActionKind::kGrant;
    if (grants && c.delivery.transmission_to.empty())
      throw Failure{yaml_error(file, root, "grant needs transmission: {to, drop_folder or http}")};
    if (YAML::Node d = root["delivery"]) {
      check_yaml_keys(file, d, {"max_attempts", "first_retry_seconds", "max_retry_seconds", "retry_for_hours",
                                "workers", "connect_timeout_seconds",
                                "send_timeout_seconds"},
                      "delivery");
      for (Timeouts* t : {&c.delivery.email_timeouts, &c.delivery.sms_timeouts, &c.delivery.transmission_timeouts}) {
        if (d["connect_timeout_seconds"]) t->connect = d["connect_timeout_seconds"].as<long>();
        if (d["send_timeout_seconds"]) t->send = d["send_timeout_seconds"].as<long>();
      }
      if (d["workers"]) c.delivery.workers = d["workers"].as<int>();
      if (c.delivery.workers < 1 || c.delivery.workers > 64) throw Failure{yaml_error(file, d["workers"], "workers: from 1 to 64")};
      if (d["max_attempts"]) c.delivery.max_attempts = d["max_attempts"].as<int>();
      if (d["first_retry_seconds"]) c.delivery.first_retry_seconds = d["first_retry_seconds"].as<double>();
      if (d["max_retry_seconds"]) c.delivery.max_retry_seconds = d["max_retry_seconds"].as<double>();
      if (d["retry_for_hours"]) c.delivery.retry_for_seconds = 3600 * d["retry_for_hours"].as<double>();
      if (!(c.delivery.first_retry_seconds > 0) || !(c.delivery.max_retry_seconds >= c.delivery.first_retry_seconds) ||
          !(c.delivery.retry_for_seconds >= 0) || c.delivery.retry_for_seconds > 366 * 24 * 3600.0 ||
          c.delivery.max_attempts < 1)
        throw Failure{yaml_error(file, d, "retries: first_retry_seconds > 0, max_retry_seconds at least that, "
                                         "retry_for_hours from 0 to a year, max_attempts from 1")};
    }
    // A channel's own timeouts, over the delivery's.
    for (auto [section, t] : {std::pair{"email", &c.delivery.email_timeouts}, std::pair{"sms", &c.delivery.sms_timeouts},
                              std::pair{"transmission", &c.delivery.transmission_timeouts}}) {
      const YAML::Node& sections = root;  // read only: a missing section is not created
      const YAML::Node channel = sections[section];
      if (const YAML::Node n = channel.IsMap() ? channel["timeouts"] : YAML::Node(YAML::NodeType::Undefined)) {
        check_yaml_keys(file, n, {"connect", "send"}, std::string(section) + " timeouts");
        if (n["connect"]) t->connect = n["connect"].as<long>();
        if (n["send"]) t->send = n["send"].as<long>();
      }
    }
    for (const Timeouts* t : {&c.delivery.email_timeouts, &c.delivery.sms_timeouts, &c.delivery.transmission_timeouts})
      if (t->connect < 1 || t->send < t->connect || t->send > 600)
        throw Failure{yaml_error(file, root, "timeouts: connect from 1 s, send from the connect timeout to 600 s")};
  } catch (const Failure& b) {
    return b.error;
  } catch (const YAML::Exception& e) {
    return Error{ErrorKind::kConfiguration, SourcePosition{file, e.mark.line + 1, e.mark.column + 1}, e.msg};
  }
  return c;
}

}  // namespace proactif
