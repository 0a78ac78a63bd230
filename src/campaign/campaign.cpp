#include "campaign/campaign.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/date.hpp"
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
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

Result<std::string> sha256_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot read"};
  std::ostringstream s;
  s << in.rdbuf();
  return sha256_hex(s.str());
}

namespace {

ActionKind action(const std::string& file, const YAML::Node& n, ActionKind fallback, bool undetermined) {
  if (!n) return fallback;
  std::string a = n.as<std::string>();
  if (a == "notify") return ActionKind::kNotify;
  if (a == "notify_possible") return ActionKind::kNotifyPossible;
  if (a == "nothing") return ActionKind::kNothing;
  if (a == "grant") {
    // A right is granted on a decision that establishes it, never on one
    // that waits for data.
    if (undetermined) throw YamlFault{yaml_at(file, n) + "an undetermined decision cannot be granted: notify_possible or nothing"};
    return ActionKind::kGrant;
  }
  throw YamlFault{yaml_at(file, n) + "action must be notify, notify_possible, grant or nothing"};
}

std::vector<CampaignProgram> programs_of(const std::string& file, const YAML::Node& programs) {
  if (!programs || !programs.IsMap() || programs.size() == 0)
    throw YamlFault{yaml_at(file, programs) + "programs: a mapping of program ids to their actions"};
  std::vector<CampaignProgram> out;
  for (const auto& kv : programs) {
    CampaignProgram p;
    p.id = kv.first.as<std::string>();
    YAML::Node n = kv.second;
    if (n.IsMap()) {
      check_yaml_keys(file, n, {"eligible", "undetermined", "already_receiving"}, "program " + p.id);
      p.eligible = action(file, n["eligible"], ActionKind::kNotify, false);
      p.undetermined = action(file, n["undetermined"], ActionKind::kNotifyPossible, true);
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
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<Campaign> load_campaign(const std::string& file) {
  Campaign c;
  c.file = file;
  c.delivery.file = file;
  auto hash = sha256_of_file(file);
  if (!hash) return hash.error();
  c.hash = *hash;
  fs::path base = fs::path(file).parent_path();
  auto resolve = [&](const std::string& p) { return fs::path(p).is_absolute() ? p : (base / p).string(); };
  try {
    YAML::Node root = YAML::LoadFile(file);
    check_yaml_keys(file, root,
               {"id", "title", "sender", "period", "date", "population", "programs", "channels", "email", "letters",
                "how_to_object", "work_dir", "delivery", "events", "sms", "transmission", "templates"},
               "campaign");
    c.id = yaml_text(file, root, "id");
    if (c.id.empty() || c.id.find_first_of(" :/%_") != std::string::npos)
      throw YamlFault{yaml_at(file, root["id"]) + "id: letters, digits and hyphens (no space, ':', '/', '%' or '_')"};
    c.title = yaml_text(file, root, "title");
    c.sender = yaml_text(file, root, "sender");
    bool campaign = root["population"] || root["programs"];
    c.period = yaml_text(file, root, "period", campaign);
    c.date = yaml_text(file, root, "date", campaign);
    if (campaign && !parse_iso_date(c.date))
      throw YamlFault{yaml_at(file, root["date"]) + "date must be a date YYYY-MM-DD that exists"};
    c.how_to_object = yaml_text(file, root, "how_to_object");
    c.work_dir = resolve(root["work_dir"] ? yaml_text(file, root, "work_dir") : c.id + ".work");

    if (campaign) {
      YAML::Node pop = root["population"];
      if (!pop) throw YamlFault{yaml_at(file, root) + "missing key 'population'"};
      check_yaml_keys(file, pop, {"mappings", "synthetic"}, "population");
      if (pop["mappings"]) {
        for (const auto& m : pop["mappings"]) c.mappings.push_back(resolve(m.as<std::string>()));
      } else if (YAML::Node s = pop["synthetic"]) {
        check_yaml_keys(file, s, {"territory", "households", "seed"}, "synthetic population");
        c.synthetic_territory = yaml_text(file, s, "territory");
        c.synthetic_households = s["households"].as<size_t>();
        if (s["seed"]) c.synthetic_seed = s["seed"].as<uint64_t>();
      } else {
        throw YamlFault{yaml_at(file, pop) + "population needs mappings (the extracts) or synthetic (territory, households, seed)"};
      }
      c.programs = programs_of(file, root["programs"]);
    }
    if (YAML::Node events = root["events"]) {
      if (!events.IsMap()) throw YamlFault{yaml_at(file, events) + "events: a mapping of event kinds (rsa_granted) to programs"};
      for (const auto& kv : events) {
        check_yaml_keys(file, kv.second, {"programs"}, "event " + kv.first.as<std::string>());
        c.events.emplace_back(kv.first.as<std::string>(), programs_of(file, kv.second["programs"]));
      }
    }
    if (!campaign && c.events.empty())
      throw YamlFault{yaml_at(file, root) + "a campaign needs population and programs, or events"};

    YAML::Node channels = root["channels"];
    if (!channels || !channels.IsSequence() || channels.size() == 0)
      throw YamlFault{yaml_at(file, root) + "channels: a list in order of preference (email, sms, letter)"};
    for (const auto& ch : channels) {
      std::string name = ch.as<std::string>();
      if (name != "email" && name != "letter" && name != "sms")
        throw YamlFault{yaml_at(file, ch) + "channel '" + name + "': the channels are email, sms and letter"};
      c.channels.push_back(name);
    }
    if (YAML::Node e = root["email"]) {
      check_yaml_keys(file, e, {"smtp", "from"}, "email");
      c.delivery.smtp_url = yaml_text(file, e, "smtp");
      c.delivery.email_from = yaml_text(file, e, "from");
    }
    if (root["templates"]) c.delivery.templates_dir = resolve(yaml_text(file, root, "templates"));
    if (YAML::Node sms = root["sms"]) {
      check_yaml_keys(file, sms, {"provider", "sender"}, "sms");
      c.delivery.sms_url = yaml_text(file, sms, "provider");
      c.delivery.sms_sender = yaml_text(file, sms, "sender");
    }
    if (YAML::Node t = root["transmission"]) {
      check_yaml_keys(file, t, {"to", "drop_folder", "http"}, "transmission");
      c.delivery.transmission_to = yaml_text(file, t, "to");
      if (t["drop_folder"]) c.delivery.transmission_folder = resolve(yaml_text(file, t, "drop_folder"));
      if (t["http"]) c.delivery.transmission_url = yaml_text(file, t, "http");
      if (c.delivery.transmission_folder.empty() == c.delivery.transmission_url.empty())
        throw YamlFault{yaml_at(file, t) + "transmission: give drop_folder or http, one of them"};
    }
    if (YAML::Node l = root["letters"]) {
      check_yaml_keys(file, l, {"folder"}, "letters");
      c.delivery.letters_dir = resolve(yaml_text(file, l, "folder"));
    }
    for (const auto& ch : c.channels) {
      if (ch == "email" && c.delivery.smtp_url.empty()) throw YamlFault{yaml_at(file, root) + "channel email needs email: {smtp, from}"};
      if (ch == "letter" && c.delivery.letters_dir.empty()) throw YamlFault{yaml_at(file, root) + "channel letter needs letters: {folder}"};
      if (ch == "sms" && c.delivery.sms_url.empty()) throw YamlFault{yaml_at(file, root) + "channel sms needs sms: {provider, sender}"};
    }
    bool grants = false;
    for (const auto& p : c.programs) grants |= p.eligible == ActionKind::kGrant;
    for (const auto& [event, programs] : c.events)
      for (const auto& p : programs) grants |= p.eligible == ActionKind::kGrant;
    if (grants && c.delivery.transmission_to.empty())
      throw YamlFault{yaml_at(file, root) + "grant needs transmission: {to, drop_folder or http}"};
    if (YAML::Node d = root["delivery"]) {
      check_yaml_keys(file, d, {"max_attempts", "first_retry_seconds", "workers"}, "delivery");
      if (d["workers"]) c.delivery.workers = d["workers"].as<int>();
      if (c.delivery.workers < 1 || c.delivery.workers > 64) throw YamlFault{yaml_at(file, d["workers"]) + "workers: from 1 to 64"};
      if (d["max_attempts"]) c.delivery.max_attempts = d["max_attempts"].as<int>();
      if (d["first_retry_seconds"]) c.delivery.first_retry_seconds = d["first_retry_seconds"].as<double>();
    }
  } catch (const YamlFault& b) {
    return Error{b.message};
  } catch (const YAML::Exception& e) {
    return Error{file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg};
  }
  return c;
}

}  // namespace proactif
