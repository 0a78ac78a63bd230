#include "sources/yaml_to_json.hpp"

#include <charconv>

#include "core/json_text.hpp"

namespace proactif {

namespace {

bool is_number(const std::string& s) {
  double d;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

void append_yaml_as_json(std::string& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: out += "null"; return;
    case YAML::NodeType::Sequence: {
      out += '[';
      bool first = true;
      for (const auto& item : node) {
        if (!first) out += ", ";
        first = false;
        append_yaml_as_json(out, item);
      }
      out += ']';
      return;
    }
    case YAML::NodeType::Map: {
      out += '{';
      bool first = true;
      for (const auto& kv : node) {
        if (!first) out += ", ";
        first = false;
        append_json_string(out, kv.first.as<std::string>());
        out += ": ";
        append_yaml_as_json(out, kv.second);
      }
      out += '}';
      return;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() != "!") {  // plain, not quoted
        if (s == "null" || s == "~") { out += "null"; return; }
        if (s == "true" || s == "false") { out += s; return; }
        if (is_number(s)) { out += s; return; }
      }
      append_json_string(out, s);
      return;
    }
  }
}

}  // namespace proactif
