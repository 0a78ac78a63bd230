#include "campaign/retention.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/output_file.hpp"
#include "core/spreadsheet_cell.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

// Links are never followed: a folder shared with another group (a paying
// body's drop folder, a printer's letters) may hold one to elsewhere.
int64_t delete_old_files(const std::vector<WorkingFiles>& places) {
  const auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * RetentionPolicy{}.data_days);
  int64_t removed = 0;
  auto old_file = [&](const fs::directory_entry& entry, const std::string& extension) {
    std::error_code ec;
    return entry.path().extension() == extension && fs::is_regular_file(entry.symlink_status(ec)) && !ec &&
           entry.last_write_time(ec) < limit && !ec;
  };
  for (const auto& place : places) {
    if (place.folder.empty()) continue;
    std::error_code ec, removing;  // a file that cannot be removed does not stop the others
    const fs::directory_entry top(place.folder, ec);
    if (ec) continue;
    if (fs::is_regular_file(top.symlink_status(ec))) {
      removed += old_file(top, place.extension) && fs::remove(top.path(), removing);
      continue;
    }
    if (!fs::is_directory(top.symlink_status(ec))) continue;
    if (!place.recursive) {
      for (auto it = fs::directory_iterator(place.folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        removed += old_file(*it, place.extension) && fs::remove(it->path(), removing);
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(place.folder, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      removed += old_file(*it, place.extension) && fs::remove(it->path(), removing);
  }
  return removed;
}

}  // namespace

std::vector<WorkingFiles> transmission_files(const DeliveryConfig& delivery) {
  if (delivery.transmission_folder.empty()) return {};
  const fs::path drop = delivery.transmission_folder;
  // Proactif's own files only: its batches at the top, the acknowledgements
  // it moved to ack/done/, where ack/ is a real folder.
  std::error_code ec;
  std::vector<WorkingFiles> files = {{drop.string(), ".jsonl", false}};
  if (fs::is_directory(fs::symlink_status(drop / "ack", ec)))
    files.push_back({(drop / "ack" / "done").string(), ".ack", false});
  return files;
}

Result<RetentionReport> apply_retention(Store& store, const std::vector<WorkingFiles>& files, const std::string& actor) {
  RetentionReport report;
  auto purged = store.purge(now_ms());
  if (!purged) return purged.error();
  report.store = *purged;
  report.files_deleted = delete_old_files(files);
  if (report.empty()) return report;
  const PurgeResult& r = report.store;
  if (auto err = store.audit(actor, "retention applied",
                             std::to_string(r.decisions_deleted) + " decisions deleted, " +
                                 std::to_string(r.actions_expired) + " actions expired, " +
                                 std::to_string(r.traces_deleted) + " traces and " +
                                 std::to_string(r.objections_deleted) + " objections deleted, " +
                                 std::to_string(report.files_deleted) + " working files deleted");
      !err.ok())
    return err.error();
  return report;
}

Result<LettersDeleted> delete_objected_letters(Store& store, const std::vector<std::string>& files) {
  LettersDeleted counts;
  std::vector<std::string> gone;
  for (const std::string& file : files) {
    const fs::path path(file);
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(path, ec);
    // Gone already; a folder this process may not read is not that.
    if (status.type() == fs::file_type::not_found) {
      gone.push_back(file);
      continue;
    }
    if (ec || path.extension() != ".pdf" || !fs::is_regular_file(status) || !fs::remove(path, ec)) {
      counts.left.push_back(file);
      continue;
    }
    gone.push_back(file);
    ++counts.deleted;
  }
  if (auto forgotten = store.forget_letters(gone); !forgotten.ok()) return forgotten.error();
  return counts;
}

Unlisted unlist_objected(const std::vector<ObjectionResult::Listed>& listed,
                         const std::function<std::string(const std::string&)>& title_of) {
  Unlisted out;
  // Per file, the household and the right of each line to take out, as
  // the list wrote their cells.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> by_file;
  for (const auto& l : listed) {
    std::string household, right;
    append_spreadsheet_cell(household, l.household);
    append_spreadsheet_cell(right, title_of(l.program));
    by_file[l.file].insert({";" + household + ";", ";" + right + ";"});
  }
  for (const auto& [file, lines] : by_file) {
    const fs::path path(file);
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(path, ec);
    if (status.type() == fs::file_type::not_found) continue;
    std::ifstream in(path, std::ios::binary);
    if (ec || path.extension() != ".csv" || !fs::is_regular_file(status) || !in) {
      out.left.push_back(file);
      continue;
    }
    // Each line: the commune (a code), the household, its name (which may
    // hold anything), the right, why (the list's own words, without ';').
    std::string kept, line;
    size_t lines_kept = 0, taken = 0;
    for (bool header = true; std::getline(in, line); header = false) {
      const size_t commune = line.find(';'), reason = line.rfind(';');
      bool named = false;
      if (!header && commune != std::string::npos)
        for (const auto& [household, right] : lines)
          named |= line.compare(commune, household.size(), household) == 0 && reason + 1 >= right.size() &&
                   line.compare(reason + 1 - right.size(), right.size(), right) == 0;
      if (named) {
        ++taken;
        continue;
      }
      lines_kept += !header;
      kept += line + "\n";
    }
    in.close();
    if (taken == 0) continue;
    // Written again, the list keeps its age: the retention goes by it.
    const auto written_at = fs::last_write_time(path, ec);
    const bool done = lines_kept == 0 ? fs::remove(path, ec)
                                      : write_file_durably(file, kept).ok() && (fs::last_write_time(path, written_at, ec), !ec);
    if (!done) {
      out.left.push_back(file);
      continue;
    }
    out.rights += static_cast<int64_t>(taken);
  }
  return out;
}

std::string unlisted_text(const Unlisted& unlisted) {
  std::string text;
  if (unlisted.rights)
    text += "; " + std::to_string(unlisted.rights) + " rights taken out of the lists for the social services";
  if (!unlisted.left.empty()) {
    text += "; lists for the social services this process could not write again:";
    for (const std::string& file : unlisted.left) text += " " + file;
  }
  return text;
}

std::string letters_left_text(const LettersDeleted& letters) {
  if (letters.left.empty()) return "";
  std::string text = "; letters this process could not delete:";
  for (const std::string& file : letters.left) text += " " + file;
  return text;
}

std::string blocked_withdrawals_text(const ObjectionResult& result) {
  std::string codes;
  for (const ObjectionResult::Transmitted& t : result.transmitted)
    if (t.withdrawal_blocked) codes += " " + t.program + " " + t.code;
  return codes.empty() ? "" : " (of which refusals not transmitted, their month holding an earlier claim's: tell the "
                              "paying body:" + codes + ")";
}

std::string blocked_withdrawal_text(const ObjectionResult::Transmitted& request) {
  return "request " + request.code + ", sent on " + format_iso_date(day_in_france(request.sent_at)) +
         ", stands at the paying body: this month holds the refusal of an earlier claim, and one refusal goes a "
         "month: tell the paying body of this one";
}

std::string retention_text(const RetentionReport& report) {
  std::string text;
  const PurgeResult& r = report.store;
  if (r.decisions_deleted + r.actions_expired + r.traces_deleted + r.objections_deleted)
    text += "retention: " + std::to_string(r.decisions_deleted) + " decisions older than 12 months deleted, " +
            std::to_string(r.actions_expired) + " unsent actions expired, " + std::to_string(r.traces_deleted) +
            " exchange traces older than 36 months and " + std::to_string(r.objections_deleted) +
            " objection traces older than 24 months deleted\n";
  if (report.files_deleted)
    text += "retention: " + std::to_string(report.files_deleted) + " files older than 12 months deleted from the working folders\n";
  return text;
}

}  // namespace proactif
