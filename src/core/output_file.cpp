#include "core/output_file.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <vector>

namespace fs = std::filesystem;

namespace proactif {

namespace {

int sync_folder(const std::string& folder) {
  int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir < 0) return errno;
  int error = ::fsync(dir) == 0 ? 0 : errno;
  ::close(dir);
  return error;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return "localhost";
  std::string out;
  for (const char* c = name; *c; ++c) out += std::isalnum(static_cast<unsigned char>(*c)) || *c == '.' ? *c : '_';
  return out;
}

Error cannot_create(const std::string& path) {
  return Error{ErrorKind::kUnavailable, path + ": cannot create the folder (" + std::strerror(errno) + ")"};
}

}  // namespace

std::string temporary_writer() {
  static const std::string host = host_name();
  return host + "-" + std::to_string(::getpid());
}

bool abandoned_writer(const std::string& writer, double age_seconds) {
  static const std::string host = host_name();
  const size_t dash = writer.rfind('-');
  const std::string pid = dash == std::string::npos ? "" : writer.substr(dash + 1);
  if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) return true;
  if (writer.substr(0, dash) != host) return age_seconds > 3600;  // no letter takes an hour to write
  return ::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH;
}

Result<void> create_private_folder(const std::string& path) {
  if (path.empty()) return {};
  std::error_code ec;
  if (fs::is_directory(path, ec)) return {};
  if (auto parent = create_private_folder(fs::path(path).parent_path().string()); !parent.ok()) return parent;
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return cannot_create(path);
  return {};
}

namespace {

// Gives the folder at `path` to `group` with `mode` (or leaves it when its
// group has at least that and others nothing), through a descriptor opened
// without following a link: a member of the group, who
// may write in a shared parent, could otherwise put a link there to one of
// this user's folders and have it shared. A folder of another user is
// checked, not changed: it must grant the group `mode` and others nothing.
Result<void> share_folder(const std::string& path, gid_t group, mode_t mode) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ELOOP || errno == ENOTDIR
               ? Error{ErrorKind::kRefused, path + ": not a folder (a link?), refused"}
               : Error{ErrorKind::kUnavailable, path + ": cannot open the folder (" + std::strerror(errno) + ")"};
  struct stat st;
  Result<void> error;
  if (::fstat(fd, &st) != 0) {
    error = Error{ErrorKind::kUnavailable, path + ": " + std::strerror(errno)};
  } else if ((st.st_mode & mode) == mode && st.st_gid == group && (st.st_mode & 0007) == 0) {
    // Shared as asked, or more for the group (a drop folder it writes to).
  } else if (st.st_uid != ::geteuid()) {
    char wanted[8];
    std::snprintf(wanted, sizeof wanted, "%o", static_cast<unsigned>(mode));
    error = Error{ErrorKind::kRefused, path + ": the folder is another user's and not shared as the campaign asks (mode " +
                                           wanted + ", group id " + std::to_string(group) + ", nothing for others)"};
  } else if (::fchown(fd, static_cast<uid_t>(-1), group) != 0 || ::fchmod(fd, mode) != 0) {
    error = Error{ErrorKind::kUnavailable, path + ": cannot share the folder with its group (" + std::strerror(errno) + ")"};
  }
  ::close(fd);
  return error;
}

// Creates `path` for `group` with `mode`, and its missing parents passable
// by the group without being listed (2710); existing parents are left as
// they are.
Result<void> make_group_folder(const std::string& path, gid_t group, mode_t mode) {
  std::error_code ec;
  std::string parent = fs::path(path).parent_path().string();
  if (!parent.empty() && !fs::exists(fs::symlink_status(parent, ec)))
    if (auto made = make_group_folder(parent, group, 02710); !made.ok()) return made;
  if (::mkdir(path.c_str(), 0700) != 0) {
    if (errno == EEXIST) return {};
    return cannot_create(path);
  }
  return share_folder(path, group, mode);
}

}  // namespace

Result<void> create_handoff_folder(const std::string& path, Sharing sharing) {
  if (sharing.group < 0) return create_private_folder(path);
  if (path.empty()) return {};
  const mode_t mode = sharing.group_writes ? 02770 : 02750;
  const gid_t group = static_cast<gid_t>(sharing.group);
  if (auto made = make_group_folder(path, group, mode); !made.ok()) return made;
  return share_folder(path, group, mode);
}

