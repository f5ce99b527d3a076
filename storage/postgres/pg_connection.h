// RAII around libpq: a connection (PgConnection) and a query's result
// (PgResult), with parameters kept alive until the query is sent
// (PgParams). Only storage/postgres/ includes libpq-fe.h: app/ and the
// modules know PostgreSQL by its URI alone.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fieldpost {

// One result; rows and columns are read as text.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  ~PgResult() { PQclear(result_); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const { return PQntuples(result_); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string_view Text(int row, int column) const {
    return {PQgetvalue(result_, row, column),
            static_cast<std::size_t>(PQgetlength(result_, row, column))};
  }
  std::optional<std::string> OptionalText(int row, int column) const;
  std::int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const { return Text(row, column) == "t"; }
  // Rows an INSERT, UPDATE or DELETE changed.
  std::int64_t affected() const;

 private:
  PGresult* result_;
};

// A query's parameters in text form; NULL where absent.
class PgParams {
 public:
  PgParams& Add(std::string_view text);
  PgParams& Add(const std::string& text) { return Add(std::string_view(text)); }
  PgParams& Add(const char* text) { return Add(std::string_view(text)); }
  PgParams& Add(const std::optional<std::string>& text);
  PgParams& Add(std::int64_t number);
  PgParams& AddNull();
  // A text[] parameter.
  PgParams& AddArray(const std::vector<std::string>& items);
  // A text[] parameter whose absent items are NULL.
  PgParams& AddArray(const std::vector<std::optional<std::string>>& items);

  int size() const { return static_cast<int>(values_.size()); }
  // Whether a value holds a NUL byte: libpq would cut it there, so such a
  // query is refused instead (PostgreSQL's text cannot hold one anyway).
  bool holds_nul() const { return holds_nul_; }
  const char* const* values() const { return values_.data(); }

 private:
  std::deque<std::string> storage_;  // stable addresses for values_
  bool holds_nul_ = false;
  std::vector<const char*> values_;
};

class PgConnection {
 public:
  // A prepared statement every connection has: name and SQL.
  struct Statement {
    const char* name;
    const char* sql;
  };

  // Connects to `uri` and prepares `statements`. Unavailable with libpq's
  // reason (never the password) when the database cannot be reached.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& uri,
                                                       const std::vector<Statement>& statements);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement (by SQL text, or a prepared one by name) and waits
  // for its result. A connection failure is Unavailable, an SQL error
  // Internal with the server's message.
  Result<PgResult> Exec(std::string_view sql, const PgParams& params = {});
  Result<PgResult> ExecPrepared(const char* name, const PgParams& params);
  // Several statements without parameters (the simple protocol): the
  // last one's result.
  Result<PgResult> ExecScript(std::string_view sql);

  // For pipelines: queue a prepared statement or SQL, then Sync, then read
  // each result in order (NextResult), then the sync point (EndPipeline).
  Status EnterPipeline();
  Status SendPrepared(const char* name, const PgParams& params);
  Status Send(std::string_view sql, const PgParams& params = {});
  Status Sync();
  // The next queued statement's result: its rows, an SQL error (Internal,
  // which skips the rest up to the sync: they come back Aborted), or
  // Unavailable when the connection failed.
  Result<PgResult> NextResult();
  // Reads up to the sync point and leaves pipeline mode.
  Status EndPipeline();

  // Whether the connection still works; a broken one is dropped.
  bool healthy() const;
  // Inside a failed or open transaction (after an error in a pipeline).
  bool in_transaction() const;
  // For a caller that waits on the socket itself (the channel cache's
  // listener).
  PGconn* raw() const { return connection_; }
  // "PostgreSQL 15.x on HOST" for /health.
  std::string ServerDescription() const;

 private:
  explicit PgConnection(PGconn* connection) : connection_(connection) {}
  Status ConnectionError(const std::string& what) const;
  Result<PgResult> Check(PGresult* result);

  PGconn* connection_;
};

// What a query with a NUL byte in a value is refused with.
Status NulRefused();

// Logs a connection failure's details, at most one line a second.
void LogDatabaseTrouble(const std::string& message);

// Whether an SQL error's status is the one pipelines give the statements
// an earlier error skipped.
bool IsPipelineAborted(const Status& status);

}  // namespace fieldpost
