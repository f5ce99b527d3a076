#include "tests/support/postgres_server.h"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "tests/support/listening_port.h"

namespace fieldpost::testing {
namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin/";

// Gives the tree to `nobody` when running as root.
void GiveToOwner(const std::string& path) {
  if (geteuid() != 0) return;
  const passwd* nobody = getpwnam("nobody");
  BOOST_REQUIRE(nobody != nullptr);
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      BOOST_REQUIRE(lchown(entry.path().c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    }
  }
  BOOST_REQUIRE(chown(path.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
}

}  // namespace

std::vector<std::string> PostgresServer::AsOwner(std::vector<std::string> argv) const {
  if (geteuid() == 0) {
    std::vector<std::string> wrapped = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
                                        "--clear-groups", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    argv = std::move(wrapped);
  }
  return island_ == nullptr ? argv : island_->Inside(std::move(argv));
}

PostgresServer::PostgresServer(const std::vector<std::string>& settings,
                               const NetworkIsland* island)
    : island_(island),
      host_(island == nullptr ? "127.0.0.1" : island->address()),
      data_dir_(dir_ / "cluster"),
      socket_dir_(dir_ / "socket") {
  // The temporary directory must be passable by the cluster's owner.
  chmod(dir_.path().c_str(), 0755);
  std::filesystem::create_directory(socket_dir_);
  WriteFile(dir_ / "password", kPassword);
  GiveToOwner(socket_dir_);
  GiveToOwner(dir_ / "password");
  std::filesystem::create_directory(data_dir_);
  GiveToOwner(data_dir_);
  std::string output;
  const int initdb =
      RunCommand(AsOwner({kBin + "initdb", "-D", data_dir_, "-U", "fieldpost", "--pwfile",
                          dir_ / "password", "--auth-local=trust", "--auth-host=scram-sha-256",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"}),
                 output);
  BOOST_REQUIRE_MESSAGE(initdb == 0, "initdb failed: " << output);
  std::string conf = "\n# the tests'\nlisten_addresses = '" + host_ + "'\nfsync = on\n";
  for (const std::string& line : settings) conf += line + "\n";
  std::string existing = ReadFile(data_dir_ + "/postgresql.conf");
  WriteFile(data_dir_ + "/postgresql.conf", existing + conf);
  // Replication connections for a standby, over loopback with the password;
  // on an island, everything comes from the test's side of the link.
  std::string access = "host replication fieldpost 127.0.0.1/32 scram-sha-256\n";
  if (island_ != nullptr) {
    access += "host all fieldpost " + island_->subnet() + " scram-sha-256\n";
    access += "host replication fieldpost " + island_->subnet() + " scram-sha-256\n";
  }
  WriteFile(data_dir_ + "/pg_hba.conf", ReadFile(data_dir_ + "/pg_hba.conf") + access);
  Launch();
}

PostgresServer::PostgresServer(Standby, const PostgresServer& primary,
                               const std::string& application_name)
    : data_dir_(dir_ / "cluster"), socket_dir_(dir_ / "socket") {
  chmod(dir_.path().c_str(), 0755);
  std::filesystem::create_directory(socket_dir_);
  std::filesystem::create_directory(data_dir_);
  chmod(data_dir_.c_str(), 0700);
  GiveToOwner(socket_dir_);
  GiveToOwner(data_dir_);
  std::string output;
  const std::string source = "host=" + primary.host() + " port=" + std::to_string(primary.port()) +
                             " user=fieldpost password=" + kPassword +
                             " application_name=" + application_name;
  const int backup = RunCommand(AsOwner({kBin + "pg_basebackup", "-d", source, "-D", data_dir_,
                                         "-R", "-X", "stream", "--checkpoint=fast"}),
                                output);
  BOOST_REQUIRE_MESSAGE(backup == 0, "pg_basebackup failed: " << output);
  // The copied postgresql.conf names the primary's address, which may be
  // an island's; the last line of a setting wins.
  WriteFile(data_dir_ + "/postgresql.conf",
            ReadFile(data_dir_ + "/postgresql.conf") + "listen_addresses = '" + host_ + "'\n");
  Launch();
}

std::unique_ptr<PostgresServer> PostgresServer::StandbyOf(const PostgresServer& primary,
                                                          const std::string& application_name) {
  return std::unique_ptr<PostgresServer>(new PostgresServer(Standby{}, primary, application_name));
}

void PostgresServer::Launch() {
  // A port the kernel chose, held until just before the server binds it;
  // another process may still take it between, so a start that could not
  // bind tries another.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (port_ == 0 || attempt > 0) {
      ListeningPort free;
      port_ = free.port();
    }
    Start();
    if (postgres_ != nullptr) return;
  }
  BOOST_FAIL("PostgreSQL did not start: " << log());
}

void PostgresServer::Start() {
  const std::string log_path = dir_ / ("postgres" + std::to_string(++starts_) + ".log");
  postgres_ = std::make_unique<Process>(
      AsOwner({kBin + "postgres", "-D", data_dir_, "-p", std::to_string(port_), "-k", socket_dir_}),
      dir_ / "postgres.out", log_path);
  const bool ready = WaitFor(
      [&] {
        const std::string text = ReadFile(log_path);
        return text.find("ready to accept") != std::string::npos || !postgres_->running();
      },
      std::chrono::seconds(60));
  if (!ready || !postgres_->running()) {
    postgres_.reset();
    return;
  }
}

PostgresServer::~PostgresServer() {
  if (postgres_ != nullptr && postgres_->running()) Stop();
}

void PostgresServer::Stop() {
  if (postgres_ == nullptr) return;
  postgres_->Signal(SIGINT);
  BOOST_CHECK(postgres_->Wait(std::chrono::seconds(60)).has_value());
  postgres_.reset();
}

void PostgresServer::Kill() {
  if (postgres_ == nullptr) return;
  postgres_->Signal(SIGKILL);
  postgres_->Wait(std::chrono::seconds(10));
  postgres_.reset();
}

void PostgresServer::Promote() {
  std::string output;
  const int promoted =
      RunCommand(AsOwner({kBin + "pg_ctl", "promote", "-w", "-D", data_dir_}), output);
  BOOST_REQUIRE_MESSAGE(promoted == 0, "pg_ctl promote failed: " << output);
}

std::string PostgresServer::Uri(const std::string& dbname) const {
  return std::string("postgresql://fieldpost:") + kPassword + "@" + host_ + ":" +
         std::to_string(port_) + "/" + dbname;
}

std::string PostgresServer::CreateDatabase(const std::string& dbname) {
  Psql("postgres", "CREATE DATABASE " + dbname);
  return Uri(dbname);
}

std::string PostgresServer::Psql(const std::string& dbname, const std::string& sql) const {
  std::string output;
  const int status = RunCommand(
      {"/usr/bin/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", Uri(dbname), "-c", sql},
      output);
  BOOST_REQUIRE_MESSAGE(status == 0, "psql " << sql << ": " << output);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

std::string PostgresServer::log() const {
  std::string text;
  for (int start = 1; start <= starts_; ++start) {
    text += ReadFile(dir_ / ("postgres" + std::to_string(start) + ".log"));
  }
  return text;
}

}  // namespace fieldpost::testing
