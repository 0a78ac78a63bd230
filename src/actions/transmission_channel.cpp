#include <filesystem>

#include "actions/channels.hpp"
#include "core/output_file.hpp"

namespace fs = std::filesystem;

namespace proactif {


SendResult write_batch(const std::string& folder, const std::string& batch, const std::string& lines,
                       Sharing sharing) {
  const Sharing body_writes{sharing.group, sharing.group >= 0};
  Result<void> written = create_handoff_folder(folder, body_writes);
  if (written.ok()) written = create_handoff_folder((fs::path(folder) / "ack").string(), body_writes);
  if (written.ok()) written = write_file_durably((fs::path(folder) / (batch + ".jsonl")).string(), lines, sharing);
  if (!written.ok()) return {false, false, written.error().message};
  return {true, false, ""};
}

bool batch_placed(const std::string& folder, const std::string& batch) {
  std::error_code ec;
  return fs::exists(fs::path(folder) / (batch + ".jsonl"), ec) || fs::exists(fs::path(folder) / "ack" / (batch + ".ack"), ec) ||
         fs::exists(fs::path(folder) / "ack" / "done" / (batch + ".ack"), ec);
}

}  // namespace proactif
