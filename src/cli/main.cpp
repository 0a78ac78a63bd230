// proactif: find the people entitled to a benefit who do not get it.
#include <sys/stat.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <string>

#include "cli/command_line.hpp"
#include "cli/progress.hpp"
#include "core/data_paths.hpp"
#include "core/output_file.hpp"

namespace {

// The data Proactif reads: an installed copy's, found beside its executable,
// else the source tree's; each path may be overridden by the environment.
void find_data() {
  proactif::DataPaths paths = proactif::data_paths();
  if (std::string share = proactif::installed_data_folder("/proc/self/exe"); !share.empty())
    paths = proactif::data_paths_under(share);
  for (auto [variable, path] : {std::pair{"PROACTIF_PROGRAMS", &paths.programs}, {"PROACTIF_TERRITORY", &paths.territory},
                                {"PROACTIF_NAMES", &paths.names}, {"PROACTIF_TEMPLATES", &paths.templates},
                                {"PROACTIF_WEB", &paths.web}, {"PROACTIF_AIDES_JEUNES", &paths.aides_jeunes}})
    if (const char* value = std::getenv(variable); value && *value) *path = value;
  proactif::set_data_paths(std::move(paths));
}

}  // namespace

// Every file Proactif creates may hold personal data: readable by the service
// only, whatever the umask it was started with. A command's status also says
// whether its output reached its destination, and no exception ends the
// process without a message.
int main(int argc, char** argv) {
  ::umask(077);
  find_data();
  proactif::start_log();
  int status;
  try {
    status = proactif::run_command_line(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "proactif: out of memory\n";
    return 70;
  } catch (const std::exception& e) {
    std::cerr << "proactif: internal error: " << e.what() << "\n";
    return 70;
  }
  if (auto flushed = proactif::flush_standard_output(); !flushed.ok()) {
    std::cerr << "proactif: " << flushed.error().message << "\n";
    return 74;
  }
  return status;
}
