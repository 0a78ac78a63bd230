#include "campaign/route_owners.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/yaml_file.hpp"

namespace proactif {

namespace fs = std::filesystem;

namespace {

bool same_route(const Program& program, const std::string& id, const std::string& reference) {
  return std::any_of(program.automatic_routes.begin(), program.automatic_routes.end(), [&](const AutomaticRoute& r) {
    return r.id == id || (!reference.empty() && r.reference == reference);
  });
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace

std::vector<std::string> route_declared_elsewhere(const Program& program, const std::vector<const Program*>& others,
                                                  const std::string& programs_dir) {
  std::vector<std::string> files;
  auto add = [&](const std::string& file) {
    if (!same_file(file, program.file) && std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  };
  for (const Program* other : others)
    for (const AutomaticRoute& r : other->automatic_routes)
      if (same_route(program, r.id, r.reference)) add(other->file);
  std::error_code ec;
  for (fs::directory_iterator it(programs_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = (it->path() / "program.yaml").string();
    if (!fs::is_regular_file(file, ec) || same_file(file, program.file)) continue;
    try {
      const YAML::Node routes = load_yaml_file(file)["automatic_routes"];
      if (!routes.IsSequence()) continue;
      for (const YAML::Node& r : routes)
        if (r.IsMap() && same_route(program, r["id"].as<std::string>(""), r["reference"].as<std::string>(""))) add(file);
    } catch (const YAML::Exception&) {
      continue;
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace proactif
