// Reads on PostgreSQL. Each call is one prepared statement on a connection
// borrowed from the pool for the snapshot's life; each reads the data
// committed when it runs (READ COMMITTED), not one moment for the whole
// snapshot as on LMDB: a request that reads twice may see a write land in
// between, never half a write.
#pragma once

#include <optional>

#include "core/store.h"
#include "storage/postgres/channel_cache.h"
#include "storage/postgres/connection_pool.h"
#include "storage/postgres/last_value_refresher.h"

namespace fieldpost {

class PgSnapshot : public StoreSnapshot {
 public:
  // `channels` (null: none) keeps channel records and last values between
  // snapshots; `refresher` (with `channels`) reads kept values again.
  explicit PgSnapshot(ConnectionPool& pool, ChannelCache* channels = nullptr,
                      LastValueRefresher* refresher = nullptr)
      : pool_(pool), channels_(channels), refresher_(refresher) {}

  Result<std::optional<KeyOwner>> FindKey(std::string_view api_key) override;
  Result<std::optional<User>> FindUser(std::string_view name) override;
  Result<std::optional<Channel>> FindChannel(ChannelId id) override;
  Result<std::optional<Channel>> FindChannelRecord(ChannelId id) override;
  // From FindChannelRecord (and the channel cache), kept in access_record_.
  Result<std::optional<ChannelAccess>> FindChannelAccess(ChannelId id) override;
  Result<std::vector<Channel>> ListChannels() override;
  Result<std::optional<Entry>> LastEntry(ChannelId channel) override;
  Result<std::optional<Entry>> LastEntryWithField(ChannelId channel, int field) override;
  Result<std::optional<Entry>> FindEntry(ChannelId channel, EntryId entry) override;
  Result<std::vector<Entry>> ListEntries(ChannelId channel, const EntryRange& range,
                                         std::size_t limit) override;

  Result<std::vector<User>> ListUsers();

 private:
  Result<PgResult> Run(const char* statement, const PgParams& params);
  Result<std::optional<Entry>> OneEntry(const char* statement, const PgParams& params);
  // The newest entry (`field` 0) or newest with field `field`, from the
  // channel cache's last values if kept there.
  Result<std::optional<Entry>> LastValue(ChannelId channel, int field);

  ConnectionPool& pool_;
  ChannelCache* const channels_;
  LastValueRefresher* const refresher_;
  std::optional<ConnectionPool::Lease> connection_;
  Channel access_record_;  // what FindChannelAccess's view points into
};

}  // namespace fieldpost
