// Fills an empty database with a whole store as it is (`fieldpost migrate`):
// users with their keys and times, channels with their ids, keys and
// settings, every entry with its id and time. Everything goes in one
// transaction: a migration that fails leaves the database empty.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

class PgConnection;

class PgBulkLoader {
 public:
  // Connects, creates the schema, and begins the transaction.
  // InvalidArgument when the database holds users, channels or entries.
  static Result<std::unique_ptr<PgBulkLoader>> Open(const std::string& uri);
  ~PgBulkLoader();

  Status AddUser(const User& user);
  // With its last_entry_id and used_fields; its station mapping too.
  Status AddChannel(const Channel& channel);
  // A part of a channel's entries, in any order.
  Status AddEntries(const std::vector<Entry>& entries);
  // The id the next channel made gets: never one a deleted channel had.
  Status SetNextChannelId(ChannelId next);
  // Commits everything.
  Status Commit();

 private:
  explicit PgBulkLoader(std::unique_ptr<PgConnection> connection);

  std::unique_ptr<PgConnection> connection_;
};

}  // namespace fieldpost
