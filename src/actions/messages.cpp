#include "actions/messages.hpp"

#include <kainjow/mustache.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "core/data_paths.hpp"
#include "core/date.hpp"
#include "core/json_text.hpp"

namespace proactif {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

Result<std::string> read_template(const std::string& path) {
  static std::mutex lock;
  static std::map<std::string, std::string> cache;
  std::lock_guard<std::mutex> guard(lock);
  auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  std::ifstream in(path);
  if (!in) return Error{ErrorKind::kNotFound, path + ": cannot read the message template"};
  std::ostringstream s;
  s << in.rdbuf();
  return cache.emplace(path, s.str()).first->second;
}

// An empty text is false, so that a template shows a line ("Par téléphone :
// {{phone}}") only when there is something to show.
data to_data(simdjson::ondemand::value v) {
  switch (v.type()) {
    case simdjson::ondemand::json_type::object: {
      data d{data::type::object};
      for (auto field : v.get_object()) {
        std::string key(field.unescaped_key().value());
        d.set(key, to_data(field.value()));
      }
      return d;
    }
    case simdjson::ondemand::json_type::array: {
      data d{data::type::list};
      for (auto item : v.get_array()) d.push_back(to_data(item.value()));
      return d;
    }
    case simdjson::ondemand::json_type::string: {
      std::string text(v.get_string().value());
      return text.empty() ? data(data::type::bool_false) : data(text);
    }
    case simdjson::ondemand::json_type::boolean: return v.get_bool().value() ? data(data::type::bool_true) : data(data::type::bool_false);
    default: return data(std::string(simdjson::to_json_string(v).value()));
  }
}

data truth(bool b) { return b ? data(data::type::bool_true) : data(data::type::bool_false); }

// HTML templates escape what they insert; plain text ones must not.
Result<std::string> render(const std::string& path, const data& vars, bool html) {
  auto text = read_template(path);
  if (!text) return text.error();
  mustache tmpl(*text);
  if (!tmpl.is_valid()) return Error{ErrorKind::kConfiguration, path + ": " + tmpl.error_message()};
  if (!html) tmpl.set_custom_escape([](const std::string& s) { return s; });
  return tmpl.render(vars);
}

// Sections a right does not have leave blank lines behind: one is enough.
std::string single_blank_lines(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' && out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') continue;
    out += c;
  }
  return out;
}

std::string text_of(const data& vars, const char* key) {
  const data* v = vars.get(key);
  return v && v->is_string() ? v->string_value() : "";
}

// A heading's underline in the plain text: as many '=' as it has characters.
std::string underline(const std::string& utf8) {
  size_t characters = 0;
  for (unsigned char c : utf8) characters += (c & 0xC0) != 0x80;
  return std::string(characters, '=');
}

// The subject names no benefit: it shows on lock screens, in shared
// mailboxes and through a window envelope's neighbour, and a benefit says
// much of a household's situation.
std::string subject_of(const std::vector<data>& rights) {
  if (rights.size() == 1 && text_of(rights.front(), "action") == "grant_notice") return "Une demande est transmise pour vous";
  return "Information sur vos droits";
}

