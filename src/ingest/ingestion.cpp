// Reading extracts into a population: each extract through its mapping,
// bad rows set aside in a rejects file, identities linked across extracts,
// and the population snapshot built from what was accepted. Personal data
// never goes to the messages: only counts and reasons do; values go to the
// rejects file, for correction.
#include "ingest/ingestion.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/json_text.hpp"
#include "core/output_file.hpp"
#include "core/spreadsheet_cell.hpp"
#include "identity/identity_records.hpp"
#include "identity/insured_dependants.hpp"
#include "identity/rows_by_text.hpp"
#include "identity/unhoused_rows.hpp"
#include "ingest/snapshot_builder.hpp"
#include "sources/csv_reader.hpp"
#include "sources/extract_reader.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

// Accepted rows in a canonical form (sorted, one JSON object per line), to
// compare what different files of the same extract give.
Result<void> write_dump(OutputFile& dump, const SourceMapping& m, std::vector<ExtractRow>& rows) {
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
  dump.write(out);
  if (dump.failed()) return dump.error();
  return {};
}

// The ground truth of a synthetic population: "source\x1frecord" -> person.
Result<std::unordered_map<std::string, uint64_t>> read_truth(const std::string& path) {
  std::unordered_map<std::string, uint64_t> truth;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error{ErrorKind::kNotFound, path + ": cannot open the ground truth"};
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

std::vector<PairToReview> pairs_to_review(const std::vector<IdentityRecord>& records, const StringPool& record_ids,
                                          const std::vector<std::string>& source_names, const LinkageResult& linkage) {
  std::vector<PairToReview> out;
  for (const auto& pair : linkage.review) {
    PairToReview p;
    for (const auto& f : pair.fields) {
      char w[32];
      std::snprintf(w, sizeof w, "%+.1f", f.weight);
      p.fields += std::string(p.fields.empty() ? "" : ", ") + f.field + " " + f.level + " " + w;
    }
    p.weight = pair.weight;
    p.source_a = source_names[records[pair.a].source];
    p.record_a = record_ids.at(pair.a);
    p.source_b = source_names[records[pair.b].source];
    p.record_b = record_ids.at(pair.b);
    if (std::tie(p.source_b, p.record_b) < std::tie(p.source_a, p.record_a)) {
      std::swap(p.source_a, p.source_b);
      std::swap(p.record_a, p.record_b);
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<void> write_review(const std::string& path, const std::vector<PairToReview>& pairs) {
  OutputFile out(path);
  out << "weight;source_a;record_a;source_b;record_b;fields\n";
  for (const auto& pair : pairs) {
    char weight[32];
    std::snprintf(weight, sizeof weight, "%g;", pair.weight);
    std::string line = weight;
    for (const std::string* cell : {&pair.source_a, &pair.record_a, &pair.source_b, &pair.record_b}) {
      append_spreadsheet_cell(line, *cell);
      line += ';';
    }
    append_spreadsheet_cell(line, pair.fields);
    out << line << "\n";
  }
  return out.commit();
}

// The reviewers' decisions as pairs of record indexes; a decision on a
// record these extracts no longer hold is counted, not applied.
struct AppliedReviews {
  size_t same = 0, different = 0, absent = 0;
};
AppliedReviews apply_reviews(const std::vector<ReviewedPair>& reviewed, const StringPool& record_ids,
                             const std::vector<IdentityRecord>& records, const std::vector<std::string>& source_names,
                             LinkageOptions& linking) {
  AppliedReviews counts;
  if (reviewed.empty()) return counts;
  auto key = [](std::string_view source, std::string_view record) {
    return std::string(source) + '\x1f' + std::string(record);
  };
  std::unordered_map<std::string, std::vector<uint32_t>> wanted;  // only the records decisions name
  for (const auto& r : reviewed) {
    wanted.emplace(key(r.source_a, r.record_a), std::vector<uint32_t>());
    wanted.emplace(key(r.source_b, r.record_b), std::vector<uint32_t>());
  }
  for (uint32_t i = 0; i < records.size(); ++i) {
    auto it = wanted.find(key(source_names[records[i].source], record_ids.at(i)));
    if (it != wanted.end()) it->second.push_back(i);
  }
  for (const auto& r : reviewed) {
    const auto& as = wanted[key(r.source_a, r.record_a)];
    const auto& bs = wanted[key(r.source_b, r.record_b)];
    if (as.empty() || bs.empty()) {
      ++counts.absent;
      continue;
    }
    ++(r.same_person ? counts.same : counts.different);
    for (uint32_t a : as)
      for (uint32_t b : bs) (r.same_person ? linking.same_person : linking.different_persons).push_back({a, b});
  }
  return counts;
}

// How many persons `entries` name, each once (`person_of` gives an entry's).
template <typename Entries, typename PersonOf>
size_t distinct_persons(const Entries& entries, uint32_t persons, PersonOf person_of) {
  std::vector<uint8_t> seen(persons, 0);
  size_t distinct = 0;
  for (const auto& e : entries) distinct += !seen[person_of(e)]++;
  return distinct;
}

}  // namespace

Ingestion ingest_extracts(const std::vector<std::string>& mappings, const IngestOptions& options, std::ostream& out,
                          std::ostream& err) {
  std::vector<IdentityRecord> identities;
  StringPool identity_texts, record_ids;  // normalised traits; each record's id, by record
  std::vector<std::string> source_names, record_keys, not_read;
  std::map<std::string, std::shared_ptr<const std::unordered_set<size_t>>> lines_set_aside;
  std::vector<bool> mapping_groups;  // per extract read: it groups persons into households
  std::vector<ReadExtract> extracts;  // kept only to build a snapshot
  // Rows set aside by the extracts that list persons without a household,
  // read as far as they could be: whose they may be is found after linkage.
  std::vector<IdentityRecord> rejected_identities;
  std::vector<std::string> rejected_at;  // per row set aside: "drm.csv line 8: the NIR key does not match"
  size_t unidentified_rejects = 0;  // of those, rows without an identity to find whose they are
  std::unordered_map<size_t, bool> lines_identified;  // per row set aside of the extract being read
  // Rows set aside that could not be read as written, with their text.
  struct UnreadableRow {
    uint32_t source;
    std::string text, at;
  };
  std::vector<UnreadableRow> unreadable;
  std::unordered_set<size_t> unreadable_lines;  // of the extract being read
  // Rows of a household extract set aside without their household's
  // identifier: a member the household is without, which is not known.
  std::vector<UnhousedRow> unhoused;
  std::unordered_set<size_t> unhoused_lines;  // of the extract being read: set aside naming no household
  StringPool strings;
  std::optional<OutputFile> dump;
  if (!options.dump.empty()) dump.emplace(options.dump);
  std::vector<Error> errors;
  auto report = [&](Error e) {
    err << "proactif: " << e.message << "\n";
    errors.push_back(std::move(e));
  };
  auto fail = [&](Error e) {
    report(std::move(e));
    return Ingestion{2, std::move(errors), std::nullopt};
  };
  std::unique_ptr<Territory> territory;
  int status = 0;
  size_t rows_rejected = 0;
  for (const auto& file : mappings) {
    auto mapping = load_source_mapping(file);
    if (!mapping) {
      report(mapping.error());
      status = 2;
      continue;
    }
    SourceMapping& m = *mapping;
    const bool whole = !m.contacts.empty() || (options.nirs_needed && std::any_of(m.columns.begin(), m.columns.end(),
                                                                                 [](const ColumnMapping& c) {
                                                                                   return c.variable == "nir";
                                                                                 }));
    if (!options.variables_read.empty() && !whole) {
      std::erase_if(m.columns, [&](const ColumnMapping& c) {
        return !identity_variable(c.variable) && !options.variables_read.count(c.variable);
      });
      // One that ties dependants to their insured says who a household may
      // be without (insured_dependants.hpp): read for that alone too, where
      // that is read.
      const bool gives = std::any_of(m.columns.begin(), m.columns.end(), [&](const ColumnMapping& c) {
        return (!identity_variable(c.variable) && c.variable != "commune" && c.variable != "role") ||
               (c.variable == "insured_nir" && options.variables_read.count(c.variable));
      });
      if (!gives) {
        out << m.source << " " << m.extract << " (" << m.path << "): not read, it gives none of the data the programs "
            << "read (identities alone)\n";
        not_read.push_back(file);
        continue;
      }
    }
    bool needs_territory = std::any_of(m.columns.begin(), m.columns.end(),
                                       [](const ColumnMapping& c) { return c.type == FieldType::kCommune; });
    if (needs_territory && !territory) {
      auto t = Territory::load(options.territory_dir);
      if (!t) return fail(t.error());
      territory = std::make_unique<Territory>(std::move(*t));
    }
    std::string rejects_path = (fs::path(options.rejects_dir) / (fs::path(file).stem().string() + ".rejects.csv")).string();
    OutputFile rejects(rejects_path);
    rejects << "file;line;column;value;reason\n";
    std::vector<ExtractRow> accepted;
    if (options.build_snapshot) extracts.emplace_back(m, strings);
    uint32_t source = static_cast<uint32_t>(source_names.size());
    source_names.push_back(m.source);
    mapping_groups.push_back(!m.person_id.empty() && m.person_id != m.household_id);
    IdentityReader identity(m, source);
    auto set_aside = std::make_shared<std::unordered_set<size_t>>();
    auto stats = read_extract(
        m, territory.get(),
        [&](const ExtractRow& row) {
          if (!options.dump.empty()) accepted.push_back(row);
          if (options.build_snapshot) extracts.back().add(row);
          identities.push_back(identity.read(row, identity_texts));
          const std::string& id = m.person_id.empty() ? row.household : row.person;
          record_ids.add(id);
          if (!options.truth_path.empty()) record_keys.push_back(m.source + '\x1f' + id);
        },
        [&](const Rejection& r) {
          if (options.build_snapshot) extracts.back().add_rejected(r);
          set_aside->insert(r.line);
          if (r.household.empty() && mapping_groups.back()) unhoused_lines.insert(r.line);
          std::string line;
          append_spreadsheet_cell(line, r.file);
          line += ';' + std::to_string(r.line) + ';';
          append_spreadsheet_cell(line, r.column);
          line += ';';
          append_spreadsheet_cell(line, r.value);
          line += ';';
          append_spreadsheet_cell(line, r.reason);
          rejects << line << "\n";
        },
        [&](const ExtractRow& row, const std::string& reason) {
          if (!options.build_snapshot) return;
          // A household extract names the household of its rows set aside;
          // one that does not is looked for among those of its family name.
          if (mapping_groups.back()) {
            if (!unhoused_lines.erase(row.line)) return;
            // Its household read again from what came before a fault (a
            // JSON line broken after its key): that household is incomplete.
            if (!row.household.empty())
              extracts.back().add_rejected({m.path, row.line, "", "", reason, row.household, row.person});
            else
              unhoused.push_back({identity.read(row, identity_texts), row.unread_family_names,
                                  fs::path(m.path).filename().string() + " line " + std::to_string(row.line) + ": " + reason});
            return;
          }
          // A row whose fields a separator moved is read once per place it
          // may stand (extract_reader.cpp): each reading with an identity
          // is weighed.
          bool& identified = lines_identified[row.line];
          auto at = [&] { return fs::path(m.path).filename().string() + " line " + std::to_string(row.line) + ": " + reason; };
          if (!row.text.empty() && unreadable_lines.insert(row.line).second) unreadable.push_back({source, row.text, at()});
          IdentityRecord who = identity.read(row, identity_texts);
          if (who.nir == IdentityRecord::kNone && who.ine == IdentityRecord::kNone && !who.has_birth &&
              who.family_names[0] == IdentityRecord::kNone)
            return;
          identified = true;
          rejected_identities.push_back(who);
          rejected_at.push_back(at());
        });
    for (const auto& [line, identified] : lines_identified) unidentified_rejects += !identified;
    lines_identified.clear();
    unreadable_lines.clear();
    unhoused_lines.clear();
    if (!stats) {
      report(stats.error());
      status = 2;
      continue;
    }
    // Every row read is accepted or set aside, and what is set aside is on
    // disk before anything says so.
    if (stats->read != stats->accepted + stats->rejected)
      return fail(Error{ErrorKind::kInternal, m.path + ": " + std::to_string(stats->read) + " rows read but " + std::to_string(stats->accepted) +
                  " accepted and " + std::to_string(stats->rejected) + " rejected: the counts do not add up"});
    if (auto written = rejects.commit(); !written.ok()) return fail(written.error());
    rows_rejected += stats->rejected;
    lines_set_aside[file] = std::move(set_aside);
    if (options.build_snapshot) extracts.back().stats = *stats;
    out << m.source << " " << m.extract << " (" << m.path << "): " << stats->read << " rows read, "
              << stats->accepted << " accepted, " << stats->rejected << " rejected";
    if (stats->rejected) out << ", set aside in " << rejects_path;
    out << "\n";
    for (const auto& [reason, count] : stats->reasons) out << "  " << count << "  " << reason << "\n";
    if (dump)
      if (auto written = write_dump(*dump, m, accepted); !written.ok()) return fail(written.error());
  }
  if (dump)
    if (auto written = dump->commit(); !written.ok()) return fail(written.error());
  if (status == 0 && rows_rejected > 0) status = 1;
  if (status == 2 || identities.empty()) return {status, std::move(errors), std::nullopt};

  identity_texts.drop_index();
  LinkageOptions linking;
  for (size_t e = 0; e < mapping_groups.size(); ++e)
    if (mapping_groups[e]) linking.grouping_sources |= uint64_t{1} << (e % 64);
  const AppliedReviews reviewed = apply_reviews(options.reviewed, record_ids, identities, source_names, linking);
  LinkageResult linkage = link_records(identities, identity_texts, linking);
  size_t under_review = 0;
  for (auto r : linkage.under_review) under_review += r;
  std::vector<PairToReview> review = pairs_to_review(identities, record_ids, source_names, linkage);
  // On disk before anything says it is there.
  if (auto written = write_review(options.review_path, review); !written.ok()) return fail(written.error());
  out << "linkage: " << identities.size() << " records, " << linkage.persons << " persons; "
            << linkage.linked_by_identifier << " links by NIR or INE, " << linkage.linked_by_weight
            << " by identity traits (" << linkage.compared << " pairs compared";
  if (linkage.kept_apart_by_nir) out << ", " << linkage.kept_apart_by_nir << " alike but of two NIRs kept apart";
  out << "); " << linkage.review.size()
            << " pairs to review, " << under_review << " persons under review ("
            << 100.0 * static_cast<double>(under_review) / std::max<double>(1, linkage.persons) << " %) in "
            << options.review_path << "\n";
  if (!options.reviewed.empty())
    out << "  reviewers' decisions applied: " << reviewed.same << " the same person, " << reviewed.different
        << " two persons; not applied: " << reviewed.absent << " (a record no longer in these extracts)\n";
  if (!linkage.unplaced.empty()) {
    const size_t persons = distinct_persons(linkage.unplaced, linkage.persons, [](const auto& u) { return u.person; });
    out << "  " << persons << " persons resemble a record that no other joined (a link missed?): their households are "
                              "marked incomplete, and nobody decides on them\n";
  }
  std::vector<PersonDoubt> doubts;
  {
    // One row read in several ways may resemble a person in more than one.
    std::set<std::pair<uint32_t, std::string>> said;
    std::unordered_set<std::string> placed_rows;
    for (const auto& placed : place_rejected(rejected_identities, identities, identity_texts, linkage, linking)) {
      placed_rows.insert(rejected_at[placed.record]);
      if (said.emplace(placed.person, rejected_at[placed.record]).second)
        doubts.push_back({placed.person, "a row that may be theirs was rejected at " + rejected_at[placed.record]});
    }
    // Those whose readings resemble nobody: whose names and dates their text holds.
    if (std::any_of(unreadable.begin(), unreadable.end(), [&](const auto& u) { return !placed_rows.count(u.at); })) {
      const RowsByText by_text(identities, identity_texts, linkage);
      for (const UnreadableRow& u : unreadable) {
        if (placed_rows.count(u.at)) continue;
        for (uint32_t person : by_text.persons_named_in(u.text, u.source))
          if (said.emplace(person, u.at).second)
            doubts.push_back({person, "a row that may be theirs was rejected at " + u.at});
      }
    }
  }
  if (!doubts.empty()) {
    const size_t persons = distinct_persons(doubts, linkage.persons, [](const auto& d) { return d.person; });
    out << "  " << persons << " persons resemble a row set aside by an extract that lists persons alone: their "
                              "households are marked incomplete, and nobody decides on them\n";
  }
  // A member's row that names no household (its identifier empty) may be
  // of any household of the extract whose members bear its family name, in
  // its commune where both give one: each is incomplete, rather than
  // decided without them (a tester's finding: a child's row so set aside,
  // the household's RSA computed without the child).
  if (!unhoused.empty()) {
    const size_t before = doubts.size();
    size_t unplaced = 0;
    const auto persons_of = persons_of_its_name(unhoused, identities, identity_texts, linkage);
    for (size_t i = 0; i < unhoused.size(); ++i) {
      unplaced += persons_of[i].empty();
      for (uint32_t person : persons_of[i])
        doubts.push_back({person, "a row that may be of their household was rejected at " + unhoused[i].at +
                                      " (a member of the same family name)"});
    }
    const size_t persons = distinct_persons(std::vector<PersonDoubt>(doubts.begin() + static_cast<long>(before), doubts.end()),
                                            linkage.persons, [](const auto& d) { return d.person; });
    out << "  " << unhoused.size() << " rows of a household extract set aside give no household identifier: "
        << persons << " persons of the same family name (and commune) have their households marked incomplete, and "
                      "nobody decides on them";
    if (unplaced)
      out << "; " << unplaced << " of these rows resemble no household (no family name read, or another than its "
                                 "household's): their households are decided without them until the extract is "
                                 "corrected";
    out << "\n";
  }
  size_t insured_unknown = 0;
  const auto dependants =
      unlisted_dependants(identities, rejected_identities, linkage, linking.grouping_sources, &insured_unknown);
  for (const auto& d : dependants) {
    if (d.set_aside) {
      doubts.push_back({d.insured, "the row of a dependant covered through this person (insured_nir) was rejected at " +
                                       rejected_at[d.record] + ": the household may be without them"});
      continue;
    }
    const std::string& source = source_names[identities[d.record].source];
    doubts.push_back({d.insured, "the " + source + " covers a dependant through this person (" + source + ":" +
                                     std::string(record_ids.at(d.record)) +
                                     ", insured_nir) whom no household extract lists: the household may be without "
                                     "them"});
  }
  if (!dependants.empty()) {
    const size_t persons = distinct_persons(dependants, linkage.persons, [](const auto& d) { return d.insured; });
    out << "  " << persons << " persons cover through their insurance a dependant whom no household extract lists (a "
                              "newborn, a spouse not declared?), or whose row was set aside: their households are "
                              "marked incomplete, and nobody decides on them\n";
  }
  if (insured_unknown)
    out << "  " << insured_unknown << " records of dependants whom no household extract lists name an insured whom none "
                                      "lists either (or a NIR mistyped): whose household they may be missing from is not "
                                      "known\n";
  if (unidentified_rejects)
    out << "  " << unidentified_rejects << " rows set aside carry no identity (NIR, birth date or name): whose they "
                                           "are is not known, and what they held is missing for someone\n";
  if (options.linkage_weights) {
    out << "  weights (log2 m/u):";
    const char* field = "";
    for (const auto& w : linkage.weights) {
      if (std::strcmp(field, w.field) != 0) out << "\n    " << (field = w.field) << ":";
      char weight[64];
      std::snprintf(weight, sizeof weight, " %s %+.1f", w.level, std::log2(w.m / w.u));
      out << weight;
    }
    out << "\n";
  }
  if (!options.truth_path.empty()) {
    auto truth = read_truth(options.truth_path);
    if (!truth) return fail(truth.error());
    LinkageQuality q = linkage_quality(record_keys, linkage, *truth);
    char quality[256];
    std::snprintf(quality, sizeof quality, "against the ground truth (%zu records): precision %.2f %%, recall %.2f %% (pairs of records: %zu linked, %zu true, %zu both)\n",
                q.records_in_truth, 100 * q.precision(), 100 * q.recall(), q.linked_pairs, q.true_pairs, q.correct_pairs);
    out << quality;
  }
  Ingestion done{status, std::move(errors), std::nullopt, std::move(source_names), std::move(not_read), std::move(review),
                 std::move(lines_set_aside)};
  if (options.build_snapshot) done.snapshot = build_snapshot(extracts, linkage, std::move(strings), doubts);
  return done;
}

}  // namespace proactif
