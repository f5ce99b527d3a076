// A private PostgreSQL 15 for the tests: initdb in a fresh directory, the
// server on a free loopback port with its socket in that directory, run
// as `nobody` when the tests run as root (PostgreSQL refuses root). Stopped
// and removed when destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/network_island.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class PostgresServer {
 public:
  // The password of the `fieldpost` superuser; it must never show in
  // fieldpost's logs or replies.
  static constexpr const char* kPassword = "pg-test-Secret-4711";

  // A new cluster, started. `settings` are extra postgresql.conf lines.
  // On `island` (which must outlive it), it listens on the island's address
  // instead of loopback, so that it can be cut off as a lost machine is.
  explicit PostgresServer(const std::vector<std::string>& settings = {},
                          const NetworkIsland* island = nullptr);
  // A standby of `primary`, from pg_basebackup, streaming from it.
  static std::unique_ptr<PostgresServer> StandbyOf(const PostgresServer& primary,
                                                   const std::string& application_name);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Its address: 127.0.0.1, or its island's.
  const std::string& host() const { return host_; }
  // postgresql://fieldpost:PASSWORD@HOST:PORT/DBNAME
  std::string Uri(const std::string& dbname) const;
  // Creates the database and returns its URI.
  std::string CreateDatabase(const std::string& dbname);
  // Runs SQL with psql and returns its unaligned, tuples-only output.
  std::string Psql(const std::string& dbname, const std::string& sql) const;

  // Fast shutdown (SIGINT), waiting for the server to end.
  void Stop();
  // Starts it again on the same port and waits until it takes connections.
  void Start();
  // kill -9 of the postmaster.
  void Kill();
  // pg_ctl promote, waiting until it is a primary.
  void Promote();

  const std::string& data_dir() const { return data_dir_; }
  std::string log() const;

 private:
  struct Standby {};
  PostgresServer(Standby, const PostgresServer& primary, const std::string& application_name);
  void Launch();
  // `argv` run as the cluster's owner.
  std::vector<std::string> AsOwner(std::vector<std::string> argv) const;

  const NetworkIsland* island_ = nullptr;
  std::string host_ = "127.0.0.1";
  TempDir dir_;
  std::string data_dir_;
  std::string socket_dir_;
  std::uint16_t port_ = 0;
  int starts_ = 0;
  std::unique_ptr<Process> postgres_;
};

}  // namespace fieldpost::testing
