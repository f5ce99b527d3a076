#include "storage/lmdb_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using testing::TempDir;

struct StoreFixture {
  StoreFixture() { options.data_dir = dir / "data"; }

  std::unique_ptr<LmdbStore> Open() {
    auto store = LmdbStore::Open(options);
    BOOST_REQUIRE_MESSAGE(store.ok(), store.status().message());
    return std::move(store).value();
  }

  Channel MakeChannel(LmdbStore& store) {
    NewChannel request;
    request.name = "c";
    auto channel = store.CreateChannel(request);
    BOOST_REQUIRE(channel.ok());
    return *channel;
  }

  static EntryWrite Reading(const std::string& key, const std::string& value) {
    EntryWrite write;
    write.api_key = key;
    write.data.fields[0] = value;
    return write;
  }

  static std::vector<Entry> AllEntries(LmdbStore& store, ChannelId channel) {
    auto snapshot = store.OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto entries = (*snapshot)->NewestEntries(channel, 1'000'000);
    BOOST_REQUIRE(entries.ok());
    return *entries;
  }

  TempDir dir;
  StorageOptions options;
};

BOOST_FIXTURE_TEST_SUITE(lmdb_store, StoreFixture)

BOOST_AUTO_TEST_CASE(reopen_sees_every_acknowledged_write) {
  std::string key;
  ChannelId id = 0;
  {
    auto store = Open();
    const Channel channel = MakeChannel(*store);
    key = channel.write_key;
    id = channel.id;
    for (int i = 1; i <= 50; ++i) {
      auto entry = store->Append(Reading(key, std::to_string(i)));
      BOOST_REQUIRE(entry.ok());
      BOOST_TEST(entry->entry_id == static_cast<EntryId>(i));
    }
  }
  auto store = Open();
  const auto entries = AllEntries(*store, id);
  BOOST_REQUIRE(entries.size() == 50u);
  for (int i = 0; i < 50; ++i) BOOST_TEST(*entries[i].data.fields[0] == std::to_string(i + 1));
  auto next = store->Append(Reading(key, "51"));
  BOOST_REQUIRE(next.ok());
  BOOST_TEST(next->entry_id == 51u);
}

