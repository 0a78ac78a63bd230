#include "actions/delivery.hpp"

#include <signal.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "actions/channels.hpp"
#include "actions/messages.hpp"
#include "actions/verification_code.hpp"
#include "core/hidden_characters.hpp"
#include "core/output_file.hpp"
#include "core/data_paths.hpp"
#include "core/json_text.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

// Claimed together, so that a claim costs one commit per batch; a process
// killed mid-batch leaves at most this many actions in doubt.
constexpr size_t kClaimBatch = 16;

std::string new_batch_name(const OutboxEntry& first) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  // A random part too: a name is never given twice, even within a second.
  return first.key.program + "-" + stamp + "-" + first.verification_code + "-" + new_verification_code().substr(0, 4);
}

// A circuit breaker per channel, shared by the workers: after three
// failures in a row that may pass (a server down, a timeout), the channel is
// paused, its actions left in the queue without an attempt, for a time that
// doubles while it stays down (from 5 s to 5 min); then one claim tries it
// again, and a success closes the breaker.
class ChannelBreakers {
 public:
  void failed(const std::string& channel, int64_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    Breaker& b = breakers_[channel];
    // Failures of sends started before the pause do not lengthen it.
    if (++b.failures_in_row < 3 || b.paused_until > now) return;
    b.pause_ms = b.pause_ms == 0 ? 5000 : std::min<int64_t>(b.pause_ms * 2, 300000);
    b.paused_until = now + b.pause_ms;
    ++pauses_;
  }
  void succeeded(const std::string& channel) {
    std::lock_guard<std::mutex> lock(mutex_);
    breakers_[channel] = Breaker{};
  }
  bool is_paused(const std::string& channel, int64_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto b = breakers_.find(channel);
    return b != breakers_.end() && b->second.paused_until > now;
  }
  int64_t paused_until(const std::string& channel) {
    std::lock_guard<std::mutex> lock(mutex_);
    return breakers_[channel].paused_until;
  }
  std::vector<std::string> paused(int64_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [channel, b] : breakers_)
      if (b.paused_until > now) out.push_back(channel);
    return out;
  }
  int64_t pauses() {
    std::lock_guard<std::mutex> lock(mutex_);
    return pauses_;
  }

 private:
  struct Breaker {
    int failures_in_row = 0;
    int64_t pause_ms = 0, paused_until = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Breaker> breakers_;
  int64_t pauses_ = 0;
};

// What the workers have done so far, read by the progress display while
// they run.
struct Tally {
  std::atomic<int64_t> sent{0}, failed_attempts{0};
};

class Sender {
 public:
  Sender(Store& store, const DeliveryConfig& c, DeliveryStats& stats, ChannelBreakers& breakers, Tally& tally)
      : store_(store), c_(c), stats_(stats), breakers_(breakers), tally_(tally),
        templates_(c.templates_dir.empty() ? templates_dir() : c.templates_dir) {
    if (!c.smtp_url.empty()) {
      email_ = std::make_unique<EmailChannel>(c.smtp_url, c.email_from, c.smtp_starttls);
      email_->set_timeouts(c.email_timeouts.connect, c.email_timeouts.send);
      email_->set_ca_file(c.smtp_ca_file);
    }
    sms_http_.set_timeouts(c.sms_timeouts.connect, c.sms_timeouts.send);
    transmission_http_.set_timeouts(c.transmission_timeouts.connect, c.transmission_timeouts.send);
  }

  // The outcome of one send, for every action it carried (an envelope's
  // actions move together: delivered, retried, held or dead as one).
  Result<void> record(const std::vector<const OutboxEntry*>& group, const SendResult& sent) {
    return store_.atomically([&] { return record_each(group, sent); });
  }
  Result<void> record(const OutboxEntry& e, const SendResult& sent) { return record({&e}, sent); }

