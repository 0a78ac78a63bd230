#include "actions/delivery.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <thread>

#include "actions/channels.hpp"
#include "actions/messages.hpp"

namespace proactif {

namespace {

// Claimed together, so that a claim costs one commit per batch; a process
// killed mid-batch leaves at most this many actions in doubt.
constexpr size_t kClaimBatch = 16;

std::string json_field(const std::string& json, const std::string& key) {
  // The stored message is our own JSON; its sender and date are plain strings.
  std::string pattern = "\"" + key + "\": \"";
  size_t at = json.find(pattern);
  if (at == std::string::npos) return "";
  at += pattern.size();
  std::string out;
  for (size_t i = at; i < json.size() && json[i] != '"'; ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) ++i;
    out += json[i];
  }
  return out;
}

}  // namespace

Result<DeliveryStats> deliver(Store& store, const Campaign& campaign, const std::string& run_id,
                              double wait_limit_seconds) {
  DeliveryStats stats;
  auto start = std::chrono::steady_clock::now();
  auto resumed = store.recover_interrupted();
  if (!resumed) return resumed.error();
  // A letter a killed process was writing: never renamed into place, so never sent.
  std::error_code ec;
  if (!campaign.letters_dir.empty() && std::filesystem::is_directory(campaign.letters_dir, ec))
    for (const auto& f : std::filesystem::directory_iterator(campaign.letters_dir, ec))
      if (f.path().filename().string().find(".pdf.tmp") != std::string::npos) std::filesystem::remove(f.path(), ec);
  std::unique_ptr<EmailChannel> email;
  if (!campaign.smtp_url.empty()) email = std::make_unique<EmailChannel>(campaign.smtp_url, campaign.email_from);
  std::string templates = templates_dir();
  auto waiting_since = std::chrono::steady_clock::now();
  for (;;) {
    int64_t now = now_ms();
    auto claimed = store.claim_due(kClaimBatch, now, run_id);
    if (!claimed) return claimed.error();
    if (claimed->empty()) {
      auto counts = store.outbox_counts(run_id);
      if (!counts) return counts.error();
      if (counts->pending + counts->retry == 0) break;
      double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - waiting_since).count();
      if (waited > wait_limit_seconds) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    waiting_since = std::chrono::steady_clock::now();
    for (const OutboxEntry& e : *claimed) {
      if (e.in_doubt) ++stats.resumed_in_doubt;
      SendResult sent;
      auto message = render_message(templates, e.message_json);
      if (!message) {
        sent.permanent = true;
        sent.error = message.error().message;
      } else if (e.channel == "email" && email) {
        sent = email->send(e.recipient, e.verification_code, *message);
      } else if (e.channel == "letter" && !campaign.letters_dir.empty()) {
        sent = write_letter(campaign.letters_dir, e.recipient, e.verification_code, json_field(e.message_json, "sender"),
                            json_field(e.message_json, "date"), *message);
      } else {
        sent.error = "channel " + e.channel + " is not configured in " + campaign.file;
      }
      if (sent.delivered) {
        if (auto err = store.mark_delivered(e.key, now_ms())) return *err;
        ++stats.delivered;
        continue;
      }
      ++stats.failed_attempts;
      bool dead = sent.permanent || e.attempts >= campaign.max_attempts;
      int64_t retry_at = now_ms() + static_cast<int64_t>(1000 * campaign.first_retry_seconds *
                                                          std::pow(2.0, std::max(0, e.attempts - 1)));
      if (dead) ++stats.dead;
      if (auto err = store.mark_failed(e.key, sent.error, retry_at, dead)) return *err;
    }
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace proactif
