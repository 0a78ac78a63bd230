#include "actions/durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace proactif {

std::string write_file_durably(const std::string& folder, const std::string& name, const std::string& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  std::string final_path = folder + "/" + name;
  std::string tmp_path = folder + "/." + name + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0640);
  if (fd < 0) return std::string("cannot create a file in ") + folder + ": " + std::strerror(errno);
  size_t done = 0;
  int error = 0;
  while (done < bytes.size() && !error) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error = n < 0 ? errno : ENOSPC;
    else done += static_cast<size_t>(n);
  }
  if (!error && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && !error) error = errno;
  if (!error && std::rename(tmp_path.c_str(), final_path.c_str()) != 0) error = errno;
  if (error) {
    std::remove(tmp_path.c_str());
    return name + " not written in " + folder + ": " + std::strerror(error);
  }
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return "";
}

}  // namespace proactif