// The variables of a message telling of `rights_json` (each the planner's
// notice JSON of one right, in the order given): what the rights share
// (the person, the letterhead, the GDPR information) from the first, and
// `rights`, each with is_notify, is_possible or is_grant and its own code.
Result<data> variables(const std::vector<std::string>& rights_json) {
  if (rights_json.empty()) return Error{ErrorKind::kInternal, "a message with no right to tell of"};
  simdjson::ondemand::parser parser;
  std::vector<data> rights;
  std::vector<std::vector<std::string>> keys;  // each right's own, in order
  try {
    for (const std::string& json : rights_json) {
      simdjson::padded_string padded(json);
      auto doc = parser.iterate(padded);
      data right{data::type::object};
      keys.emplace_back();
      for (auto field : doc.get_object()) {
        keys.back().emplace_back(field.unescaped_key().value());
        right.set(keys.back().back(), to_data(field.value()));
      }
      const std::string action = text_of(right, "action");
      right.set("is_notify", truth(action == "notify"));
      right.set("is_possible", truth(action == "notify_possible"));
      right.set("is_grant", truth(action == "grant_notice"));
      right.set("title_rule", underline(text_of(right, "title")));
      for (auto [flag, list] : {std::pair{"has_results", "results"}, std::pair{"has_to_confirm", "to_confirm"},
                                std::pair{"has_missing", "missing"}}) {
        const data* items = right.get(list);
        right.set(flag, truth(items && items->is_non_empty_list()));
      }
      const data* claim = right.get("claim");
      const data* documents = claim ? claim->get("documents") : nullptr;
      right.set("has_documents", truth(documents && documents->is_non_empty_list()));
      right.set("data_date_fr", french_long_date(text_of(right, "data_date")));
      if (const std::string accepted = text_of(right, "accepted_on"); !accepted.empty())
        right.set("accepted_on_fr", french_long_date(accepted));
      rights.push_back(std::move(right));
    }
  } catch (const simdjson::simdjson_error& e) {
    return Error{ErrorKind::kInternal, std::string("a stored message is not valid JSON: ") + e.what()};
  }
  // A name a right does not give is looked up in the message's own values,
  // which are the first right's: the C2S's acceptance with the RSA claim was
  // printed in the section of the M Réso fare that followed it. Every right
  // gives every name another right gives, false where it has none.
  for (size_t r = 0; r < rights.size(); ++r)
    for (size_t other = 0; other < rights.size(); ++other)
      for (const std::string& key : keys[other])
        if (std::find(keys[r].begin(), keys[r].end(), key) == keys[r].end()) {
          rights[r].set(key, data(data::type::bool_false));
          keys[r].push_back(key);
        }
  data vars = rights.front();
  vars.set("subject", subject_of(rights));
  vars.set("several", truth(rights.size() > 1));
  bool grant = false;
  for (const data& r : rights) grant |= text_of(r, "action") == "grant_notice";
  vars.set("any_grant", truth(grant));
  data list{data::type::list};
  for (auto& r : rights) list.push_back(std::move(r));
  vars.set("rights", list);
  return vars;
}

}  // namespace

std::string letter_recipient(const std::string& right_json) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(right_json);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return "";
  std::string lines[3];
  const char* keys[] = {"name", "address", "town"};
  for (size_t k = 0; k < 3; ++k) {
    std::string_view v;
    if (doc[keys[k]].get_string().get(v) != simdjson::SUCCESS) return "";
    lines[k] = std::string(v);
    doc.rewind();
  }
  if (lines[1].empty() || lines[2].empty()) return "";
  return lines[0] + "\n" + lines[1] + "\n" + lines[2];
}

Result<std::string> render_sms(const std::string& dir, const std::vector<std::string>& rights_json) {
  auto vars = variables(rights_json);
  if (!vars) return vars.error();
  auto text = render(dir + "/message.sms.mustache", *vars, false);
  if (!text) return text.error();
  // One line: the template's line breaks are for its reader.
  std::string line;
  for (char c : *text) {
    if (c == '\n') c = ' ';
    if (c == ' ' && (line.empty() || line.back() == ' ')) continue;
    line += c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::string out;
  append_json_string(out, line);
  return out;
}

Result<RenderedMessage> render_message(const std::string& dir, const std::vector<std::string>& rights_json) {
  auto got = variables(rights_json);
  if (!got) return got.error();
  const data& vars = *got;
  RenderedMessage m;
  auto text = render(dir + "/message.txt.mustache", vars, false);
  if (!text) return text.error();
  auto html = render(dir + "/message.html.mustache", vars, true);
  if (!html) return html.error();
  m.subject = text_of(vars, "subject");
  m.text = single_blank_lines(*text);
  m.html = *html;
  m.date = text_of(vars, "date");
  for (const data& r : vars.get("rights")->list_value()) m.codes.push_back(text_of(r, "code"));
  m.reference = m.codes.front();
  if (const std::string url = text_of(vars, "verify_url"); !url.empty()) m.verify_url = url + "?code=" + m.codes.front();
  if (const data* l = vars.get("letterhead"); l && l->is_object()) {
    m.from.name = text_of(*l, "name");
    m.from.logo = text_of(*l, "logo");
    m.from.town = text_of(*l, "town");
    m.from.signatory = text_of(*l, "signatory");
    m.from.signatory_title = text_of(*l, "signatory_title");
    for (auto [key, lines] : {std::pair{"address", &m.from.address}, std::pair{"contact", &m.from.contact}})
      if (const data* items = l->get(key); items && items->is_list())
        for (const data& item : items->list_value())
          if (item.is_string()) lines->push_back(item.string_value());
  }
  return m;
}

}  // namespace proactif
