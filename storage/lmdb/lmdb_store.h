// The Store implementation on LMDB: snapshots are read-only transactions,
// writes go through the group committer. One LmdbStore per process and data
// directory (LMDB forbids opening an environment twice in one process);
// several processes may share a directory.
#pragma once

#include <atomic>
#include <memory>
#include <string_view>
#include <vector>

#include "core/admin_store.h"
#include "storage/storage_options.h"

namespace fieldpost {

// Kept out of this header, which app/ includes, with LMDB's own.
class LmdbEnv;
class GroupCommitter;
class AppendRelay;
class RetentionPruner;
class SharedMetrics;

class LmdbStore : public AdminStore {
 public:
  static Result<std::unique_ptr<LmdbStore>> Open(const StorageOptions& options);
  ~LmdbStore() override;

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

  // AdminStore (see storage/lmdb/admin_writer.h).
  Result<std::vector<User>> ListUsers() override;
  Result<Channel> RegenerateChannelKey(ChannelId id, KeyKind kind) override;
  Result<User> RegenerateUserKey(std::string_view name) override;
  Result<Channel> SetChannelOwner(ChannelId id, std::string_view owner) override;
  Result<User> DeleteUser(std::string_view name) override;
  Result<std::vector<Entry>> ImportEntries(ChannelId id, const std::vector<BulkEntry>& entries,
                                           EntryId existing_up_to) override;
  // In bounded parts (storage/lmdb/prune_writer.h).
  Result<std::size_t> PruneChannel(ChannelId id, Timestamp before) override;
  // StoreWriter::ClaimPrunePass: one background pass per interval per data
  // directory, whichever process of it comes first.
  Result<bool> ClaimPrunePass(Timestamp now, std::chrono::seconds interval) override;
  Result<std::size_t> PruneExpired(Timestamp now) override;
  void StopWrites() override;
  // The data directory.
  std::string Location() const override;

  // The id the next channel made gets (ids of deleted channels are never
  // given again): for `fieldpost migrate`.
  Result<ChannelId> NextChannelId();

  // For tests: whether this process commits the relayed appends.
  bool leads_relay() const;

  std::uint64_t batches_committed() const;
  std::size_t map_bytes() const;

 private:
  LmdbStore(std::unique_ptr<LmdbEnv> env, std::unique_ptr<SharedMetrics> metrics,
            std::uint32_t default_retention_days, std::string data_dir);
  // Commits an append in this process.
  void SubmitLocalAppend(EntryWrite&& write, AppendDone&& done);

  std::unique_ptr<LmdbEnv> env_;
  std::unique_ptr<SharedMetrics> metrics_;  // null unless metrics are on
  // After env_ and metrics_: stops before they go.
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<AppendRelay> relay_;  // null unless relay_appends
  const std::uint32_t default_retention_days_;
  const std::string data_dir_;
  // Set when writes stop: a prune under way ends after its current part.
  std::atomic<bool> stop_pruning_{false};
  // Last: stops first.
  std::unique_ptr<RetentionPruner> pruner_;  // null unless prune_interval
};

}  // namespace fieldpost