  // One message for an envelope's actions: the rights a household is told
  // of together, in the order of their programs.
  SendResult send_message(const std::vector<const OutboxEntry*>& group) {
    const OutboxEntry& e = *group.front();
    if (e.channel == "email" || e.channel == "sms") {
      auto err = store_.atomically([&]() -> Result<void> {
        for (const OutboxEntry* g : group)
          if (auto failed = store_.mark_attempt(g->key, now_ms()); !failed.ok()) return failed;
        return {};
      });
      if (!err.ok()) return {false, false, "store: " + err.error().message};
    }
    std::vector<std::string> rights;
    for (const OutboxEntry* g : group) rights.push_back(g->message_json);
    if (e.channel == "sms") {
      auto text = render_sms(templates_, rights);
      if (!text) return {false, true, text.error().message};
      std::string body = "{\"to\": ";
      append_json_string(body, e.recipient);
      body += ", \"from\": ";
      append_json_string(body, c_.sms_sender);
      body += ", \"reference\": ";
      append_json_string(body, e.verification_code);
      body += ", \"text\": " + *text + "}";
      return sms_http_.post(c_.sms_url, body, e.verification_code);
    }
    auto message = render_message(templates_, rights);
    if (!message) return {false, true, message.error().message};
    // The same message made again (after an interruption, or without a right
    // objected to since) keeps its Message-ID and its file name.
    if (!e.reference.empty()) message->reference = e.reference;
    if (e.channel == "email" && email_) return email_->send(e.recipient, e.verification_code, *message);
    if (e.channel == "letter" && !c_.letters_dir.empty())
      return write_letter(c_.letters_dir, e.recipient, message->reference, *message, c_.letters_sharing);
    return {false, false, "channel " + e.channel + " is not configured in " + c_.file};
  }

  // Transmissions of one claim: posted one by one, or placed in the drop
  // folder in batches (those interrupted keep their batch).
  Result<void> transmit(const std::vector<const OutboxEntry*>& entries) {
    if (!c_.transmission_url.empty()) {
      for (const OutboxEntry* e : entries) {
        if (auto err = store_.mark_attempt(e->key, now_ms()); !err.ok()) return err;
        if (auto err = record(*e, transmission_http_.post(c_.transmission_url, e->message_json, e->verification_code)); !err.ok())
          return err;
      }
      return {};
    }
    if (c_.transmission_folder.empty()) {
      for (const OutboxEntry* e : entries)
        if (auto err = record(*e, {false, false, "no transmission is configured in " + c_.file}); !err.ok()) return err;
      return {};
    }
    std::map<std::string, std::vector<const OutboxEntry*>> batches;
    for (const OutboxEntry* e : entries) batches[e->batch].push_back(e);
    for (auto& [name, group] : batches) {
      SendResult sent;
      if (!name.empty() && batch_placed(c_.transmission_folder, name)) {
        sent.delivered = true;  // placed before the interruption, with these requests in it: not placed again
      } else {
        // A batch never placed gets a fresh name, even when its requests had
        // one: an interrupted batch's requests may come back split across
        // claims, and one name must never be written with different requests.
        std::string batch = new_batch_name(*group.front());
        std::vector<ActionKey> keys;
        for (const OutboxEntry* e : group) keys.push_back(e->key);
        if (auto err = store_.assign_batch(keys, batch); !err.ok()) return err;
        std::string lines;
        for (const OutboxEntry* e : group) lines += e->message_json + "\n";
        sent = write_batch(c_.transmission_folder, batch, lines, c_.transmission_sharing);
        if (sent.delivered) ++stats_.batches;
      }
      for (const OutboxEntry* e : group)
        if (auto err = record(*e, sent); !err.ok()) return err;
    }
    return {};
  }

 private:
  Result<void> record_each(const std::vector<const OutboxEntry*>& group, const SendResult& sent) {
    const OutboxEntry& e = *group.front();
    const int64_t now = now_ms();
    if (sent.delivered) {
      stats_.delivered += static_cast<int64_t>(group.size());
      tally_.sent += static_cast<int64_t>(group.size());
      breakers_.succeeded(e.channel);
      // An objection to every right of a letter that committed while the
      // letter was being written found no file to name: its file goes here.
      std::string file = sent.file;
      bool objected = !file.empty();
      for (const OutboxEntry* g : group) {
        if (!objected) break;
        auto o = store_.has_objected(g->key.subject, g->key.program);
        if (!o) return o.error();
        objected = *o;
      }
      if (objected) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
        file.clear();
      }
      for (const OutboxEntry* g : group)
        if (auto err = store_.mark_delivered(g->key, now, file); !err.ok()) return err;
      return {};
    }
    ++stats_.failed_attempts;
    ++tally_.failed_attempts;
    ++stats_.failure_causes[e.channel + ": " + sent.error];
    // A refusal for good says the channel works; anything else may be an outage.
    if (!sent.permanent) breakers_.failed(e.channel, now);
    // Email and SMS cannot tell a copy from the first: a send that may have
    // arrived waits for the operator. Letters are rewritten under the same
    // name, batches are recognised by their file, and HTTP transmissions
    // carry an Idempotency-Key: those are simply tried again.
    if (sent.unknown && (e.channel == "email" || e.channel == "sms")) {
      stats_.held += static_cast<int64_t>(group.size());
      for (const OutboxEntry* g : group)
        if (auto err = store_.mark_unknown(g->key, sent.error + " (sent, no answer: it may have arrived)"); !err.ok()) return err;
      return {};
    }
    const bool retry_period_over = now - e.created_at >= static_cast<int64_t>(1000 * c_.retry_for_seconds);
    bool dead = sent.permanent || (e.attempts >= c_.max_attempts && retry_period_over);
    const double wait = std::min(c_.max_retry_seconds, c_.first_retry_seconds * std::pow(2.0, std::max(0, e.attempts - 1)));
    int64_t retry_at = now + static_cast<int64_t>(1000 * wait);
    if (dead) stats_.dead += static_cast<int64_t>(group.size());
    for (const OutboxEntry* g : group)
      if (auto err = store_.mark_failed(g->key, sent.error + (sent.unknown ? " (sent, no answer: it may have arrived)" : ""),
                                        retry_at, dead, sent.unknown);
          !err.ok())
        return err;
    return {};
  }
  Store& store_;
  const DeliveryConfig& c_;
  DeliveryStats& stats_;
  ChannelBreakers& breakers_;
  Tally& tally_;
  std::unique_ptr<EmailChannel> email_;
  HttpChannel sms_http_, transmission_http_;
  std::string templates_;
};

}  // namespace

