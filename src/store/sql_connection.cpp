#include "store/sql_connection.hpp"

#include <cctype>

namespace proactif {

Result<std::unique_ptr<SqlConnection>> connect_sqlite(const std::string& path);
Result<std::unique_ptr<SqlConnection>> connect_postgres(const std::string& url);

Result<std::unique_ptr<SqlConnection>> connect_sql(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return connect_postgres(url);
  if (url.rfind("sqlite:", 0) == 0) return connect_sqlite(url.substr(7));
  return connect_sqlite(url);
}

std::string redact_url(const std::string& given) {
  // postgresql://user:password@host/db -> postgresql://user:***@host/db
  std::string url = given;
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) url = url.substr(0, colon + 1) + "***" + url.substr(at);
  }
  // ...?password=secret&..., and "host=h password=secret" (libpq's key=value
  // form): every value of a key ending in "password", whatever its case.
  std::string lower = url;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t key = lower.find("password"); key != std::string::npos; key = lower.find("password", key + 1)) {
    size_t eq = key + 8;
    while (eq < url.size() && url[eq] == ' ') ++eq;
    if (eq >= url.size() || url[eq] != '=') continue;
    size_t value = eq + 1;
    while (value < url.size() && url[value] == ' ') ++value;
    size_t end = value;
    if (end < url.size() && url[end] == '\'') {
      end = url.find('\'', end + 1);
      end = end == std::string::npos ? url.size() : end + 1;
    } else {
      while (end < url.size() && url[end] != '&' && url[end] != ' ') ++end;
    }
    url.replace(value, end - value, "***");
    lower.replace(value, end - value, "***");
  }
  return url;
}

const std::string* as_text(const SqlValue& v) { return std::get_if<std::string>(&v); }

int64_t as_int(const SqlValue& v) {
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return std::atoll(s->c_str());
  return 0;
}

}  // namespace proactif
