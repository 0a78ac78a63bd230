// Shared by the libFuzzer harnesses: the input written to a file in a
// private folder, for the readers that take a path.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace proactif::fuzz {

// Removed when the fuzzer exits normally (its time is up); kept after a
// crash, beside the input libFuzzer saves.
struct WorkFolder {
  std::string path;
  WorkFolder() {
    char pattern[] = "/tmp/proactif-fuzz-XXXXXX";
    if (!::mkdtemp(pattern)) std::abort();
    path = pattern;
  }
  ~WorkFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

inline const std::string& work_folder() {
  static const WorkFolder folder;
  return folder.path;
}

inline std::string write_input(const char* name, const uint8_t* data, size_t size) {
  std::string path = work_folder() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}  // namespace proactif::fuzz
