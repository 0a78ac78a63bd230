// proactif ingest: reads administrations' extracts through their mappings,
// sets bad rows aside in a rejects file, and prints what was read, accepted
// and rejected, by reason. Personal data never goes to the terminal: only
// counts and reasons do; values go to the rejects file, for correction.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unordered_map>

#include "cli/commands.hpp"
#include "cli/program_catalog.hpp"
#include "core/json_text.hpp"
#include "identity/identity_records.hpp"
#include "population/snapshot_builder.hpp"
#include "sources/csv_reader.hpp"
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

// The ground truth of a synthetic population: "source\x1frecord" -> person.
Result<std::unordered_map<std::string, uint64_t>> read_truth(const std::string& path) {
  std::unordered_map<std::string, uint64_t> truth;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error{path + ": cannot open the ground truth"};
  auto decoder = TextDecoder::open("utf-8");
  bool header = true;
  auto read = read_csv(f, path, *decoder, {}, [&](const CsvRecord& r) {
    if (header || r.fields.size() < 3) {
      header = false;
      return;
    }
    truth[r.fields[1] + '\x1f' + r.fields[2]] = std::stoull(r.fields[0]);
  });
  std::fclose(f);
  if (!read) return read.error();
  return truth;
}

void write_review(const std::string& path, const std::vector<IdentityRecord>& records, const StringPool& record_ids,
                  const std::vector<std::string>& source_names, const LinkageResult& linkage) {
  std::ofstream out(path);
  out << "weight;source_a;record_a;source_b;record_b;fields\n";
  for (const auto& pair : linkage.review) {
    std::string fields;
    for (const auto& f : pair.fields) {
      char w[32];
      std::snprintf(w, sizeof w, "%+.1f", f.weight);
      fields += std::string(fields.empty() ? "" : ", ") + f.field + " " + f.level + " " + w;
    }
    const IdentityRecord& a = records[pair.a];
    const IdentityRecord& b = records[pair.b];
    out << pair.weight << ';' << source_names[a.source] << ';' << record_ids.at(pair.a) << ';'
        << source_names[b.source] << ';' << record_ids.at(pair.b) << ';' << fields << '\n';
  }
}

constexpr const char* kUsage =
    "usage: proactif ingest <mapping.yaml>... [--snapshot FILE] [--rejects-dir DIR] [--review FILE]\n"
    "                       [--dump FILE] [--truth truth_records.csv]\n";

int ingest_command(const Args& args) {
  std::vector<std::string> mappings;
  std::string rejects_dir = "rejects", dump, truth_path, review_path = "review.csv", snapshot_path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rejects-dir" && i + 1 < args.size()) rejects_dir = args[++i];
    else if (args[i] == "--dump" && i + 1 < args.size()) dump = args[++i];
    else if (args[i] == "--truth" && i + 1 < args.size()) truth_path = args[++i];
    else if (args[i] == "--review" && i + 1 < args.size()) review_path = args[++i];
    else if (args[i] == "--snapshot" && i + 1 < args.size()) snapshot_path = args[++i];
    else if (args[i].rfind("--", 0) == 0) {
      std::cerr << kUsage;
      return 2;
    } else {
      mappings.push_back(args[i]);
    }
  }
  if (mappings.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  std::vector<IdentityRecord> identities;
  StringPool identity_texts, record_ids;  // normalised traits; each record's id, by record
  std::vector<std::string> source_names, record_keys;
  std::vector<ReadExtract> extracts;  // kept only to build a snapshot
  StringPool strings;
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
    if (!snapshot_path.empty()) extracts.emplace_back(m, strings);
    uint32_t source = static_cast<uint32_t>(source_names.size());
    source_names.push_back(m.source);
    IdentityReader identity(m, source);
    auto stats = read_extract(
        m, territory.get(),
        [&](const ExtractRow& row) {
          if (!dump.empty()) accepted.push_back(row);
          if (!snapshot_path.empty()) extracts.back().add(row);
          identities.push_back(identity.read(row, identity_texts));
          const std::string& id = m.person_id.empty() ? row.household : row.person;
          record_ids.add(id);
          if (!truth_path.empty()) record_keys.push_back(m.source + '\x1f' + id);
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
    if (!snapshot_path.empty()) extracts.back().stats = *stats;
    std::cout << m.source << " " << m.extract << " (" << m.path << "): " << stats->read << " rows read, "
              << stats->accepted << " accepted, " << stats->rejected << " rejected";
    if (stats->rejected) std::cout << ", set aside in " << rejects_path;
    std::cout << "\n";
    for (const auto& [reason, count] : stats->reasons) std::cout << "  " << count << "  " << reason << "\n";
    if (!dump.empty()) write_dump(dump, m, accepted);
  }
  if (status != 0 || identities.empty()) return status;

  identity_texts.drop_index();
  LinkageResult linkage = link_records(identities, identity_texts, LinkageOptions{});
  size_t under_review = 0;
  for (auto r : linkage.under_review) under_review += r;
  std::cout << "linkage: " << identities.size() << " records, " << linkage.persons << " persons; "
            << linkage.linked_by_identifier << " links by NIR or INE, " << linkage.linked_by_weight
            << " by identity traits (" << linkage.compared << " pairs compared); " << linkage.review.size()
            << " pairs to review, " << under_review << " persons under review ("
            << 100.0 * static_cast<double>(under_review) / std::max<double>(1, linkage.persons) << " %) in "
            << review_path << "\n";
  write_review(review_path, identities, record_ids, source_names, linkage);
  std::cout << "  weights (log2 m/u):";
  const char* field = "";
  for (const auto& w : linkage.weights) {
    if (std::strcmp(field, w.field) != 0) std::cout << "\n    " << (field = w.field) << ":";
    std::printf(" %s %+.1f", w.level, std::log2(w.m / w.u));
  }
  std::cout << "\n";
  if (!truth_path.empty()) {
    auto truth = read_truth(truth_path);
    if (!truth) {
      std::cerr << "proactif: " << truth.error().message << "\n";
      return 2;
    }
    LinkageQuality q = linkage_quality(record_keys, linkage, *truth);
    std::printf("against the ground truth (%zu records): precision %.2f %%, recall %.2f %% (pairs of records: %zu linked, %zu true, %zu both)\n",
                q.records_in_truth, 100 * q.precision(), 100 * q.recall(), q.linked_pairs, q.true_pairs, q.correct_pairs);
  }
  if (!snapshot_path.empty()) {
    Snapshot snapshot = build_snapshot(extracts, linkage, std::move(strings));
    if (auto err = snapshot.save(snapshot_path)) {
      std::cerr << "proactif: " << err->message << "\n";
      return 2;
    }
    std::printf("population snapshot %s: %zu households, %zu persons, %zu columns, %.0f bytes per person in memory\n",
                snapshot_path.c_str(), snapshot.households(), snapshot.persons(), snapshot.columns.size(),
                static_cast<double>(snapshot.memory_bytes()) / static_cast<double>(std::max<size_t>(1, snapshot.persons())));
  }
  return status;
}

}  // namespace proactif
