// proactif audit: the store's audit trail (who planned, delivered, recorded an
// objection, requeued, purged, checked a code or read a decision, and when).
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "core/json_text.hpp"
#include "store/store.hpp"

namespace proactif {

namespace {

// One entry, one line: an actor or a detail comes partly from outside (a
// login tried, a subject asked for), and a line break in it would print a
// line that looks like another entry. Control characters are written as
// escapes, and the backslash too, so that an escape cannot be forged either.
std::string one_line(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7F || c1) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c1 ? static_cast<unsigned char>(text[++i]) : c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

int audit_command(const AuditArguments& args) {
  const std::string& store_url = args.store_url;
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  auto entries = (*store)->audit_log(args.since_ms);
  if (!entries) {
    std::cerr << "proactif: " << entries.error().message << "\n";
    return 2;
  }
  for (const AuditEntry& e : *entries) {
    const std::string when = iso_timestamp(e.at);
    if (!args.json) {
      std::cout << when << "  " << one_line(e.actor) << "  " << one_line(e.operation) << "  " << one_line(e.detail) << "\n";
      continue;
    }
    std::string line = "{\"at\":";
    append_json_string(line, when);
    for (const auto& [name, value] : {std::pair{"actor", &e.actor}, {"operation", &e.operation}, {"detail", &e.detail}}) {
      line += std::string(",\"") + name + "\":";
      append_json_string(line, *value);
    }
    std::cout << line << "}\n";
  }
  return 0;
}

}  // namespace proactif