Result<AcknowledgementsRead> read_acknowledgements(Store& store, const std::string& folder) {
  AcknowledgementsRead read;
  fs::path acks = fs::path(folder) / "ack";
  std::error_code ec;
  // The body's group may write in the drop folder and in ack/: a link there
  // is never followed, to read a file or to move one.
  if (!fs::is_directory(fs::symlink_status(acks, ec))) return read;
  const fs::path done = acks / "done";
  if (fs::exists(fs::symlink_status(done, ec)) && !fs::is_directory(fs::symlink_status(done, ec)))
    return Error{ErrorKind::kRefused, done.string() + ": not a folder (a link?), refused"};
  if (auto made = create_private_folder(done.string()); !made.ok()) return made.error();
  simdjson::ondemand::parser parser;
  struct Receipt {
    std::string code, status, reason;
    size_t line;
  };
  for (const auto& f : fs::directory_iterator(acks, ec)) {
    if (f.path().extension() != ".ack") continue;
    if (!fs::is_regular_file(f.symlink_status(ec))) {
      read.problems.push_back(escape_hidden(f.path().string()) + ": not a plain file (a link?), not read");
      continue;
    }
    // The whole file read first: one bad line leaves it where it is, for
    // the body to correct, and records none of it; the other files are read.
    std::ifstream in(f.path(), std::ios::binary);
    std::vector<Receipt> receipts;
    std::string bad;
    size_t number = 0;
    if (!in.is_open()) bad = "cannot be opened (" + std::string(std::strerror(errno)) + ")";
    for (std::string line; bad.empty() && std::getline(in, line);) {
      ++number;
      // A last line without its end: the body may be writing the file.
      if (in.eof()) {
        bad = "line " + std::to_string(number) + " has no end of line (the file may still be being written): read next time";
        break;
      }
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      Receipt r{{}, {}, {}, number};
      try {
        simdjson::padded_string json(line);
        auto doc = parser.iterate(json);
        r.code = std::string(doc["request"].get_string().value());
        r.status = std::string(doc["status"].get_string().value());
        std::string_view reason;
        if (doc["reason"].get_string().get(reason) == simdjson::SUCCESS) r.reason = reason;
      } catch (const simdjson::simdjson_error&) {
        bad = "line " + std::to_string(number) +
              ": not an acknowledgement line ({\"request\": CODE, \"status\": \"accepted\" or \"rejected\"})";
        break;
      }
      if (r.status != "accepted" && r.status != "rejected") bad = "line " + std::to_string(number) + ": status must be accepted or rejected";
      else receipts.push_back(std::move(r));
    }
    if (bad.empty() && in.bad()) bad = "could not be read to its end";
    if (!bad.empty()) {
      read.problems.push_back(escape_hidden(f.path().string()) + ": " + bad +
                              "; none of it was recorded (correct it, or have it sent again)");
      continue;
    }
    // Recorded, then filed under a name of its own: one the body uses
    // again does not replace the earlier file, where a rejection's reason
    // is read. A store that fails leaves the file to be read again.
    std::vector<std::pair<std::string, size_t>> rejected, unknown;  // code, line
    for (const Receipt& r : receipts) {
      auto known = store.record_receipt(r.code, r.status == "accepted" ? r.status : "rejected: " + r.reason, now_ms());
      if (!known) return known.error();
      if (!*known) {
        unknown.emplace_back(r.code, r.line);
        continue;
      }
      ++read.read;
      if (r.status == "rejected") rejected.emplace_back(r.code, r.line);
    }
    fs::path filed = done / f.path().filename();
    for (int k = 1; fs::exists(fs::symlink_status(filed, ec)); ++k)
      filed = done / (f.path().stem().string() + "." + std::to_string(k) + f.path().extension().string());
    fs::rename(f.path(), filed, ec);
    const std::string where = escape_hidden((ec ? f.path() : filed).string());
    if (ec)
      read.problems.push_back(where + ": read, but not moved to " + done.string() + " (" + ec.message() +
                              "): it will be read again");
    for (const auto& [code, line] : unknown)
      read.problems.push_back(where + " line " + std::to_string(line) + ": no transmitted request has the code " +
                              quoted_value(code));
    for (const auto& [code, line] : rejected)
      read.rejected.push_back(escape_hidden(code) + " (" + where + " line " + std::to_string(line) + ")");
  }
  return read;
}

