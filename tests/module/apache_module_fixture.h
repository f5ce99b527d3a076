// A real Apache with mod_fieldpost loaded, configured the way docs/deploy/apache-module.md
// says: FieldpostData, and SetHandler fieldpost in a <Location /> and a
// <Location /iot>, under the MPM the test names.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tests/integration/apache_fixture.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class ApacheModuleFixture {
 public:
  // `mpm`: "event", "worker" or "prefork"; `extra`: more server config;
  // `data_dir` empty: a new one of its own; a PostgreSQL URI
  // (FieldpostDatabase); else an existing one, which
  // other servers may be serving at the same time.
  explicit ApacheModuleFixture(const std::string& mpm = "event", const std::string& extra = "",
                               const std::string& data_dir = "");

  std::uint16_t port() const { return apache_->port(); }
  const std::string& data_dir() const { return data_dir_; }
  std::string ErrorLog() const { return apache_->ErrorLog(); }
  ApacheServer& server() { return *apache_; }

 private:
  TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<ApacheServer> apache_;
};

}  // namespace fieldpost::testing
