#include "store/sql_connection.hpp"

namespace proactif {

Result<std::unique_ptr<SqlConnection>> connect_sqlite(const std::string& path);
Result<std::unique_ptr<SqlConnection>> connect_postgres(const std::string& url);

Result<std::unique_ptr<SqlConnection>> connect_sql(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return connect_postgres(url);
  if (url.rfind("sqlite:", 0) == 0) return connect_sqlite(url.substr(7));
  return connect_sqlite(url);
}

std::string redact_url(const std::string& url) {
  // postgresql://user:password@host/db -> postgresql://user:***@host/db
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

const std::string* as_text(const SqlValue& v) { return std::get_if<std::string>(&v); }

int64_t as_int(const SqlValue& v) {
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return std::atoll(s->c_str());
  return 0;
}

}  // namespace proactif
