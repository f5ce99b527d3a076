#include "app/admin_output.h"

#include <iostream>

#include "core/time_format.h"

namespace fieldpost {

int Fail(const Status& status) {
  std::cerr << "fieldpost: " << status.message() << "\n";
  return 1;
}

void PrintChannel(const Channel& channel) {
  std::cout << "channel " << channel.id << "  " << channel.name << "\n"
            << "  owner      " << (channel.owner.empty() ? "-" : channel.owner) << "\n"
            << "  station    " << (channel.station.empty() ? "-" : channel.station) << "\n"
            << "  public     " << (channel.is_public ? "yes" : "no") << "\n"
            << "  retention  "
            << (channel.retention_days == 0 ? std::string("server default")
                                            : std::to_string(channel.retention_days) + " days")
            << "\n"
            << "  write_key  " << channel.write_key << "\n"
            << "  read_key   " << channel.read_key << "\n"
            << "  entries    " << channel.last_entry_id << "\n";
}

void PrintUser(const User& user) {
  std::cout << "user     " << user.name << "\napi_key  " << user.api_key << "\ncreated  "
            << FormatIso8601(user.created_at) << "\n";
}

}  // namespace fieldpost
