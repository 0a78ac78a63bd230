// The store's schema, as numbered migrations applied in order and recorded in
// schema_migrations, the same SQL for SQLite and PostgreSQL. A migration is
// never edited once released: a change is a new migration.
#pragma once

#include <optional>

#include "store/sql_connection.hpp"

namespace proactif {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

const std::vector<Migration>& migrations();

// Applies the migrations the database has not seen, each in its own
// transaction. A database newer than this program is refused.
Result<void> migrate(SqlConnection& db);

Result<int> schema_version(SqlConnection& db);

}  // namespace proactif
