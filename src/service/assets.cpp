// The design system's files (DSFR, from npm), served by the service itself:
// no third-party CDN sees the people who read the pages.
#include <cctype>
#include <fstream>
#include <sstream>

#include "service/routes.hpp"

namespace proactif {

namespace {

const char* content_type(const std::string& path) {
  auto ends = [&](const char* suffix) {
    const std::string s = suffix;
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  return nullptr;
}

// A path under the design system's folder: plain names, no "..", no hidden file.
bool plain_path(const std::string& path) {
  if (path.empty() || path.size() > 200 || path.front() == '/') return false;
  for (char c : path)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '-' || c == '_')) return false;
  return path.find("..") == std::string::npos && path.find("/.") == std::string::npos && path.front() != '.';
}

}  // namespace

void add_asset_routes(httplib::Server& server, const Service& service) {
  const std::string root = service.config().web_dir + "/node_modules/@gouvfr/dsfr/dist/";
  server.Get(R"(/dsfr/(.+))", [root](const httplib::Request& req, httplib::Response& res) {
    const std::string path = req.matches[1];
    const char* type = content_type(path);
    std::ifstream in;
    if (type && plain_path(path)) in.open(root + path, std::ios::binary);
    if (!in.is_open()) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    res.set_header("Cache-Control", "public, max-age=86400");
    res.set_content(text.str(), type);
  });
}

}  // namespace proactif
