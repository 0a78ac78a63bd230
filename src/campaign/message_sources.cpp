#include "campaign/message_sources.hpp"

#include <simdjson.h>

#include "core/date.hpp"
#include "core/json_text.hpp"

namespace proactif {

namespace {

struct Told {
  std::vector<std::pair<std::string, std::string>> data;  // label, source
  std::string accepted_on;
};

// A message this program wrote, or a `told` it stored: unreadable, nothing.
Told read(const std::string& json) {
  Told out;
  if (json.empty()) return out;
  try {
    simdjson::ondemand::parser parser;
    simdjson::padded_string padded(json);
    simdjson::ondemand::document doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key();
      if (key == "accepted_on") {
        std::string_view day;
        if (field.value().get_string().get(day) == simdjson::SUCCESS) out.accepted_on = std::string(day);
      } else if (key == "data") {
        for (auto item : field.value().get_array()) {
          std::string label, source;
          for (auto member : item.get_object()) {
            const std::string_view name = member.unescaped_key();
            if (name == "label") label = std::string(std::string_view(member.value().get_string()));
            else if (name == "source") source = std::string(std::string_view(member.value().get_string()));
          }
          out.data.emplace_back(std::move(label), std::move(source));
        }
      }
    }
  } catch (const simdjson::simdjson_error&) {
    return {};
  }
  return out;
}

}  // namespace

std::string told_of(const std::string& message_json) {
  const Told told = read(message_json);
  if (told.data.empty() && told.accepted_on.empty()) return "";
  std::string out = "{\"data\": [";
  for (size_t i = 0; i < told.data.size(); ++i) {
    out += i ? ", {\"label\": " : "{\"label\": ";
    append_json_string(out, told.data[i].first);
    out += ", \"source\": ";
    append_json_string(out, told.data[i].second);
    out += "}";
  }
  out += "], \"accepted_on\": ";
  if (told.accepted_on.empty()) out += "null";
  else append_json_string(out, told.accepted_on);
  return out + "}";
}

std::string told_in_french(const std::string& told_json) {
  const Told told = read(told_json);
  std::string out;
  for (const auto& [label, source] : told.data) out += "      " + label + " — source : " + source + "\n";
  if (auto day = parse_iso_date(told.accepted_on))
    out += "      Accord pour la transmission de la demande, du " + format_french_date(*day) + "\n";
  return out;
}

}  // namespace proactif
