// proactif ingest: reads administrations' extracts through their mappings,
// sets bad rows aside in a rejects file, and prints what was read, accepted
// and rejected, by reason. Personal data never goes to the terminal: only
// counts and reasons do; values go to the rejects file, for correction.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/program_catalog.hpp"
#include "core/json_text.hpp"
#include "sources/extract_reader.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

void append_csv_field(std::string& out, const std::string& value) {
  bool quote = value.find_first_of(";\"\n\r") != std::string::npos;
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
}

// Accepted rows in a canonical form (sorted, one JSON object per line), to
// compare what different files of the same extract give.
void write_dump(const std::string& path, const SourceMapping& m, std::vector<ExtractRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const ExtractRow& a, const ExtractRow& b) {
    return std::tie(a.household, a.person) < std::tie(b.household, b.person);
  });
  std::string out;
  for (const auto& r : rows) {
    out += "{\"source\": ";
    append_json_string(out, m.source);
    out += ", \"extract\": ";
    append_json_string(out, m.extract);
    out += ", \"household\": ";
    append_json_string(out, r.household);
    if (!m.person_id.empty()) {
      out += ", \"person\": ";
      append_json_string(out, r.person);
    }
    out += ", \"values\": {";
    for (size_t i = 0; i < m.columns.size(); ++i) {
      if (i) out += ", ";
      append_json_string(out, m.columns[i].variable);
      out += ": ";
      const FieldValue& v = r.values[i];
      if (!v.known) {
        out += "null";
        continue;
      }
      switch (m.columns[i].type) {
        case FieldType::kNumber: append_json_number(out, v.number); break;
        case FieldType::kBoolean: out += v.number != 0 ? "true" : "false"; break;
        case FieldType::kDate: append_json_string(out, format_iso_date(static_cast<Days>(v.number))); break;
        default: append_json_string(out, v.text);
      }
    }
    out += "}}\n";
  }
  std::ofstream(path, std::ios::app) << out;
}

}  // namespace

int ingest_command(const Args& args) {
  std::vector<std::string> mappings;
  std::string rejects_dir = "rejects", dump;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rejects-dir" && i + 1 < args.size()) rejects_dir = args[++i];
    else if (args[i] == "--dump" && i + 1 < args.size()) dump = args[++i];
    else if (args[i].rfind("--", 0) == 0) {
      std::cerr << "usage: proactif ingest <mapping.yaml>... [--rejects-dir DIR] [--dump FILE]\n";
      return 2;
    } else {
      mappings.push_back(args[i]);
    }
  }
  if (mappings.empty()) {
    std::cerr << "usage: proactif ingest <mapping.yaml>... [--rejects-dir DIR] [--dump FILE]\n";
    return 2;
  }
  if (!dump.empty()) std::ofstream(dump, std::ios::trunc);
  std::unique_ptr<Territory> territory;
  int status = 0;
  for (const auto& file : mappings) {
    auto mapping = load_source_mapping(file);
    if (!mapping) {
      std::cerr << "proactif: " << mapping.error().message << "\n";
      status = 2;
      continue;
    }
    const SourceMapping& m = *mapping;
    bool needs_territory = std::any_of(m.columns.begin(), m.columns.end(),
                                       [](const ColumnMapping& c) { return c.type == FieldType::kCommune; });
    if (needs_territory && !territory) {
      auto t = Territory::load(territory_dir());
      if (!t) {
        std::cerr << "proactif: " << t.error().message << "\n";
        return 2;
      }
      territory = std::make_unique<Territory>(std::move(*t));
    }
    fs::create_directories(rejects_dir);
    std::string rejects_path = (fs::path(rejects_dir) / (fs::path(file).stem().string() + ".rejects.csv")).string();
    std::ofstream rejects(rejects_path);
    rejects << "file;line;column;value;reason\n";
    std::vector<ExtractRow> accepted;
    auto stats = read_extract(
        m, territory.get(),
        [&](const ExtractRow& row) {
          if (!dump.empty()) accepted.push_back(row);
        },
        [&](const Rejection& r) {
          std::string line;
          append_csv_field(line, r.file);
          line += ';' + std::to_string(r.line) + ';';
          append_csv_field(line, r.column);
          line += ';';
          append_csv_field(line, r.value);
          line += ';';
          append_csv_field(line, r.reason);
          rejects << line << '\n';
        });
    if (!stats) {
      std::cerr << "proactif: " << stats.error().message << "\n";
      status = 2;
      continue;
    }
    std::cout << m.source << " " << m.extract << " (" << m.path << "): " << stats->read << " rows read, "
              << stats->accepted << " accepted, " << stats->rejected << " rejected";
    if (stats->rejected) std::cout << ", set aside in " << rejects_path;
    std::cout << "\n";
    for (const auto& [reason, count] : stats->reasons) std::cout << "  " << count << "  " << reason << "\n";
    if (!dump.empty()) write_dump(dump, m, accepted);
  }
  return status;
}

}  // namespace proactif
