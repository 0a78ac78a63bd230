// The embedded default: one SQLite file in WAL mode (readers do not block the
// writer), synchronous=FULL so that a committed delivery survives a power cut,
// not only a crash. Prepared statements are kept per SQL text: a campaign runs
// the same few statements a million times.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "store/sql_connection.hpp"

namespace proactif {

namespace {

// The descriptors this process locks databases with, by file (device and
// inode), kept open for as long as the process runs.
struct DeliveryLocks {
  struct File {
    int fd = -1;
    bool held = false;
  };
  std::mutex mutex;
  std::map<std::pair<dev_t, ino_t>, File> files;
};

DeliveryLocks& delivery_locks() {
  static DeliveryLocks* locks = new DeliveryLocks;  // never destroyed: its descriptors outlive every connection
  return *locks;
}

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string path, std::string name)
      : db_(db), path_(std::move(path)), name_(std::move(name)) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
    if (held_) {
      DeliveryLocks& locks = delivery_locks();
      std::lock_guard guard(locks.mutex);
      DeliveryLocks::File& file = locks.files.at(*held_);
      ::flock(file.fd, LOCK_UN);
      file.held = false;
    }
  }

  std::string_view dialect() const override { return "sqlite"; }

  // flock() on the database file itself: every path to the store (a
  // symbolic link, a hard link, "./x.db") reaches the same file, and flock
  // locks are apart from the POSIX locks SQLite takes on it. The descriptor
  // is the process's for as long as it runs (delivery_locks()): closing a
  // descriptor of the file would drop the POSIX locks every connection of
  // this process holds on it through SQLite. Released, it is unlocked only.
  Result<bool> try_exclusive_lock(const std::string& lock) override {
    if (lock != "delivery") return Error{ErrorKind::kInternal, name_ + ": no lock named '" + lock + "'"};
    struct stat st;
    if (::stat(path_.c_str(), &st) != 0) return Error{ErrorKind::kUnavailable, name_ + ": cannot lock the database: " + std::strerror(errno)};
    DeliveryLocks& locks = delivery_locks();
    std::lock_guard guard(locks.mutex);
    auto [it, fresh] = locks.files.try_emplace({st.st_dev, st.st_ino});
    DeliveryLocks::File& file = it->second;
    if (fresh) {
      // Read and write: on a network file system, flock is a write lock.
      file.fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
      if (file.fd < 0) {
        const int error = errno;
        locks.files.erase(it);
        return Error{ErrorKind::kUnavailable, name_ + ": cannot open the database to lock it: " + std::strerror(error)};
      }
    }
    if (file.held) return false;  // another connection of this process delivers
    if (::flock(file.fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return false;
      return Error{ErrorKind::kUnavailable, name_ + ": cannot lock the database: " + std::strerror(errno)};
    }
    file.held = true;
    held_ = it->first;
    return true;
  }

  Result<void> run_script(std::string_view sql) override {
    char* message = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
    Error e{ErrorKind::kUnavailable, name_ + ": " + (message ? message : sqlite3_errmsg(db_))};
    sqlite3_free(message);
    return e;
  }

  Result<SqlRows> run(std::string_view sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* stmt = prepare(sql);
    if (!stmt) return fail(sql);
    for (size_t i = 0; i < params.size(); ++i) {
      std::string name = "$" + std::to_string(i + 1);
      int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0) continue;  // a parameter the statement does not use
      const SqlValue& v = params[i];
      if (std::holds_alternative<int64_t>(v)) sqlite3_bind_int64(stmt, index, std::get<int64_t>(v));
      else if (std::holds_alternative<double>(v)) sqlite3_bind_double(stmt, index, std::get<double>(v));
      else if (auto* s = std::get_if<std::string>(&v))
        sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      else sqlite3_bind_null(stmt, index);
    }
    SqlRows out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      SqlRow row;
      int n = sqlite3_column_count(stmt);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
          default:
            row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
      out.rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
      auto err = fail(sql);
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
      return err;
    }
    out.changed = sqlite3_changes(db_);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return out;
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK)
      return nullptr;
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  Error fail(std::string_view sql) const {
    std::string first_words(sql.substr(0, std::min<size_t>(sql.size(), 60)));
    // A constraint broken (a login or a code taken) is refused for good;
    // anything else (busy, I/O, a full disk) may work later.
    const ErrorKind kind = sqlite3_errcode(db_) == SQLITE_CONSTRAINT ? ErrorKind::kRefused : ErrorKind::kUnavailable;
    return Error{kind, name_ + ": " + sqlite3_errmsg(db_) + " (in: " + first_words + "...)"};
  }

  sqlite3* db_;
  std::string path_, name_;
  std::optional<std::pair<dev_t, ino_t>> held_;  // the database file whose delivery lock this connection holds
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> connect_sqlite(const std::string& path) {
  sqlite3* db = nullptr;
  std::string name = "SQLite store " + path;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    Error e{ErrorKind::kUnavailable, name + ": " + (db ? sqlite3_errmsg(db) : "cannot open")};
    sqlite3_close(db);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(db, path, name);
  sqlite3_busy_timeout(db, 10000);
  // LIKE as PostgreSQL reads it, case counting: identifiers are matched
  // in lists with it ("caf:p1" is not CAF:P1's, for an objection as for
  // what is kept on them). Deleted rows overwritten in the file, whatever
  // the build's default: what a purge or an objection deletes is gone.
  if (auto err = conn->run_script(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON; "
          "PRAGMA secure_delete=ON;");
      !err.ok())
    return err.error();
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace proactif