BOOST_AUTO_TEST_CASE(keys_are_16_uppercase_alphanumerics_and_distinct) {
  auto store = Open();
  std::set<std::string> keys;
  for (int i = 0; i < 20; ++i) {
    const Channel channel = MakeChannel(*store);
    for (const std::string& key : {channel.write_key, channel.read_key}) {
      BOOST_TEST(key.size() == 16u);
      for (char c : key) BOOST_TEST(((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
      keys.insert(key);
    }
  }
  BOOST_TEST(keys.size() == 40u);
}

BOOST_AUTO_TEST_CASE(users_and_chosen_keys_are_unique) {
  auto store = Open();
  BOOST_TEST(store->CreateUser({"alice", "ASCIISTR"}).ok());
  BOOST_TEST(!store->CreateUser({"alice", ""}).ok());
  BOOST_TEST(!store->CreateUser({"bob", "ASCIISTR"}).ok());
  BOOST_TEST(!store->CreateUser({"bad name", ""}).ok());
  BOOST_TEST(!store->CreateUser({"carol", "bad key"}).ok());
  NewChannel orphan;
  orphan.name = "x";
  orphan.owner = "nobody";
  BOOST_TEST((store->CreateChannel(orphan).status().code() == StatusCode::kNotFound));
}

BOOST_AUTO_TEST_CASE(concurrent_writers_share_commits_and_ids_stay_dense) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  constexpr int kThreads = 16, kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!store->Append(Reading(channel.write_key, std::to_string(t))).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(failures == 0);
  const auto entries = AllEntries(*store, channel.id);
  BOOST_REQUIRE(entries.size() == static_cast<std::size_t>(kThreads * kPerThread));
  std::set<EntryId> ids;
  for (const Entry& entry : entries) ids.insert(entry.entry_id);
  BOOST_TEST(ids.size() == entries.size());
  BOOST_TEST(*ids.begin() == 1u);
  BOOST_TEST(*ids.rbegin() == static_cast<EntryId>(kThreads * kPerThread));
  // Group commit: fewer commits than writes (1 channel creation + the writes).
  BOOST_TEST_MESSAGE("batches for " << kThreads * kPerThread
                                    << " writes: " << store->batches_committed());
  BOOST_TEST(store->batches_committed() < static_cast<std::uint64_t>(kThreads * kPerThread));
}

BOOST_AUTO_TEST_CASE(a_rejected_write_does_not_spoil_its_batch) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  std::vector<std::thread> threads;
  std::atomic<int> accepted = 0, rejected = 0;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        const std::string key = (t % 2 == 0) ? channel.write_key : "NOSUCHKEY";
        (store->Append(Reading(key, "v")).ok() ? accepted : rejected)++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(accepted == 120);
  BOOST_TEST(rejected == 120);
  BOOST_TEST(AllEntries(*store, channel.id).size() == 120u);
}

BOOST_AUTO_TEST_CASE(two_processes_write_one_directory) {
  Channel channel;
  {
    auto store = Open();
    channel = MakeChannel(*store);
  }
  constexpr int kPerProcess = 150;
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
      // The child opens its own environment (never one from before fork).
      int code = 0;
      {
        auto store = LmdbStore::Open(options);
        if (!store.ok()) _exit(2);
        for (int i = 0; i < kPerProcess; ++i) {
          if (!(*store)->Append(Reading(channel.write_key, std::to_string(p))).ok()) code = 3;
        }
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
  }
  auto store = Open();
  const auto entries = AllEntries(*store, channel.id);
  BOOST_TEST(entries.size() == 2u * kPerProcess);
  std::set<EntryId> ids;
  int from_first = 0;
  for (const Entry& entry : entries) {
    ids.insert(entry.entry_id);
    from_first += *entry.data.fields[0] == "0";
  }
  BOOST_TEST(ids.size() == 2u * kPerProcess);
  BOOST_TEST(from_first == kPerProcess);
}

BOOST_AUTO_TEST_CASE(map_grows_when_full) {
  options.initial_map_bytes = 256 * 1024;
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const std::size_t initial = store->map_bytes();
  const std::string value(200, 'v');
  constexpr int kWrites = 3000;  // ~1 MiB of entries and indexes
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kWrites / 4; ++i) {
        if (!store->Append(Reading(channel.write_key, value)).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(failures == 0);
  BOOST_TEST(store->map_bytes() > initial);
  BOOST_TEST(AllEntries(*store, channel.id).size() == static_cast<std::size_t>(kWrites));
}

BOOST_AUTO_TEST_CASE(full_map_at_its_maximum_is_an_error_not_a_crash) {
  options.initial_map_bytes = 128 * 1024;
  options.max_map_bytes = 128 * 1024;
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const std::string value(250, 'v');
  Status last;
  int stored = 0;
  for (int i = 0; i < 2000 && last.ok(); ++i) {
    auto entry = store->Append(Reading(channel.write_key, value));
    last = entry.status();
    stored += entry.ok();
  }
  BOOST_TEST((last.code() == StatusCode::kStorageFull));
  // Everything acknowledged before the failure is intact and readable.
  BOOST_TEST(AllEntries(*store, channel.id).size() == static_cast<std::size_t>(stored));
}

BOOST_AUTO_TEST_CASE(format_version_mismatch_is_refused) {
  { Open(); }
  // Stamp another version through a second, raw environment.
  {
    auto env = LmdbEnv::Open(options);
    BOOST_REQUIRE(env.ok());
    auto txn = (*env)->Begin(true);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(
        txn->Put((*env)->dbs().meta, "format_version", std::string("\0\0\0\x63", 4)).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  auto store = LmdbStore::Open(options);
  BOOST_TEST(!store.ok());
  BOOST_TEST(store.status().message().find("format version 99") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
