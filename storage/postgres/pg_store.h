// The Store on PostgreSQL: any number of frontends on any number of
// machines share one database. Reads borrow a pooled connection; /update
// writes go through the batcher (one pipelined transaction per batch);
// everything else is a transaction of its own. See docs/deploy/postgresql.md.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/admin_store.h"
#include "storage/storage_options.h"

namespace fieldpost {

class ChannelCache;
class ConnectionPool;
class LastValueRefresher;
class PgAppendBatcher;
class PgConnection;
class PgSnapshot;
class RetentionPruner;
struct MetricsCounters;

class PgStore : public AdminStore {
 public:
  // Connects, creates or upgrades the schema, and starts the writer.
  // Unavailable when the database cannot be reached.
  static Result<std::unique_ptr<PgStore>> Open(const StorageOptions& options);
  ~PgStore() override;

  Result<std::unique_ptr<StoreSnapshot>> OpenSnapshot() override;
  Result<Entry> Append(const EntryWrite& write) override;
  void SubmitAppend(EntryWrite write, AppendDone done) override;
  Result<User> CreateUser(const NewUser& user) override;
  Result<Channel> CreateChannel(const NewChannel& channel) override;
  Result<std::vector<Entry>> AppendBulk(const BulkWrite& write) override;
  Result<Channel> UpdateChannel(ChannelId id, const SettingsChange& change) override;
  Status ClearChannel(ChannelId id) override;
  Result<Channel> DeleteChannel(ChannelId id) override;
  MetricsCounters* metrics() override;
  Result<StoreStats> Stats() override;

  Result<std::vector<User>> ListUsers() override;
  Result<Channel> RegenerateChannelKey(ChannelId id, KeyKind kind) override;
  Result<User> RegenerateUserKey(std::string_view name) override;
  Result<Channel> SetChannelOwner(ChannelId id, std::string_view owner) override;
  Result<User> DeleteUser(std::string_view name) override;
  Result<std::vector<Entry>> ImportEntries(ChannelId id, const std::vector<BulkEntry>& entries,
                                           EntryId existing_up_to) override;
  Result<std::size_t> PruneChannel(ChannelId id, Timestamp before) override;
  Result<std::size_t> PruneExpired(Timestamp now) override;
  // One pass per interval across every frontend on the database.
  Result<bool> ClaimPrunePass(Timestamp now, std::chrono::seconds interval) override;
  void StopWrites() override;
  // The URI without its password.
  std::string Location() const override;

 private:
  PgStore(const StorageOptions& options);

  // Runs `body` inside one transaction on a pooled connection: committed
  // if it returns OK, rolled back otherwise.
  using Body = std::function<Status(PgConnection&)>;
  Status InTransaction(const Body& body);
  // InTransaction for a change of channel `id`'s record: the channel
  // leaves this process's cache before and after it commits.
  Status ChangeChannel(ChannelId id, const Body& body);
  // InTransaction for a change of channel `id`'s entries: announced to
  // every frontend's last values when it commits, and dropped from this
  // process's.
  Status ChangeEntries(ChannelId id, const Body& body);
  // Announces, inside `pg`'s transaction, that channel `id`'s entries
  // changed, to every frontend when it commits.
  static Status AnnounceEntries(PgConnection& pg, ChannelId id);
  // After a change of channel `id`'s entries by this process: drops its
  // last values here and in the sibling processes (LastValues::Wrote).
  void EntriesChangedHere(ChannelId id);

  const std::string location_;
  const std::uint32_t default_retention_days_;
  std::unique_ptr<MetricsCounters> metrics_;  // null unless metrics are on
  std::unique_ptr<ChannelCache> channels_;    // null unless cache_channels
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<PgAppendBatcher> batcher_;       // after pool_: stops first
  std::unique_ptr<LastValueRefresher> refresher_;  // with channels_; stops before the pool
  std::atomic<bool> stopped_{false};
  std::unique_ptr<RetentionPruner> pruner_;  // last: stops first; null unless prune_interval
};

}  // namespace fieldpost
