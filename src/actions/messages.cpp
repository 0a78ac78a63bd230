#include "actions/messages.hpp"

#include <kainjow/mustache.hpp>
#include <simdjson.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "core/json_text.hpp"

namespace proactif {

std::string templates_dir() {
  const char* env = std::getenv("PROACTIF_TEMPLATES");
  return env && *env ? env : PROACTIF_TEMPLATES_DIR;
}

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
  if (!in) return Error{path + ": cannot read the message template"};
  std::ostringstream s;
  s << in.rdbuf();
  return cache.emplace(path, s.str()).first->second;
}

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
    case simdjson::ondemand::json_type::string: return data(std::string(v.get_string().value()));
    case simdjson::ondemand::json_type::boolean: return v.get_bool().value() ? data(data::type::bool_true) : data(data::type::bool_false);
    default: return data(std::string(simdjson::to_json_string(v).value()));
  }
}

// HTML templates escape what they insert; plain text ones must not.
Result<std::string> render(const std::string& path, const data& vars, bool html) {
  auto text = read_template(path);
  if (!text) return text.error();
  mustache tmpl(*text);
  if (!tmpl.is_valid()) return Error{path + ": " + tmpl.error_message()};
  if (!html) tmpl.set_custom_escape([](const std::string& s) { return s; });
  return tmpl.render(vars);
}


Result<data> variables(const std::string& message_json, std::string& action) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(message_json);
  data vars;
  try {
    auto doc = parser.iterate(json);
    vars = to_data(doc.get_value().value());
    auto* a = vars.get("action");
    if (a && a->is_string()) action = a->string_value();
    // has_X for each list X, so that a template shows a list's heading only when it has items.
    for (const char* list : {"results", "data", "to_confirm", "missing"}) {
      auto* items = vars.get(list);
      bool any = items && items->is_non_empty_list();
      vars.set(std::string("has_") + list, any ? data(data::type::bool_true) : data(data::type::bool_false));
    }
  } catch (const simdjson::simdjson_error& e) {
    return Error{std::string("a stored message is not valid JSON: ") + e.what()};
  }
  return vars;
}

}  // namespace

Result<std::string> render_sms(const std::string& dir, const std::string& message_json) {
  std::string action;
  auto vars = variables(message_json, action);
  if (!vars) return vars.error();
  auto text = render(dir + "/" + action + ".sms.mustache", *vars, false);
  if (!text) return text.error();
  while (!text->empty() && text->back() == '\n') text->pop_back();
  std::string out;
  append_json_string(out, *text);
  return out;
}

Result<RenderedMessage> render_message(const std::string& dir, const std::string& message_json) {
  std::string action;
  auto got = variables(message_json, action);
  if (!got) return got.error();
  const data& vars = *got;
  RenderedMessage m;
  auto text = render(dir + "/" + action + ".txt.mustache", vars, false);
  if (!text) return text.error();
  auto html = render(dir + "/" + action + ".html.mustache", vars, true);
  if (!html) return html.error();
  size_t eol = text->find('\n');
  m.subject = text->substr(0, eol);
  m.text = eol == std::string::npos ? "" : text->substr(eol + 1);
  m.html = *html;
  for (auto [key, field] : {std::pair{"sender", &m.sender}, std::pair{"date", &m.date}})
    if (const data* v = vars.get(key); v && v->is_string()) *field = v->string_value();
  return m;
}

}  // namespace proactif
