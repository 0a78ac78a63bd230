#include "core/endpoint_url.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <algorithm>

namespace proactif {

bool is_loopback(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string endpoint_fault(const std::string& url, const std::vector<std::string>& schemes, const std::string& plain) {
  CURLU* u = curl_url();
  char* scheme = nullptr;
  char* host = nullptr;
  const bool parsed = curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
                      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK;
  const bool has_host = parsed && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK;
  std::string s = parsed ? scheme : "", h = has_host ? host : "";
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  if (!parsed) return "'" + url + "' is not a URL";
  if (std::find(schemes.begin(), schemes.end(), s) == schemes.end()) {
    std::string list;
    for (const auto& x : schemes) list += (list.empty() ? "" : ", ") + x;
    return "'" + s + "' URLs are not accepted here: " + list;
  }
  if (!has_host) return "'" + url + "' names no server";
  if (s == plain && !is_loopback(h))
    return "personal data in clear is sent only to this machine, named by its address (127.0.0.1, [::1]); use TLS "
           "to reach " + h;
  return "";
}

}  // namespace proactif
