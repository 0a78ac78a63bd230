#include "cli/progress.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

namespace proactif {

void start_log() {
  auto logger = spdlog::stderr_logger_mt("proactif");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
  spdlog::set_default_logger(logger);
}

void log_warning(const std::string& text) { spdlog::warn("{}", text); }

namespace {

// "N of M <what> (R per second)<extra>, about T s left", without the rate
// and the time left while the stage has run less than a few seconds or
// units: a rate over so little says nothing of the time left.
std::string progress_text(const char* stage, int64_t done, int64_t due, double seconds, const char* what,
                          const std::string& extra = "") {
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const int64_t left = std::max<int64_t>(0, due - done);
  const bool timed = rate > 0 && left > 0 && seconds >= 3 && done >= 10;
  char line[200];
  std::snprintf(line, sizeof line, "%s: %lld of %lld %s", stage, static_cast<long long>(done),
                static_cast<long long>(due), what);
  std::string text = line;
  if (timed) {
    std::snprintf(line, sizeof line, " (%.0f per second)", rate);
    text += line;
  }
  text += extra;
  if (timed) {
    std::snprintf(line, sizeof line, ", about %.0f s left", static_cast<double>(left) / rate);
    text += line;
  }
  return text;
}

// One stage's line: rewritten in place on a terminal; otherwise logged
// every ten seconds, and at the end when it was logged before.
class StageLine {
 public:
  void show(const std::string& text, double seconds, bool finished) {
    if (terminal_) {
      std::fprintf(stderr, "\r%s\033[K%s", text.c_str(), finished ? "\n" : "");
      std::fflush(stderr);
    } else if (seconds - last_logged_ >= 10 || (finished && last_logged_ > 0)) {
      last_logged_ = seconds;
      spdlog::info("{}", text);
    }
  }

 private:
  bool terminal_ = ::isatty(STDERR_FILENO);
  double last_logged_ = 0;
};

}  // namespace

DeliveryObserver delivery_progress() {
  auto line = std::make_shared<StageLine>();
  return [line](const DeliveryProgress& p) {
    line->show(progress_text("delivery", p.sent, p.due, p.seconds, "sent",
                             ", " + std::to_string(p.failed_attempts) + " failed attempts"),
               p.seconds, p.finished);
  };
}

PlanningObserver planning_progress() {
  auto line = std::make_shared<StageLine>();
  return [line](const PlanningProgress& p) {
    // Nothing to store: no line to follow.
    if (p.due == 0) return;
    line->show(progress_text("planning", p.done, p.due, p.seconds, "subjects stored with their decisions"),
               p.seconds, p.finished);
  };
}

void log_failure_causes(const std::map<std::string, int64_t>& causes) {
  for (const auto& [cause, n] : causes) spdlog::warn("{} failed attempts: {}", n, cause);
}

}  // namespace proactif
