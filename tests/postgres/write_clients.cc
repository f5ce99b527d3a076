#include "tests/postgres/write_clients.h"

#include <boost/test/unit_test.hpp>
#include <optional>

#include "tests/support/http_connection.h"
#include "tests/support/process.h"

namespace fieldpost::testing {

WriteClients::WriteClients(const std::vector<std::uint16_t>& ports, int clients_per_port,
                           const std::string& write_key, int requests)
    : write_key_(write_key), writes_(ports.size() * clients_per_port) {
  int client = 0;
  for (std::uint16_t port : ports) {
    for (int i = 0; i < clients_per_port; ++i, ++client) {
      threads_.emplace_back([this, port, client, requests] { Run(port, client, requests); });
    }
  }
}

WriteClients::~WriteClients() { Stop(); }

void WriteClients::Run(std::uint16_t port, int client, int requests) {
  std::optional<HttpConnection> connection;
  for (int i = 0; i < requests && !stop_; ++i) {
    try {
      if (!connection) connection.emplace(port);
    } catch (const std::exception&) {
      continue;  // the frontend is gone: nothing written
    }
    const std::string value = std::to_string(client) + "-" + std::to_string(i);
    if (!connection->Send("GET /update?api_key=" + write_key_ + "&field1=" + value +
                          " HTTP/1.1\r\nHost: x\r\n\r\n")) {
      connection.reset();
      continue;
    }
    const auto reply = connection->ReadReply();
    if (!reply) {
      connection.reset();
      continue;
    }
    if (reply->status == 200 && reply->body != "0") {
      writes_[client].push_back({value, reply->body});
      ++acknowledged_;
    } else if (reply->status == 503) {
      ++unavailable_;
    } else {
      ++other_;
      BOOST_TEST_MESSAGE("unexpected reply: " << reply->raw.substr(0, 300));
    }
    if (reply->Header("Connection") == "close") connection.reset();
  }
}

bool WriteClients::WaitForAcknowledged(int count, std::chrono::milliseconds timeout) const {
  return WaitFor([&] { return acknowledged_.load() >= count; }, timeout);
}

bool WriteClients::WaitForUnavailable(int count, std::chrono::milliseconds timeout) const {
  return WaitFor([&] { return unavailable_.load() >= count; }, timeout);
}

std::vector<Write> WriteClients::Stop() {
  stop_ = true;
  return Finish();
}

std::vector<Write> WriteClients::Finish() {
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  std::vector<Write> all;
  for (const auto& writes : writes_) all.insert(all.end(), writes.begin(), writes.end());
  return all;
}

}  // namespace fieldpost::testing
