// A file that holds personal data, written whole or not at all: created
// under a temporary name readable by its owner only (0600, whatever the
// umask), every write checked (a full disk is an error, not a short file),
// flushed, synced and renamed into place by commit(), with the folder synced
// so that the rename itself survives a crash. Dropped without commit(), it
// leaves nothing behind and the file it would replace untouched.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace proactif {

// A hand-off folder (letters for the printing service, batches for the
// paying body) may be shared with the members of one group, who read its
// files (0640, of that group) and, with `group_writes`, add and remove files
// in it (the body's acknowledgements). Not shared (`group` -1): the folder
// is its owner's only (0700) and its files too (0600).
struct Sharing {
  int group = -1;
  bool group_writes = false;
};

class OutputFile {
 public:
  // Opens `path` for writing (its folder created when missing, private or
  // shared as `sharing` says); failed() says whether it could not, error() why.
  explicit OutputFile(std::string path, bool append = false, Sharing sharing = {});
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  OutputFile& operator<<(std::string_view bytes) {
    write(bytes);
    return *this;
  }
  // For writers that need a C stream (nullptr when the file could not be
  // opened); their short writes must still be reported with fail().
  std::FILE* stream() { return file_; }
  void fail(int error) {
    if (!error_) error_ = error;
  }
  // The reason when it failed names the file and the system's message.
  Result<void> commit();
  bool failed() const { return error_ != 0; }
  Error error() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_path_;
  Result<void> folder_problem_;  // the hand-off folder could not be made
  std::FILE* file_ = nullptr;
  int error_ = 0;
  bool append_;
  Sharing sharing_;
};

// What names this process in a temporary file's name (".NAME.tmpWRITER"):
// the machine's host name, "-", the process id; so that processes of several
// machines writing to one shared folder never take each other's files.
std::string temporary_writer();
// Whether the temporary file of `writer` (as temporary_writer() gave it) is
// abandoned: its process is gone from this machine, or, when written on
// another machine, it was last changed over an hour ago (`age_seconds`).
bool abandoned_writer(const std::string& writer, double age_seconds);

// A whole file written at once, as OutputFile does.
Result<void> write_file_durably(const std::string& path, std::string_view bytes, Sharing sharing = {});

// Creates a folder and its missing parents readable by their owner only.
Result<void> create_private_folder(const std::string& path);

// Creates a hand-off folder shared as `sharing` says (setgid 2750, or 2770
// with group_writes), its missing parents passable by the group but not
// listed (2710). An existing folder of this process's user is given the
// group and exactly that mode (others lose any access); another's must
// already grant them, and nothing to others; a link in its place is refused
// (a member of the group may write in a shared parent). Not shared, the
// same as create_private_folder.
Result<void> create_handoff_folder(const std::string& path, Sharing sharing);

// The id of a group this process may give its files (it is a member, or
// root), or the reason why not, naming the group.
Result<int> sharing_group(const std::string& name);

// Standard output, flushed and checked: a command whose output did not all
// reach its destination (a full disk, a closed pipe) must not exit 0.
Result<void> flush_standard_output();

}  // namespace proactif
