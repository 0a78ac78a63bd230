#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "actions/channels.hpp"

namespace fs = std::filesystem;

namespace proactif {

namespace {

bool write_synced(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0640);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

}  // namespace

SendResult write_batch(const std::string& folder, const std::string& batch, const std::string& lines) {
  SendResult r;
  std::error_code ec;
  fs::create_directories(fs::path(folder) / "ack", ec);
  std::string final_path = (fs::path(folder) / (batch + ".jsonl")).string();
  std::string tmp_path = (fs::path(folder) / ("." + batch + ".jsonl.tmp")).string();
  if (!write_synced(tmp_path, lines) || std::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    r.error = "batch " + batch + " not written in " + folder + ": " + std::strerror(errno);
    std::remove(tmp_path.c_str());
    return r;
  }
  // The rename is durable once the folder itself is synced.
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  r.delivered = true;
  return r;
}

bool batch_placed(const std::string& folder, const std::string& batch) {
  std::error_code ec;
  return fs::exists(fs::path(folder) / (batch + ".jsonl"), ec) || fs::exists(fs::path(folder) / "ack" / (batch + ".ack"), ec) ||
         fs::exists(fs::path(folder) / "ack" / "done" / (batch + ".ack"), ec);
}

}  // namespace proactif
