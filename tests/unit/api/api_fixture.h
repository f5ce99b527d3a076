// A real LMDB store in a temporary directory behind an Api, with a user, a
// private and a public channel, for tests that drive the API end to end
// without a transport.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/api.h"
#include "storage/lmdb/lmdb_store.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {

class ApiFixture {
 public:
  ApiFixture();

  // Calls the Api with `target` ("/path?query") as given, still encoded.
  Response Call(const std::string& method, const std::string& target, const std::string& body = "",
                std::vector<std::pair<std::string, std::string>> headers = {});
  Response Get(const std::string& target) { return Call("GET", target); }

  // The number of entries in `channel`, read through the store.
  EntryId EntryCount(ChannelId channel);

  TempDir dir;
  std::unique_ptr<LmdbStore> store;
  std::unique_ptr<Api> api;
  User user;
  Channel private_channel;  // owned by `user`, fields named
  Channel public_channel;   // no owner, no field names
};

}  // namespace fieldpost::testing
