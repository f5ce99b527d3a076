#include "storage/lmdb/lmdb_store.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/log.h"
#include "storage/lmdb/admin_writer.h"
#include "storage/lmdb/append_relay.h"
#include "storage/lmdb/group_commit.h"
#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/lmdb_env.h"
#include "storage/lmdb/prune_writer.h"
#include "storage/lmdb/shared_metrics.h"
#include "storage/lmdb/store_reader.h"
#include "storage/lmdb/store_writer.h"
#include "storage/prune_expired.h"
#include "storage/retention_pruner.h"

namespace fieldpost {
namespace {

Timestamp Now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

class LmdbSnapshot : public StoreSnapshot {
 public:
  LmdbSnapshot(LmdbTxn txn, const Databases& dbs) : txn_(std::move(txn)), reader_(txn_, dbs) {}

  Result<std::optional<KeyOwner>> FindKey(std::string_view api_key) override {
    return reader_.FindKey(api_key);
  }
  Result<std::optional<User>> FindUser(std::string_view name) override {
    return reader_.FindUser(name);
  }
  Result<std::optional<Channel>> FindChannel(ChannelId id) override {
    return reader_.FindChannel(id);
  }
  Result<std::optional<Channel>> FindChannelRecord(ChannelId id) override {
    return reader_.ChannelRecord(id);
  }
  Result<std::optional<ChannelAccess>> FindChannelAccess(ChannelId id) override {
    return reader_.ChannelAccessRecord(id);
  }
  Result<std::vector<Channel>> ListChannels() override { return reader_.ListChannels(); }
  Result<std::optional<Entry>> LastEntry(ChannelId channel) override {
    return reader_.LastEntry(channel);
  }
  Result<std::optional<Entry>> LastEntryWithField(ChannelId channel, int field) override {
    return reader_.LastEntryWithField(channel, field);
  }
  Result<std::optional<Entry>> FindEntry(ChannelId channel, EntryId entry) override {
    return reader_.FindEntry(channel, entry);
  }
  Result<std::vector<Entry>> ListEntries(ChannelId channel, const EntryRange& range,
                                         std::size_t limit) override {
    return reader_.ListEntries(channel, range, limit);
  }