Result<int> sharing_group(const std::string& name) {
  std::vector<char> buffer(16384);
  struct group entry, *found = nullptr;
  if (::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
    return Error{ErrorKind::kConfiguration, "group '" + name + "' is not a group of this machine"};
  const gid_t gid = found->gr_gid;
  if (::geteuid() == 0 || ::getegid() == gid) return static_cast<int>(gid);
  int count = ::getgroups(0, nullptr);
  std::vector<gid_t> groups(static_cast<size_t>(std::max(count, 0)));
  count = ::getgroups(count, groups.data());
  for (int i = 0; i < count; ++i)
    if (groups[static_cast<size_t>(i)] == gid) return static_cast<int>(gid);
  return Error{ErrorKind::kRefused, "group '" + name + "': this process's user is not a member, and could not give it its files"};
}

OutputFile::OutputFile(std::string path, bool append, Sharing sharing)
    : path_(std::move(path)), append_(append), sharing_(sharing) {
  std::string folder = fs::path(path_).parent_path().string();
  if (auto made = create_handoff_folder(folder, sharing_); !made.ok()) {
    error_ = EACCES;
    folder_problem_ = made;
    return;
  }
  // Appending writes in place (the caller owns the file's life); otherwise a
  // temporary file replaces the old one only once it is whole.
  // The temporary name is hidden, so that a body watching a drop folder for
  // *.jsonl never picks up a batch being written.
  tmp_path_ = append_ ? path_
                      : (fs::path(folder) / ("." + fs::path(path_).filename().string() + ".tmp" +
                                             temporary_writer())).string();
  // A fresh temporary file, never one planted there (a link would be
  // followed and its target overwritten in a folder others can write to).
  if (!append_) ::unlink(tmp_path_.c_str());
  int fd = ::open(tmp_path_.c_str(),
                  O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append_ ? O_APPEND : O_EXCL), 0600);
  if (fd < 0) {
    error_ = errno;
    return;
  }
  // Given to the group before anything is written in it; the mode set
  // whatever the umask.
  if (sharing_.group >= 0 && (::fchown(fd, static_cast<uid_t>(-1), static_cast<gid_t>(sharing_.group)) != 0 ||
                              ::fchmod(fd, 0640) != 0)) {
    error_ = errno;
    ::close(fd);
    if (!append_) ::unlink(tmp_path_.c_str());
    return;
  }
  file_ = ::fdopen(fd, append_ ? "a" : "w");
  if (!file_) {
    error_ = errno;
    ::close(fd);
  }
}

OutputFile::~OutputFile() {
  if (!file_) return;
  std::fclose(file_);
  if (!append_) std::remove(tmp_path_.c_str());
}

void OutputFile::write(std::string_view bytes) {
  if (!file_ || error_ || bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) error_ = errno ? errno : ENOSPC;
}

Error OutputFile::error() const {
  if (!folder_problem_.ok()) return folder_problem_.error();
  return Error{ErrorKind::kUnavailable, path_ + ": not written (" + std::strerror(error_) + ")"};
}

Result<void> OutputFile::commit() {
  if (!file_) return error();
  std::FILE* f = file_;
  file_ = nullptr;
  if (!error_ && std::fflush(f) != 0) error_ = errno;
  if (!error_ && ::fsync(::fileno(f)) != 0) error_ = errno;
  if (std::fclose(f) != 0 && !error_) error_ = errno;
  if (!error_ && !append_ && std::rename(tmp_path_.c_str(), path_.c_str()) != 0) error_ = errno;
  if (!error_) error_ = sync_folder(fs::path(path_).parent_path().string());
  if (error_) {
    if (!append_) std::remove(tmp_path_.c_str());
    return error();
  }
  return {};
}

Result<void> write_file_durably(const std::string& path, std::string_view bytes, Sharing sharing) {
  OutputFile out(path, false, sharing);
  out.write(bytes);
  return out.commit();
}

Result<void> flush_standard_output() {
  std::cout.flush();
  const bool stream_failed = !std::cout;
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || stream_failed)
    return Error{ErrorKind::kUnavailable, std::string("standard output: not all was written (") +
                                              (errno ? std::strerror(errno) : "write error") + ")"};
  return {};
}

}  // namespace proactif
