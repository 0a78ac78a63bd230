#include "campaign/event_lines.hpp"

#include <algorithm>

#include "core/byte_order_mark.hpp"
#include "core/hidden_characters.hpp"

namespace proactif {

const std::vector<std::string_view>& event_keys() {
  static const std::vector<std::string_view> keys = {"event",     "date",    "claim_date", "family_situation_since",
                                                     "situation", "contact", "refuses"};
  return keys;
}

std::string identifier_problem(std::string_view id) {
  if (id.empty()) return "";
  if (id.front() == ' ' || id.back() == ' ') return "has spaces around it";
  for (size_t i = 0; i < id.size(); ++i)
    if (hidden_character_at(id, i)) return "holds a control or invisible character";
  return "";
}

void without_bom(std::string& line, bool first) {
  if (first && byte_order_mark(line) == ByteOrderMark::kUtf8) line.erase(0, kUtf8ByteOrderMarkLength);
}

void RefusedLines::add(size_t number, const std::string& line) {
  simdjson::dom::element doc;
  simdjson::dom::object event, situation;
  std::string_view id;
  if (parser_.parse(line).get(doc) == simdjson::SUCCESS && doc.get_object().get(event) == simdjson::SUCCESS) {
    const std::vector<std::string_view>& known = event_keys();
    std::vector<std::string_view> keys;
    bool may_refuse = false;
    for (auto field : event) {
      may_refuse |= field.key == "refuses" || std::count(keys.begin(), keys.end(), field.key) ||
                    std::find(known.begin(), known.end(), field.key) == known.end();
      keys.push_back(field.key);
    }
    if (!may_refuse) return;
    if (std::count(keys.begin(), keys.end(), "situation") == 1 &&
        event["situation"].get_object().get(situation) == simdjson::SUCCESS &&
        situation["id"].get_string().get(id) == simdjson::SUCCESS && !id.empty() && identifier_problem(id).empty()) {
      held_[std::string(id)].push_back(number);
      return;
    }
  }
  anyones_.push_back(number);
}

std::string RefusedLines::lines_of(const std::string& household, size_t except) const {
  std::vector<size_t> found = anyones_;
  if (auto h = held_.find(household); h != held_.end()) found.insert(found.end(), h->second.begin(), h->second.end());
  std::sort(found.begin(), found.end());
  std::string out;
  for (size_t n : found)
    if (n != except) out += (out.empty() ? "" : ", ") + std::to_string(n);
  return out;
}

}  // namespace proactif
