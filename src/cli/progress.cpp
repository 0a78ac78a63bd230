#include "cli/progress.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace proactif {

void start_log() {
  auto logger = spdlog::stderr_logger_mt("proactif");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
  spdlog::set_default_logger(logger);
}

void log_warning(const std::string& text) { spdlog::warn("{}", text); }

namespace {

std::string progress_text(const DeliveryProgress& p) {
  char line[200];
  const double rate = p.seconds > 0 ? static_cast<double>(p.sent) / p.seconds : 0;
  const int64_t left = std::max<int64_t>(0, p.due - p.sent);
  // A rate over less than a few seconds or sends says nothing of the time left.
  if (rate > 0 && left > 0 && p.seconds >= 3 && p.sent >= 10)
    std::snprintf(line, sizeof line, "delivery: %lld of %lld sent (%.0f per second), %lld failed attempts, about %.0f s left",
                  static_cast<long long>(p.sent), static_cast<long long>(p.due), rate,
                  static_cast<long long>(p.failed_attempts), static_cast<double>(left) / rate);
  else
    std::snprintf(line, sizeof line, "delivery: %lld of %lld sent, %lld failed attempts", static_cast<long long>(p.sent),
                  static_cast<long long>(p.due), static_cast<long long>(p.failed_attempts));
  return line;
}

}  // namespace

DeliveryObserver delivery_progress() {
  const bool terminal = ::isatty(STDERR_FILENO);
  auto last_logged = std::make_shared<double>(0);
  return [terminal, last_logged](const DeliveryProgress& p) {
    if (terminal) {
      std::fprintf(stderr, "\r%s\033[K%s", progress_text(p).c_str(), p.finished ? "\n" : "");
      std::fflush(stderr);
    } else if (p.seconds - *last_logged >= 10 || (p.finished && *last_logged > 0)) {
      *last_logged = p.seconds;
      spdlog::info("{}", progress_text(p));
    }
  };
}

void log_failure_causes(const std::map<std::string, int64_t>& causes) {
  for (const auto& [cause, n] : causes) spdlog::warn("{} failed attempts: {}", n, cause);
}

}  // namespace proactif
