#include "storage/postgres/pg_connection.h"

#include <atomic>
#include <charconv>
#include <chrono>

#include "core/log.h"

namespace fieldpost {
namespace {

constexpr std::string_view kAbortedMessage = "skipped after an earlier error in its pipeline";

// libpq's messages end with a newline and may span lines; one line for
// logs and replies.
std::string OneLine(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

// Errors of a database going away or not taking writes just now: it is
// shutting down or restarting (class 57: the administrator's shutdown, a
// crash, not yet accepting connections), the connection broke (class 08),
// it is out of connections or memory (class 53), or it is a standby after
// a failover (25006, read-only). The request answers 503 and a later one
// succeeds once the database is back; none of them is a bug of ours.
bool IsTransient(const char* sqlstate) {
  if (sqlstate == nullptr) return false;
  const std::string_view state = sqlstate;
  const std::string_view error_class = state.substr(0, 2);
  return error_class == "57" || error_class == "08" || error_class == "53" || state == "25006";
}

// The server's notices (NOTICE: relation ... already exists) are for a
// person at psql; a warning is worth the log.
void LogWarnings(void*, const PGresult* result) {
  const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity != nullptr && std::string_view(severity) == "WARNING") {
    LogWarning("database: " + OneLine(PQresultErrorMessage(result)));
  }
}

}  // namespace

void LogDatabaseTrouble(const std::string& message) {
  // While the database is away every request fails the same way: one line
  // a second says so without flooding the log.
  static std::atomic<std::int64_t> last_logged{0};
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  std::int64_t last = last_logged.load(std::memory_order_relaxed);
  if (now > last && last_logged.compare_exchange_strong(last, now)) LogWarning(message);
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

std::optional<std::string> PgResult::OptionalText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return std::string(Text(row, column));
}

std::int64_t PgResult::Int(int row, int column) const {
  const std::string_view text = Text(row, column);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::int64_t PgResult::affected() const {
  const std::string_view text = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

Status NulRefused() {
  return InvalidArgument("a value holds a NUL byte, which this server's database cannot store");
}

PgParams& PgParams::Add(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) holds_nul_ = true;
  values_.push_back(storage_.emplace_back(text).c_str());
  return *this;
}

PgParams& PgParams::Add(const std::optional<std::string>& text) {
  return text ? Add(std::string_view(*text)) : AddNull();
}

PgParams& PgParams::Add(std::int64_t number) { return Add(std::to_string(number)); }

PgParams& PgParams::AddNull() {
  values_.push_back(nullptr);
  return *this;
}

PgParams& PgParams::AddArray(const std::vector<std::optional<std::string>>& items) {
  // An array literal: every item double-quoted, with " and \ escaped.
  std::string literal = "{";
  for (const std::optional<std::string>& item : items) {
    if (literal.size() > 1) literal += ',';
    if (!item) {
      literal += "NULL";
      continue;
    }
    literal += '"';
    for (char c : *item) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return Add(std::string_view(literal));
}

PgParams& PgParams::AddArray(const std::vector<std::string>& items) {
  return AddArray(std::vector<std::optional<std::string>>(items.begin(), items.end()));
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const std::string& uri, const std::vector<Statement>& statements) {
  // Defaults first: the URI (expanded from dbname) may override them.
  //
  // A database machine that loses power or its network sends no reset:
  // without these, a query in flight to it waits the kernel's quarter of
  // an hour of retransmissions, and an idle connection (the listener's, the
  // pool's) its two hours of keepalive silence, so a failover would go
  // unnoticed. With them a connection to a silent machine fails in about
  // ten seconds: unacknowledged data for 10 s (tcp_user_timeout), or 5 s of
  // quiet and then three unanswered probes 2 s apart. A live but busy
  // server is never given up on: its kernel acknowledges and answers
  // probes. Unix sockets ignore them.
  const char* keywords[] = {"connect_timeout",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "tcp_user_timeout",
                            "application_name",
                            "dbname",
                            nullptr};
  const char* values[] = {"5", "5", "2", "3", "10000", "fieldpost", uri.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) return Unavailable("the database is unreachable: out of memory");
  std::unique_ptr<PgConnection> connection(new PgConnection(raw));
  PQsetNoticeReceiver(raw, LogWarnings, nullptr);
  if (PQstatus(raw) != CONNECTION_OK) {
    return connection->ConnectionError("the database is unreachable");
  }
  for (const Statement& statement : statements) {
    auto prepared = connection->Check(PQprepare(raw, statement.name, statement.sql, 0, nullptr));
    if (!prepared.ok()) return prepared.status();
  }
  return connection;
}

PgConnection::~PgConnection() { PQfinish(connection_); }

Status PgConnection::ConnectionError(const std::string& what) const {
  // libpq's message (hosts, ports, the server's words; never the password)
  // is for the log. The reply a client gets says only what failed: it
  // names no host of the site's network.
  LogDatabaseTrouble(what + ": " + OneLine(PQerrorMessage(connection_)));
  return Unavailable(what);
}

Result<PgResult> PgConnection::Check(PGresult* raw) {
  PgResult result(raw);
  switch (PQresultStatus(raw)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_PIPELINE_SYNC:
      return result;
    case PGRES_PIPELINE_ABORTED:
      return Internal(std::string(kAbortedMessage));
    default:
      break;
  }
  if (raw == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    return ConnectionError("the database connection failed");
  }
  if (IsTransient(PQresultErrorField(raw, PG_DIAG_SQLSTATE))) {
    LogDatabaseTrouble("database: " + OneLine(PQresultErrorMessage(raw)));
    return Unavailable("the database is unavailable");
  }
  return Internal("database: " + OneLine(PQresultErrorMessage(raw)));
}

Result<PgResult> PgConnection::Exec(std::string_view sql, const PgParams& params) {
  if (params.holds_nul()) return NulRefused();
  const std::string text(sql);
  return Check(PQexecParams(connection_, text.c_str(), params.size(), nullptr, params.values(),
                            nullptr, nullptr, 0));
}

Result<PgResult> PgConnection::ExecPrepared(const char* name, const PgParams& params) {
  if (params.holds_nul()) return NulRefused();
  return Check(
      PQexecPrepared(connection_, name, params.size(), params.values(), nullptr, nullptr, 0));
}

Result<PgResult> PgConnection::ExecScript(std::string_view sql) {
  const std::string text(sql);
  return Check(PQexec(connection_, text.c_str()));
}

Status PgConnection::EnterPipeline() {
  if (PQenterPipelineMode(connection_) != 1) return ConnectionError("cannot start a pipeline");
  return OkStatus();
}

Status PgConnection::SendPrepared(const char* name, const PgParams& params) {
  if (PQsendQueryPrepared(connection_, name, params.size(), params.values(), nullptr, nullptr, 0) !=
      1) {
    return ConnectionError("the database connection failed");
  }
  return OkStatus();
}

Status PgConnection::Send(std::string_view sql, const PgParams& params) {
  const std::string text(sql);
  if (PQsendQueryParams(connection_, text.c_str(), params.size(), nullptr, params.values(), nullptr,
                        nullptr, 0) != 1) {
    return ConnectionError("the database connection failed");
  }
  return OkStatus();
}

Status PgConnection::Sync() {
  if (PQpipelineSync(connection_) != 1) return ConnectionError("the database connection failed");
  return OkStatus();
}

Result<PgResult> PgConnection::NextResult() {
  PGresult* raw = PQgetResult(connection_);
  if (raw == nullptr) return ConnectionError("the database connection failed");
  // Each statement's result is followed by a null that ends it.
  if (PQresultStatus(raw) != PGRES_PIPELINE_SYNC) {
    if (PGresult* end = PQgetResult(connection_); end != nullptr) PQclear(end);
  }
  return Check(raw);
}

Status PgConnection::EndPipeline() {
  while (true) {
    PGresult* raw = PQgetResult(connection_);
    if (raw == nullptr) {
      if (PQstatus(connection_) != CONNECTION_OK) {
        return ConnectionError("the database connection failed");
      }
      continue;  // between two statements' results
    }
    const bool sync = PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
    PQclear(raw);
    if (sync) break;
  }
  if (PQexitPipelineMode(connection_) != 1) {
    return ConnectionError("cannot leave the pipeline");
  }
  return OkStatus();
}

bool PgConnection::healthy() const { return PQstatus(connection_) == CONNECTION_OK; }

bool PgConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(connection_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

std::string PgConnection::ServerDescription() const {
  const int version = PQserverVersion(connection_);
  return "PostgreSQL " + std::to_string(version / 10000) + "." + std::to_string(version % 10000) +
         " on " + std::string(PQhost(connection_)) + ":" + PQport(connection_);
}

bool IsPipelineAborted(const Status& status) { return status.message() == kAbortedMessage; }

}  // namespace fieldpost
