// Writers for the tests that disturb the database or a frontend: kept-alive
// clients spread over several frontends, each writing /update field1=
// "C-N" (unique) until stopped or done, tallying the replies. Every
// acknowledged write is kept for RequireEveryWriteStored.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/write_load.h"

namespace fieldpost::testing {

class WriteClients {
 public:
  // `clients_per_port` clients on each port, `requests` writes each at most.
  WriteClients(const std::vector<std::uint16_t>& ports, int clients_per_port,
               const std::string& write_key, int requests = 1000000);
  ~WriteClients();

  int acknowledged() const { return acknowledged_.load(); }
  int unavailable() const { return unavailable_.load(); }  // 503 replies
  int other() const { return other_.load(); }              // anything else: a bug
  bool WaitForAcknowledged(int count, std::chrono::milliseconds timeout) const;
  bool WaitForUnavailable(int count, std::chrono::milliseconds timeout) const;
  // Stops the clients (or waits for them to finish their requests) and
  // returns the acknowledged writes.
  std::vector<Write> Stop();
  std::vector<Write> Finish();

 private:
  void Run(std::uint16_t port, int client, int requests);

  const std::string write_key_;
  std::atomic<bool> stop_{false};
  std::atomic<int> acknowledged_{0}, unavailable_{0}, other_{0};
  std::vector<std::vector<Write>> writes_;
  std::vector<std::thread> threads_;
};

}  // namespace fieldpost::testing