namespace {

// One worker: its own connection to the store and its own channels; claims
// and sends until nothing is due, or only retries are waiting longer than
// the limit, or another worker failed.
Result<void> work(const std::string& store_url, const DeliveryConfig& config, const std::string& runs,
                          const std::string& deliverer, double wait_limit_seconds, DeliveryStats& stats,
                          ChannelBreakers& breakers, std::atomic<bool>& stop, Tally& tally) {
  auto opened = Store::open(store_url);
  if (!opened) return opened.error();
  Store& store = **opened;
  if (auto err = store.join_delivery(deliverer); !err.ok()) return err;
  Sender sender(store, config, stats, breakers, tally);
  // The wait is the time spent with nothing due, since the last send that
  // went through: retries that keep failing do not start it again (a
  // channel down held a run of `--wait 10` 27 s, of the default 120 s four
  // and a half minutes), and sending, even in vain, is not waiting.
  using Clock = std::chrono::steady_clock;
  double waited = 0;
  bool idle = false;
  Clock::time_point idle_since = Clock::now();
  while (!stop) {
    const int64_t now = now_ms();
    auto claimed = store.claim_due(kClaimBatch, now, runs, breakers.paused(now), deliverer);
    if (!claimed) return claimed.error();
    if (claimed->empty()) {
      auto counts = store.outbox_counts(runs);
      if (!counts) return counts.error();
      if (counts->pending + counts->retry - counts->awaiting_failed_request == 0) break;
      if (!idle) idle_since = Clock::now(), idle = true;
      if (waited + std::chrono::duration<double>(Clock::now() - idle_since).count() > wait_limit_seconds) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    if (idle) waited += std::chrono::duration<double>(Clock::now() - idle_since).count();
    idle = false;
    const int64_t delivered_before = stats.delivered;
    std::vector<const OutboxEntry*> transmissions;
    std::map<std::string, std::vector<const OutboxEntry*>> envelopes;  // ordered: by envelope, then program
    for (const OutboxEntry& e : *claimed) {
      if (e.channel == "transmission") transmissions.push_back(&e);
      else envelopes[e.envelope.empty() ? e.verification_code : e.envelope].push_back(&e);
    }
    for (auto& envelope : envelopes) {
      // Not a structured binding: clang 14 (the fuzz build) cannot capture one in the lambda below.
      std::vector<const OutboxEntry*>& group = envelope.second;
      std::sort(group.begin(), group.end(), [](const OutboxEntry* a, const OutboxEntry* b) { return a->key.program < b->key.program; });
      // Its channel was paused since the claim: back to the queue untried.
      if (const int64_t at = now_ms(); breakers.is_paused(group.front()->channel, at)) {
        auto err = store.atomically([&]() -> Result<void> {
          for (const OutboxEntry* e : group)
            if (auto failed = store.release(e->key, breakers.paused_until(e->channel)); !failed.ok()) return failed;
          return {};
        });
        if (!err.ok()) return err;
        continue;
      }
      for (const OutboxEntry* e : group) stats.resumed_in_doubt += e->in_doubt;
      if (auto err = sender.record(group, sender.send_message(group)); !err.ok()) return err;
    }
    for (auto t = transmissions.begin(); t != transmissions.end();) {
      if (const int64_t at = now_ms(); breakers.is_paused((*t)->channel, at)) {
        if (auto err = store.release((*t)->key, breakers.paused_until((*t)->channel)); !err.ok()) return err;
        t = transmissions.erase(t);
      } else {
        ++t;
      }
    }
    for (const OutboxEntry* t : transmissions) stats.resumed_in_doubt += t->in_doubt;
    if (!transmissions.empty())
      if (auto err = sender.transmit(transmissions); !err.ok()) return err;
    if (stats.delivered > delivered_before) waited = 0;
  }
  return {};
}

}  // namespace

Result<DeliveryStats> deliver(const std::string& actor, const std::string& store_url, Store& store, const DeliveryConfig& config,
                              const std::string& runs, double wait_limit_seconds, const DeliveryObserver& observe) {
  auto start = std::chrono::steady_clock::now();
  // This process's id among the processes delivering from the store (see
  // Store::lock_delivery): the rows it claims carry it.
  const std::string deliverer = std::to_string(::getpid()) + "-" + new_verification_code();
  auto locked = store.lock_delivery(deliverer);
  if (!locked) return locked.error();
  if (!*locked)
    return Error{ErrorKind::kRefused, "another proactif is delivering from this store; let it finish (its actions in progress are not "
                 "interrupted ones)"};
  auto resumed = store.recover_interrupted(deliverer);
  if (!resumed) return resumed.error();
  if (auto audited = store.audit_interrupted_deliveries(actor, deliverer); !audited) return audited.error();
  // A letter a killed process was writing (".NAME.pdf.tmpHOST-PID"): never
  // renamed into place, so never sent. Only a process that is gone: another,
  // here or on another machine sharing the folder, may be writing one now.
  std::error_code ec;
  if (!config.letters_dir.empty() && fs::is_directory(config.letters_dir, ec))
    for (const auto& f : fs::directory_iterator(config.letters_dir, ec)) {
      const std::string name = f.path().filename().string();
      const size_t tmp = name.find(".pdf.tmp");
      if (tmp == std::string::npos) continue;
      const auto changed = fs::last_write_time(f.path(), ec);
      const double age = ec ? 0 : std::chrono::duration<double>(fs::file_time_type::clock::now() - changed).count();
      if (abandoned_writer(name.substr(tmp + 8), age)) fs::remove(f.path(), ec);
    }

  // Several workers, so that one's network round trip or disk sync overlaps
  // another's: each delivery is still recorded in its own transaction.
  const int workers = std::max(1, config.workers);
  std::vector<DeliveryStats> worker_stats(static_cast<size_t>(workers));
  std::vector<Result<void>> errors(static_cast<size_t>(workers));
  std::atomic<bool> stop{false};
  ChannelBreakers breakers;
  Tally tally;
  auto due = store.outbox_counts(runs);
  if (!due) return due.error();
  const int64_t due_now = due->pending + due->retry + due->sending;
  std::atomic<int> running{workers};
  std::vector<std::thread> threads;
  for (size_t w = 0; w < worker_stats.size(); ++w)
    threads.emplace_back([&, w] {
      // An exception here would end the process without a word (std::terminate).
      try {
        errors[w] = work(store_url, config, runs, deliverer, wait_limit_seconds, worker_stats[w], breakers, stop, tally);
      } catch (const std::exception& e) {
        errors[w] = Error{ErrorKind::kInternal, std::string("delivery worker: ") + e.what()};
      }
      if (!errors[w].ok()) stop = true;
      --running;
    });
  auto progress = [&](bool finished) {
    if (observe)
      observe({due_now, tally.sent.load(), tally.failed_attempts.load(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), finished});
  };
  for (auto last = std::chrono::steady_clock::now(); running > 0;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (std::chrono::steady_clock::now() - last >= std::chrono::seconds(1)) {
      progress(false);
      last = std::chrono::steady_clock::now();
    }
  }
  for (auto& t : threads) t.join();
  progress(true);
  for (auto& e : errors)
    if (!e.ok()) return e.error();
  DeliveryStats stats;
  stats.deliverer = deliverer;
  for (const auto& w : worker_stats) {
    stats.delivered += w.delivered;
    stats.failed_attempts += w.failed_attempts;
    stats.dead += w.dead;
    stats.held += w.held;
    stats.resumed_in_doubt += w.resumed_in_doubt;
    stats.batches += w.batches;
    for (const auto& [cause, n] : w.failure_causes) stats.failure_causes[cause] += n;
  }
  stats.channel_pauses = breakers.pauses();
  if (!config.transmission_folder.empty()) {
    auto receipts = read_acknowledgements(store, config.transmission_folder);
    if (!receipts) return receipts.error();
    stats.receipts = receipts->read;
    stats.rejected = std::move(receipts->rejected);
    stats.acknowledgement_problems = std::move(receipts->problems);
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace proactif
