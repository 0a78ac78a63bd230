#include "campaign/retention.hpp"

#include <chrono>
#include <filesystem>

namespace fs = std::filesystem;

namespace proactif {

namespace {

int64_t delete_old_files(const std::vector<WorkingFiles>& places) {
  const auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * RetentionPolicy{}.data_days);
  int64_t removed = 0;
  for (const auto& place : places) {
    std::error_code ec;
    if (fs::is_regular_file(place.folder, ec)) {
      std::error_code file_ec;
      if (fs::last_write_time(place.folder, file_ec) < limit && !file_ec) removed += fs::remove(place.folder, file_ec);
      continue;
    }
    if (place.folder.empty() || !fs::is_directory(place.folder, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(place.folder, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      std::error_code file_ec;
      if (it->path().extension() == place.extension && it->is_regular_file(file_ec) && !file_ec &&
          it->last_write_time(file_ec) < limit && !file_ec)
        removed += fs::remove(it->path(), file_ec);
    }
  }
  return removed;
}

}  // namespace

std::vector<WorkingFiles> transmission_files(const DeliveryConfig& delivery) {
  if (delivery.transmission_folder.empty()) return {};
  const fs::path drop = delivery.transmission_folder;
  return {{drop.string(), ".jsonl"}, {(drop / "ack" / "done").string(), ".ack"}};
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

std::string letters_left_text(const LettersDeleted& letters) {
  if (letters.left.empty()) return "";
  std::string text = "; letters this process could not delete:";
  for (const std::string& file : letters.left) text += " " + file;
  return text;
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
