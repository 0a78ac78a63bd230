#include "service/routes.hpp"

namespace proactif {

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string cookies = req.get_header_value("Cookie");
  for (size_t at = 0; at < cookies.size();) {
    size_t end = cookies.find(';', at);
    std::string pair = cookies.substr(at, end == std::string::npos ? std::string::npos : end - at);
    pair.erase(0, pair.find_first_not_of(' '));
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

bool same_origin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin"), host = req.get_header_value("Host");
  return origin.empty() || origin == "http://" + host || origin == "https://" + host;
}

std::string cookie_flags(const httplib::Request& req, const std::string& path) {
  return "; Path=" + path + "; HttpOnly; SameSite=Strict" +
         (req.get_header_value("X-Forwarded-Proto") == "https" ? "; Secure" : "");
}

}  // namespace proactif
