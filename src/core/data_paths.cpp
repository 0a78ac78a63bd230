#include "core/data_paths.hpp"

#include <filesystem>

namespace fs = std::filesystem;

namespace proactif {

namespace {

DataPaths& current() {
  static DataPaths paths{PROACTIF_SOURCE_DIR "/programs",
                         PROACTIF_SOURCE_DIR "/data/node_modules/@etalab/decoupage-administratif/data",
                         PROACTIF_SOURCE_DIR "/data/names-fr.json", PROACTIF_SOURCE_DIR "/templates/fr",
                         PROACTIF_SOURCE_DIR "/web", PROACTIF_SOURCE_DIR "/../shared/data/aides-jeunes"};
  return paths;
}

}  // namespace

const DataPaths& data_paths() { return current(); }

void set_data_paths(DataPaths paths) { current() = std::move(paths); }

std::string installed_data_folder(const std::string& executable) {
  std::error_code ec;
  const fs::path exe = fs::canonical(executable, ec);
  if (ec) return {};
  const fs::path share = exe.parent_path().parent_path() / "share" / "proactif";
  return fs::is_regular_file(share / "programs" / "c2s" / "program.yaml", ec) ? share.string() : std::string();
}

DataPaths data_paths_under(const std::string& share_folder) {
  const fs::path share = share_folder;
  return {(share / "programs").string(), (share / "territory").string(), (share / "names-fr.json").string(),
          (share / "templates" / "fr").string(), (share / "web").string(), ""};
}

}  // namespace proactif
