// Shared by the libFuzzer harnesses: the input written to a file in a
// private folder, for the readers that take a path.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace proactif::fuzz {

inline std::string work_folder() {
  static const std::string folder = [] {
    char path[] = "/tmp/proactif-fuzz-XXXXXX";
    return std::string(::mkdtemp(path));
  }();
  return folder;
}

inline std::string write_input(const char* name, const uint8_t* data, size_t size) {
  std::string path = work_folder() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}  // namespace proactif::fuzz
