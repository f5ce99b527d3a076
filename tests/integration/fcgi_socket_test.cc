// `fieldpost fcgi --socket PATH` next to what a sysadmin may already have at
// that path: a file, a running responder, a stale socket, no directory.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <memory>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

bool Accepts(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  const bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

bool IsSocket(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode);
}

// Runs `fieldpost fcgi` expecting it to refuse to start: its exit code and
// what it printed.
int RunRefused(const TempDir& dir, const std::string& socket, std::string& output) {
  return RunCommand({FIELDPOST_BINARY, "fcgi", "--data", dir / "data", "--socket", socket}, output);
}

std::unique_ptr<Process> StartResponder(const TempDir& dir, const std::string& socket,
                                        const std::string& name) {
  auto process = std::make_unique<Process>(
      std::vector<std::string>{FIELDPOST_BINARY, "fcgi", "--data", dir / "data", "--socket", socket,
                               "--threads", "2"},
      dir / (name + ".out"), dir / (name + ".log"));
  BOOST_REQUIRE_MESSAGE(WaitFor([&] { return Accepts(socket); }, std::chrono::seconds(20)),
                        name << " did not start: " << ReadFile(dir / (name + ".log")));
  return process;
}

BOOST_AUTO_TEST_SUITE(fcgi_socket)

BOOST_AUTO_TEST_CASE(a_path_that_is_not_a_socket_is_never_replaced) {
  TempDir dir;
  WriteFile(dir / "data.mdb", "a live database");
  std::string output;
  BOOST_TEST(RunRefused(dir, dir / "data.mdb", output) != 0);
  BOOST_TEST(ReadFile(dir / "data.mdb") == "a live database");
  BOOST_TEST(output.find(dir / "data.mdb") != std::string::npos, output);
  BOOST_TEST(output.find("not a socket") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(a_second_responder_on_a_live_socket_refuses_to_start) {
  TempDir dir;
  const std::string socket = dir / "fcgi.sock";
  auto first = StartResponder(dir, socket, "first");
  std::string output;
  BOOST_TEST(RunRefused(dir, socket, output) != 0);
  BOOST_TEST(output.find("already listening on " + socket) != std::string::npos, output);
  // The first one still owns and serves its path.
  BOOST_TEST(Accepts(socket));
  first->Signal(SIGTERM);
  BOOST_REQUIRE(first->Wait(std::chrono::seconds(10)).has_value());
  BOOST_TEST(!IsSocket(socket), "a stopped responder removes its own socket");
}

BOOST_AUTO_TEST_CASE(a_stale_socket_is_replaced) {
  TempDir dir;
  const std::string socket = dir / "fcgi.sock";
  auto killed = StartResponder(dir, socket, "killed");
  killed->Signal(SIGKILL);
  BOOST_REQUIRE(killed->Wait(std::chrono::seconds(10)).has_value());
  BOOST_REQUIRE(IsSocket(socket));
  auto next = StartResponder(dir, socket, "next");
  BOOST_TEST(Accepts(socket));
}

BOOST_AUTO_TEST_CASE(a_missing_socket_directory_names_the_path_and_the_reason) {
  TempDir dir;
  std::string output;
  const std::string socket = dir / "no-such-dir/fcgi.sock";
  BOOST_TEST(RunRefused(dir, socket, output) != 0);
  BOOST_TEST(output.find(socket) != std::string::npos, output);
  // Typed by hand with the packaged path, before the socket unit made its
  // directory: the message says what to create.
  BOOST_TEST(output.find("the directory " + (dir / "no-such-dir") + " does not exist; create it") !=
                 std::string::npos,
             output);
}

BOOST_AUTO_TEST_CASE(a_port_in_use_names_the_address_and_the_reason) {
  TempDir dir;
  const int busy = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  BOOST_REQUIRE(bind(busy, reinterpret_cast<sockaddr*>(&address), size) == 0);
  BOOST_REQUIRE(listen(busy, 1) == 0);
  getsockname(busy, reinterpret_cast<sockaddr*>(&address), &size);
  const std::string taken = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  for (const char* command : {"fcgi", "serve"}) {
    std::string output;
    const int code = RunCommand({FIELDPOST_BINARY, command, "--data", dir / "data",
                                 std::string(command) == "fcgi" ? "--socket" : "--listen", taken},
                                output);
    BOOST_TEST(code != 0, command);
    BOOST_TEST(output.find(taken + ": Address already in use") != std::string::npos,
               command << ": " << output);
  }
  close(busy);
}

// A port alone is no unix socket path: refused, and no file "8080" made.
BOOST_AUTO_TEST_CASE(a_listen_address_without_host_is_refused_not_taken_for_a_path) {
  TempDir dir;
  std::string output;
  BOOST_TEST(RunCommand({FIELDPOST_BINARY, "serve", "--data", dir / "data", "--listen", "8080"},
                        output) != 0);
  BOOST_TEST(output.find("cannot listen on 8080") != std::string::npos, output);
  BOOST_TEST(
      RunCommand({FIELDPOST_BINARY, "serve", "--data", dir / "data", "--listen", "127.0.0.1:70000"},
                 output) != 0);
  BOOST_TEST(output.find("port 0-65535") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(sighup_does_not_stop_the_responder) {
  TempDir dir;
  const std::string socket = dir / "fcgi.sock";
  auto responder = StartResponder(dir, socket, "responder");
  responder->Signal(SIGHUP);
  BOOST_REQUIRE_MESSAGE(WaitFor(
                            [&] {
                              return ReadFile(dir / "responder.log").find("received SIGHUP") !=
                                     std::string::npos;
                            },
                            std::chrono::seconds(10)),
                        ReadFile(dir / "responder.log"));
  BOOST_TEST(!responder->Wait(std::chrono::milliseconds(300)).has_value(),
             "SIGHUP stopped it: " << ReadFile(dir / "responder.log"));
  BOOST_TEST(Accepts(socket));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
