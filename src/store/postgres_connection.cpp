// The production store: PostgreSQL through libpq. Values travel as text
// parameters (PQexecParams), so no statement is ever built by pasting a value.
#include <libpq-fe.h>

#include <cstdlib>

#include "store/sql_connection.hpp"

namespace proactif {

namespace {

// Type OIDs of pg_type.h: integers and floating-point columns come back as
// numbers, everything else as text.
bool is_integer_type(Oid t) { return t == 20 || t == 21 || t == 23; }
bool is_float_type(Oid t) { return t == 700 || t == 701 || t == 1700; }

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(PGconn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  std::string_view dialect() const override { return "postgresql"; }

  // A session-level advisory lock: the server releases it when the session ends.
  Result<bool> try_exclusive_lock(const std::string& name) override {
    auto r = run("SELECT pg_try_advisory_lock(hashtext($1))", {"proactif:" + name});
    if (!r) return r.error();
    const std::string* got = as_text(r->rows.at(0).at(0));
    return got && *got == "t";
  }

  Result<void> run_script(std::string_view sql) override {
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    Result<void> err;
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) err = fail(res, sql);
    PQclear(res);
    return err;
  }

  Result<SqlRows> run(std::string_view sql, const std::vector<SqlValue>& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const SqlValue& v = params[i];
      if (auto* n = std::get_if<int64_t>(&v)) texts[i] = std::to_string(*n);
      else if (auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        texts[i] = buf;
      } else if (auto* s = std::get_if<std::string>(&v)) texts[i] = *s;
      else continue;
      values[i] = texts[i].c_str();
    }
    PGresult* res = PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(params.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Error e = fail(res, sql);
      PQclear(res);
      return e;
    }
    SqlRows out;
    int rows = PQntuples(res), cols = PQnfields(res);
    out.rows.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      SqlRow row;
      for (int c = 0; c < cols; ++c) {
        if (PQgetisnull(res, r, c)) row.emplace_back(std::monostate{});
        else if (is_integer_type(PQftype(res, c))) row.emplace_back(static_cast<int64_t>(std::atoll(PQgetvalue(res, r, c))));
        else if (is_float_type(PQftype(res, c))) row.emplace_back(std::atof(PQgetvalue(res, r, c)));
        else row.emplace_back(std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
      }
      out.rows.push_back(std::move(row));
    }
    const char* changed = PQcmdTuples(res);
    out.changed = changed && *changed ? std::atoll(changed) : 0;
    PQclear(res);
    return out;
  }

 private:
  Error fail(PGresult* res, std::string_view sql) const {
    std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    if (message.empty()) message = PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    std::string first_words(sql.substr(0, std::min<size_t>(sql.size(), 60)));
    // SQLSTATE class 23, a constraint broken (a login or a code taken), is
    // refused for good; anything else may work later.
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const ErrorKind kind = state && std::string_view(state).substr(0, 2) == "23" ? ErrorKind::kRefused : ErrorKind::kUnavailable;
    return Error{kind, name_ + ": " + message + " (in: " + first_words + "...)"};
  }

  PGconn* conn_;
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> connect_postgres(const std::string& url) {
  std::string name = "PostgreSQL store " + redact_url(url);
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return Error{ErrorKind::kUnavailable, name + ": cannot connect: " + message};
  }
  auto c = std::make_unique<PostgresConnection>(conn, name);
  // Messages of the server in English whatever its locale, so that logs read the same everywhere.
  if (auto err = c->run_script("SET client_min_messages = warning"); !err.ok()) return err.error();
  return std::unique_ptr<SqlConnection>(std::move(c));
}

}  // namespace proactif
