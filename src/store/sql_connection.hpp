// One connection to the store's database, SQLite or PostgreSQL, behind the
// same small interface: statements with $1, $2... parameters (both engines
// read that syntax), rows of values back, and transactions. Everything above
// this file is written once for both databases.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace proactif {

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

struct SqlRows {
  std::vector<SqlRow> rows;
  int64_t changed = 0;  // rows inserted, updated or deleted
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Result<SqlRows> run(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // Several statements, no parameters (migrations).
  virtual Result<void> run_script(std::string_view sql) = 0;
  virtual std::string_view dialect() const = 0;  // "sqlite" or "postgresql"
  // Takes the named lock for as long as this connection lives (and no
  // longer: a process that dies releases it); false when another holds it.
  virtual Result<bool> try_exclusive_lock(const std::string& name) = 0;
};

// "sqlite:PATH" (or a plain path) opens or creates an SQLite file in WAL
// mode; "postgresql://..." connects through libpq. The error names the
// database (never a password) and the reason.
Result<std::unique_ptr<SqlConnection>> connect_sql(const std::string& url);

// The database's name for messages: the URL without its password.
std::string redact_url(const std::string& url);

const std::string* as_text(const SqlValue& v);
int64_t as_int(const SqlValue& v);

}  // namespace proactif