 private:
  LmdbTxn txn_;
  StoreReader reader_;
};

// Runs `write` through the committer and hands back the value it produced.
template <typename T, typename Write>
Result<T> RunWrite(GroupCommitter& committer, const Databases& dbs, Write write) {
  std::optional<T> out;
  Status status = committer.Run([&](LmdbTxn& txn) {
    StoreWriter writer(txn, dbs);
    Result<T> result = write(writer, Now());
    if (!result.ok()) return result.status();
    out = std::move(result).value();
    return OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*out);
}

}  // namespace

Result<std::unique_ptr<LmdbStore>> LmdbStore::Open(const StorageOptions& options) {
  auto env = LmdbEnv::Open(options);
  if (!env.ok()) return env.status();
  std::unique_ptr<SharedMetrics> metrics;
  if (options.metrics) {
    auto shared = SharedMetrics::Open(options.data_dir, options.metrics_layout);
    if (shared.ok()) {
      metrics = std::move(shared).value();
    } else {
      LogWarning(shared.status().message() + "; this process counts its metrics alone");
      metrics = SharedMetrics::Private();
    }
  }
  std::unique_ptr<LmdbStore> store(new LmdbStore(std::move(env).value(), std::move(metrics),
                                                 options.default_retention_days, options.data_dir));
  if (options.relay_appends) {
    LmdbStore* local = store.get();
    store->relay_ = std::make_unique<AppendRelay>(
        options.data_dir, [local](EntryWrite&& write, AppendDone&& done) {
          local->SubmitLocalAppend(std::move(write), std::move(done));
        });
  }
  if (options.prune_interval.count() > 0) {
    store->pruner_ = std::make_unique<RetentionPruner>(*store, options.prune_interval);
  }
  return store;
}

LmdbStore::LmdbStore(std::unique_ptr<LmdbEnv> env, std::unique_ptr<SharedMetrics> metrics,
                     std::uint32_t default_retention_days, std::string data_dir)
    : env_(std::move(env)),
      metrics_(std::move(metrics)),
      committer_(
          std::make_unique<GroupCommitter>(*env_, metrics_ ? &metrics_->counters() : nullptr)),
      default_retention_days_(default_retention_days),
      data_dir_(std::move(data_dir)) {}

LmdbStore::~LmdbStore() { StopWrites(); }

std::string LmdbStore::Location() const { return data_dir_; }

void LmdbStore::StopWrites() {
  // The relay first stops taking the other processes' appends, then the
  // committer commits everything (sending the relayed replies), then the
  // relay's sockets close. The pruner stops before, between two parts.
  stop_pruning_ = true;
  if (pruner_) pruner_->Stop();
  if (relay_) relay_->StopTaking();
  committer_->Stop();
  if (relay_) relay_->Close();
}

bool LmdbStore::leads_relay() const { return relay_ && relay_->leading(); }

std::uint64_t LmdbStore::batches_committed() const { return committer_->batches_committed(); }

std::size_t LmdbStore::map_bytes() const { return env_->map_bytes(); }

MetricsCounters* LmdbStore::metrics() { return metrics_ ? &metrics_->counters() : nullptr; }

Result<StoreStats> LmdbStore::Stats() {
  auto txn = env_->Begin(false);
  if (!txn.ok()) return txn.status();
  return env_->Stats(*txn);
}

Result<ChannelId> LmdbStore::NextChannelId() {
  auto txn = env_->Begin(false);
  if (!txn.ok()) return txn.status();
  auto next = txn->Get(env_->dbs().meta, kNextChannelIdKey);
  if (!next.ok()) return next.status();
  return next->has_value() ? DecodeU32(**next) : ChannelId{1};
}

Result<std::unique_ptr<StoreSnapshot>> LmdbStore::OpenSnapshot() {
  auto txn = env_->Begin(false);
  if (!txn.ok()) return txn.status();
  return std::unique_ptr<StoreSnapshot>(new LmdbSnapshot(std::move(txn).value(), env_->dbs()));
}

Result<Entry> LmdbStore::Append(const EntryWrite& write) {
  auto entry = RunWrite<Entry>(*committer_, env_->dbs(), [&](StoreWriter& writer, Timestamp now) {
    return writer.Append(write, now);
  });
  if (entry.ok()) entry->data = write.data;
  return entry;
}

void LmdbStore::SubmitAppend(EntryWrite write, AppendDone done) {
  if (relay_) return relay_->SubmitAppend(std::move(write), std::move(done));
  SubmitLocalAppend(std::move(write), std::move(done));
}

void LmdbStore::SubmitLocalAppend(EntryWrite&& write, AppendDone&& done) {
  // Lives until the callback has run; the operation may run twice when the
  // map is grown and the batch retried, and the last run's entry counts.
  struct Job {
    Job(EntryWrite&& write, AppendDone&& done) : write(std::move(write)), done(std::move(done)) {}
    EntryWrite write;
    AppendDone done;
    std::optional<Entry> entry;
  };
  auto job = std::make_shared<Job>(std::move(write), std::move(done));
  const Databases& dbs = env_->dbs();
  committer_->Submit(
      [job, &dbs](LmdbTxn& txn) {
        auto entry = StoreWriter(txn, dbs).Append(job->write, Now());
        if (!entry.ok()) return entry.status();
        job->entry = std::move(entry).value();
        return OkStatus();
      },
      [job](Status status) {
        if (!status.ok()) return job->done(std::move(status));
        // The operation has run for the last time: the data can move.
        job->entry->data = std::move(job->write.data);
        job->done(std::move(*job->entry));
      });
}

Result<std::vector<User>> LmdbStore::ListUsers() {
  auto txn = env_->Begin(false);
  if (!txn.ok()) return txn.status();
  return StoreReader(*txn, env_->dbs()).ListUsers();
}

// An admin write through the committer, like RunWrite's, on an AdminWriter.
template <typename T, typename Write>
Result<T> RunAdminWrite(GroupCommitter& committer, const Databases& dbs, Write write) {
  std::optional<T> out;
  Status status = committer.Run([&](LmdbTxn& txn) {
    AdminWriter writer(txn, dbs);
    Result<T> result = write(writer);
    if (!result.ok()) return result.status();
    out = std::move(result).value();
    return OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*out);
}

Result<Channel> LmdbStore::RegenerateChannelKey(ChannelId id, KeyKind kind) {
  return RunAdminWrite<Channel>(*committer_, env_->dbs(), [&](AdminWriter& writer) {
    return writer.RegenerateChannelKey(id, kind);
  });
}

Result<User> LmdbStore::RegenerateUserKey(std::string_view name) {
  return RunAdminWrite<User>(*committer_, env_->dbs(),
                             [&](AdminWriter& writer) { return writer.RegenerateUserKey(name); });
}

Result<Channel> LmdbStore::SetChannelOwner(ChannelId id, std::string_view owner) {
  return RunAdminWrite<Channel>(*committer_, env_->dbs(), [&](AdminWriter& writer) {
    return writer.SetChannelOwner(id, owner);
  });
}

Result<std::vector<Entry>> LmdbStore::ImportEntries(ChannelId id,
                                                    const std::vector<BulkEntry>& entries,
                                                    EntryId existing_up_to) {
  return RunAdminWrite<std::vector<Entry>>(*committer_, env_->dbs(), [&](AdminWriter& writer) {
    return writer.ImportEntries(id, entries, existing_up_to);
  });
}

Result<User> LmdbStore::DeleteUser(std::string_view name) {
  return RunAdminWrite<User>(*committer_, env_->dbs(),
                             [&](AdminWriter& writer) { return writer.DeleteUser(name); });
}

Result<User> LmdbStore::CreateUser(const NewUser& user) {
  return RunWrite<User>(*committer_, env_->dbs(), [&](StoreWriter& writer, Timestamp now) {
    return writer.InsertUser(user, now);
  });
}

Result<Channel> LmdbStore::CreateChannel(const NewChannel& channel) {
  return RunWrite<Channel>(*committer_, env_->dbs(), [&](StoreWriter& writer, Timestamp now) {
    return writer.InsertChannel(channel, now);
  });
}

Result<std::vector<Entry>> LmdbStore::AppendBulk(const BulkWrite& write) {
  return RunWrite<std::vector<Entry>>(
      *committer_, env_->dbs(),
      [&](StoreWriter& writer, Timestamp now) { return writer.AppendBulk(write, now); });
}

Result<Channel> LmdbStore::UpdateChannel(ChannelId id, const SettingsChange& change) {
  return RunWrite<Channel>(*committer_, env_->dbs(), [&](StoreWriter& writer, Timestamp) {
    return writer.UpdateChannel(id, change);
  });
}

Status LmdbStore::ClearChannel(ChannelId id) {
  // One bounded part per transaction: other writers get the writer thread
  // between parts, and no transaction outgrows LMDB's dirty-page limit.
  constexpr std::size_t kEntriesPerPart = 20000;
  for (bool done = false; !done;) {
    Status s = committer_->Run([&](LmdbTxn& txn) {
      return StoreWriter(txn, env_->dbs()).ClearChannelPart(id, kEntriesPerPart, done);
    });
    if (!s.ok()) return s;
  }
  return OkStatus();
}

Result<std::size_t> LmdbStore::PruneChannel(ChannelId id, Timestamp before) {
  // Smaller parts than a clear's: pruning runs beside the servers' writes.
  constexpr std::size_t kEntriesPerPart = 2000;
  std::size_t pruned = 0;
  for (bool done = false; !done && !stop_pruning_.load();) {
    std::size_t part = 0;
    Status s = committer_->Run([&](LmdbTxn& txn) {
      // A batch retried after the map grew runs the part again: count once.
      part = 0;
      return PruneWriter(txn, env_->dbs())
          .PruneChannelPart(id, before, kEntriesPerPart, part, done);
    });
    if (!s.ok()) return s;
    pruned += part;
  }
  return pruned;
}

Result<bool> LmdbStore::ClaimPrunePass(Timestamp now, std::chrono::seconds interval) {
  return RunWrite<bool>(*committer_, env_->dbs(), [&](StoreWriter& writer, Timestamp) {
    return writer.ClaimPrunePass(now, interval);
  });
}

Result<std::size_t> LmdbStore::PruneExpired(Timestamp now) {
  Result<std::vector<Channel>> channels = std::vector<Channel>();
  {
    // Closed before the writes: a read transaction held meanwhile would
    // keep the committer from growing the map.
    auto snapshot = env_->Begin(false);
    if (!snapshot.ok()) return snapshot.status();
    channels = StoreReader(*snapshot, env_->dbs()).ListChannels();
  }
  if (!channels.ok()) return channels.status();
  return PruneExpiredChannels(*this, *channels, default_retention_days_, now);
}

Result<Channel> LmdbStore::DeleteChannel(ChannelId id) {
  if (Status s = ClearChannel(id); !s.ok()) return s;
  return RunWrite<Channel>(*committer_, env_->dbs(), [&](StoreWriter& writer, Timestamp) {
    return writer.DeleteChannel(id);
  });
}

}  // namespace fieldpost
