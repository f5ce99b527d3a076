#include "storage/lmdb/lmdb_store.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "storage/lmdb/lmdb_env.h"
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
    auto entries = (*snapshot)->ListEntries(channel, {}, 1'000'000);
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

// Submitted writes hold no thread while they commit, so a batch carries
// every write waiting, however few threads sent them.
BOOST_AUTO_TEST_CASE(submitted_writes_from_one_thread_share_commits) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  constexpr int kWrites = 500;
  const std::uint64_t batches_before = store->batches_committed();
  std::mutex mutex;
  std::condition_variable all_done;
  std::vector<EntryId> ids;
  int failures = 0;
  for (int i = 0; i < kWrites; ++i) {
    store->SubmitAppend(Reading(channel.write_key, std::to_string(i)), [&](Result<Entry> entry) {
      std::lock_guard lock(mutex);
      entry.ok() ? ids.push_back(entry->entry_id) : void(++failures);
      all_done.notify_one();
    });
  }
  {
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return ids.size() + failures == kWrites; });
  }
  BOOST_TEST(failures == 0);
  std::sort(ids.begin(), ids.end());
  BOOST_TEST(ids.front() == 1u);
  BOOST_TEST(ids.back() == static_cast<EntryId>(kWrites));
  BOOST_TEST((std::adjacent_find(ids.begin(), ids.end()) == ids.end()));
  const std::uint64_t batches = store->batches_committed() - batches_before;
  BOOST_TEST_MESSAGE("batches for " << kWrites << " submitted writes: " << batches);
  BOOST_TEST(batches < static_cast<std::uint64_t>(kWrites / 4));
  BOOST_TEST(AllEntries(*store, channel.id).size() == static_cast<std::size_t>(kWrites));

  // Once writes are stopped, a submitted write is refused at once.
  store->StopWrites();
  std::optional<Status> refused;
  store->SubmitAppend(Reading(channel.write_key, "late"),
                      [&](Result<Entry> entry) { refused = entry.status(); });
  BOOST_REQUIRE(refused.has_value());
  BOOST_TEST((refused->code() == StatusCode::kUnavailable));
}

// The key rule lives in the write transaction alone: each refusal names
// its reason, and nothing is stored.
BOOST_AUTO_TEST_CASE(write_keys_are_checked_inside_the_write) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const std::pair<std::string, std::string> cases[] = {
      {"", "missing API key"},
      {"NOSUCHKEY", "unknown API key"},
      {channel.read_key, "a read API key cannot write"},
  };
  for (const auto& [key, message] : cases) {
    auto entry = store->Append(Reading(key, "v"));
    BOOST_REQUIRE(!entry.ok());
    BOOST_TEST((entry.status().code() == StatusCode::kUnauthorized));
    BOOST_TEST(entry.status().message() == message);
    BulkWrite bulk;
    bulk.api_key = key;
    bulk.channel_id = channel.id;
    bulk.entries.push_back({Timestamp{std::chrono::seconds(100)}, {}});
    BOOST_TEST((store->AppendBulk(bulk).status().code() == StatusCode::kUnauthorized));
  }
  BOOST_TEST(AllEntries(*store, channel.id).empty());
}

// Reads reuse reset transactions; a reused one must see what was committed
// after it was last used, not the snapshot it had then.
BOOST_AUTO_TEST_CASE(a_reused_read_transaction_sees_later_writes) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  for (int i = 1; i <= 3; ++i) {
    BOOST_REQUIRE(store->Append(Reading(channel.write_key, std::to_string(i))).ok());
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto last = (*snapshot)->LastEntry(channel.id);
    BOOST_REQUIRE(last.ok());
    BOOST_REQUIRE(last->has_value());
    BOOST_TEST((*last)->entry_id == static_cast<EntryId>(i));
  }
  // Two at once in one thread are two transactions, each consistent.
  auto first = store->OpenSnapshot();
  auto second = store->OpenSnapshot();
  BOOST_REQUIRE(first.ok());
  BOOST_REQUIRE(second.ok());
  BOOST_TEST((*first)->LastEntry(channel.id)->value().entry_id == 3u);
  BOOST_TEST((*second)->LastEntry(channel.id)->value().entry_id == 3u);
}

// A feed reads entries in time order, stepping a cursor through runs of
// consecutive ids and seeking at each gap; late readings make gaps.
BOOST_AUTO_TEST_CASE(entries_out_of_id_order_list_in_time_order) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const int minutes[] = {30, 10, 20, 40, 50, 5};  // ids 1..6
  for (int minute : minutes) {
    EntryWrite write = Reading(channel.write_key, std::to_string(minute));
    write.created_at = Timestamp{std::chrono::minutes(minute)};
    BOOST_REQUIRE(store->Append(write).ok());
  }
  const std::vector<Entry> entries = AllEntries(*store, channel.id);
  const std::vector<EntryId> expected_ids = {6, 2, 3, 1, 4, 5};
  BOOST_REQUIRE(entries.size() == expected_ids.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    BOOST_TEST(entries[i].entry_id == expected_ids[i]);
    BOOST_TEST(*entries[i].data.fields[0] == std::to_string(minutes[expected_ids[i] - 1]));
  }
}

// "Last" is the newest by created_at (of one second, the highest id), as
// feeds.json?results=1 ends: back-dated writes, single or bulk, do not
// become last, nor a field's last value; last_entry_id stays the highest.
BOOST_AUTO_TEST_CASE(last_is_the_newest_by_time_whatever_the_write_order) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const auto at = [](int minute) { return Timestamp{std::chrono::minutes(minute)}; };
  const auto append = [&](int minute, int field, const std::string& value) {
    EntryWrite write;
    write.api_key = channel.write_key;
    write.created_at = at(minute);
    write.data.fields[field - 1] = value;
    auto entry = store->Append(write);
    BOOST_REQUIRE_MESSAGE(entry.ok(), entry.status().message());
    return entry->entry_id;
  };
  const auto last = [&] {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto entry = (*snapshot)->LastEntry(channel.id);
    BOOST_REQUIRE(entry.ok() && entry->has_value());
    auto newest = (*snapshot)->ListEntries(channel.id, {}, 1);
    BOOST_REQUIRE(newest.ok() && newest->size() == 1u);
    BOOST_TEST((*newest)[0].entry_id == (*entry)->entry_id);
    return (*entry)->entry_id;
  };
  const auto last_with = [&](int field) -> EntryId {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto entry = (*snapshot)->LastEntryWithField(channel.id, field);
    BOOST_REQUIRE(entry.ok());
    return entry->has_value() ? (*entry)->entry_id : 0;
  };
  const EntryId live = append(100, 1, "live");
  append(10, 1, "old");  // back-dated: not last, nor field1's last
  const EntryId old_field2 = append(20, 2, "old2");
  BOOST_TEST(last() == live);
  BOOST_TEST(last_with(1) == live);
  BOOST_TEST(last_with(2) == old_field2);  // field2's only value
  // A bulk write reaching back, then one reaching past the newest.
  BulkWrite bulk{channel.write_key, channel.id, {}};
  for (int minute : {30, 40}) {
    BulkEntry entry{at(minute), {}};
    entry.data.fields[1] = "bulk";
    bulk.entries.push_back(entry);
  }
  auto stored = store->AppendBulk(bulk);
  BOOST_REQUIRE(stored.ok());
  BOOST_TEST(last() == live);
  BOOST_TEST(last_with(2) == stored->back().entry_id);  // newer than 20, older than 100
  bulk.entries = {BulkEntry{at(200), {}}};
  bulk.entries[0].data.fields[1] = "newest";
  stored = store->AppendBulk(bulk);
  BOOST_REQUIRE(stored.ok());
  BOOST_TEST(last() == stored->front().entry_id);
  BOOST_TEST(last_with(1) == live);
  // Of one second, the later written is last (times a bulk counted back
  // from its request may share a second with other entries).
  bulk.entries[0].data.fields[0] = "same second";
  bulk.times_computed = true;
  stored = store->AppendBulk(bulk);
  BOOST_REQUIRE(stored.ok());
  const EntryId same_second = stored->front().entry_id;
  BOOST_TEST(last() == same_second);
  BOOST_TEST(last_with(1) == same_second);
  auto snapshot = store->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  auto found = (*snapshot)->FindChannel(channel.id);
  BOOST_REQUIRE(found.ok() && found->has_value());
  BOOST_TEST((*found)->last_entry_id == same_second);
  BOOST_TEST(((*found)->updated_at == at(200)));
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

// The admin commands create a data directory with the default 64 MiB map; a
// server configured with a smaller maximum must keep to it.
BOOST_AUTO_TEST_CASE(an_existing_map_above_the_maximum_is_capped_on_open) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  options.initial_map_bytes = 64 * kMiB;
  Channel channel;
  {
    auto store = Open();
    BOOST_REQUIRE(store->map_bytes() >= 64 * kMiB);
    channel = MakeChannel(*store);
  }
  options.initial_map_bytes = 1 * kMiB;
  options.max_map_bytes = 4 * kMiB;
  auto store = Open();
  BOOST_TEST(store->map_bytes() <= 4 * kMiB);
  {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto found = (*snapshot)->FindChannel(channel.id);
    BOOST_REQUIRE(found.ok());
    BOOST_REQUIRE(found->has_value());
    BOOST_TEST((*found)->write_key == channel.write_key);
  }
  // Bulk writes of about 256 KiB each fill 4 MiB quickly; 16 MiB in all
  // would fit an uncapped 64 MiB map, so the loop ends either way.
  const std::string value(250, 'v');
  Status last;
  int second = 0;
  for (int bulk = 0; bulk < 64 && last.ok(); ++bulk) {
    BulkWrite write{channel.write_key, channel.id, {}};
    for (int i = 0; i < 128; ++i) {
      BulkEntry entry{Timestamp{std::chrono::seconds(++second)}, {}};
      for (auto& field : entry.data.fields) field = value;
      write.entries.push_back(entry);
    }
    last = store->AppendBulk(write).status();
  }
  BOOST_TEST((last.code() == StatusCode::kStorageFull),
             (last.ok() ? "every write succeeded" : last.message()));
  BOOST_TEST(store->map_bytes() <= 4 * kMiB);
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

// A format 1 directory (field_last by highest id) is upgraded by the first
// open: each field's last value is its newest by time again, even where a
// back-dated write had taken field_last.
BOOST_AUTO_TEST_CASE(a_format_1_directory_is_upgraded_on_open) {
  ChannelId id = 0;
  {
    auto store = Open();
    const Channel channel = MakeChannel(*store);
    id = channel.id;
    for (int minute : {10, 20, 5}) {  // ids 1..3; id 3 is back-dated
      EntryWrite write = Reading(channel.write_key, std::to_string(minute));
      write.created_at = Timestamp{std::chrono::minutes(minute)};
      BOOST_REQUIRE(store->Append(write).ok());
    }
  }
  {
    // As format 1 left it: field_last at the highest id, version 1.
    auto env = LmdbEnv::Open(options);
    BOOST_REQUIRE(env.ok());
    auto txn = (*env)->Begin(true);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(
        txn->Put((*env)->dbs().meta, "format_version", std::string("\0\0\0\x01", 4)).ok());
    const std::string field_key = std::string("\0\0\0", 3) + static_cast<char>(id) + '\x01';
    BOOST_REQUIRE(
        txn->Put((*env)->dbs().field_last, field_key, std::string(7, '\0') + '\x03').ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  auto store = Open();
  auto snapshot = store->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  auto last = (*snapshot)->LastEntryWithField(id, 1);
  BOOST_REQUIRE(last.ok() && last->has_value());
  BOOST_TEST((*last)->entry_id == 2u);
}

// Under the services' umask (0027) the files still let the group write:
// the web server's workers share the directory through its group.
BOOST_AUTO_TEST_CASE(the_database_files_let_the_group_write_whatever_the_umask) {
  const mode_t previous = umask(027);
  { Open(); }
  umask(previous);
  for (const char* file : {"/data.mdb", "/lock.mdb"}) {
    struct stat info {};
    BOOST_REQUIRE(stat((options.data_dir + file).c_str(), &info) == 0);
    BOOST_TEST((info.st_mode & 0060) == 0060u, file);
  }
}

// The directory is group-writable: a member could plant a link where a
// database file belongs, for a root shell's admin command to write through.
BOOST_AUTO_TEST_CASE(a_database_file_that_is_a_link_is_refused) {
  for (const char* name : {"/data.mdb", "/lock.mdb"}) {
    TempDir dir;
    StorageOptions linked;
    linked.data_dir = dir / "data";
    std::filesystem::create_directories(linked.data_dir);
    testing::WriteFile(dir / "precious", "keep me");
    std::filesystem::create_symlink(dir / "precious", linked.data_dir + name);
    auto store = LmdbStore::Open(linked);
    BOOST_TEST(!store.ok(), name);
    if (!store.ok()) {
      BOOST_TEST(store.status().message().find("is a symbolic link") != std::string::npos,
                 store.status().message());
    }
    BOOST_TEST(testing::ReadFile(dir / "precious") == "keep me");
  }
}

// Run as root on a directory another user owns (a root shell on the
// packaged directory), the database files are opened with that user's file
// access: they are the owner's, and a link a member of the group swapped in
// could lead nowhere only root may write.
BOOST_AUTO_TEST_CASE(as_root_the_files_are_opened_as_the_directory_owner) {
  BOOST_REQUIRE_MESSAGE(geteuid() == 0 || std::getenv("CI") == nullptr,
                        "CI runs the unit tests as root");
  if (geteuid() != 0) return;  // outside CI, as another user: nothing to show
  const uid_t nobody = 65534;
  BOOST_REQUIRE(chmod(dir.path().c_str(), 0755) == 0);  // mkdtemp's 0700 keeps others out
  std::filesystem::create_directories(options.data_dir);
  BOOST_REQUIRE(chown(options.data_dir.c_str(), nobody, nobody) == 0);
  { Open(); }
  for (const char* file : {"/data.mdb", "/lock.mdb"}) {
    struct stat info {};
    BOOST_REQUIRE(stat((options.data_dir + file).c_str(), &info) == 0);
    BOOST_TEST(info.st_uid == nobody, file);
  }
  // Back to root's own access afterwards.
  testing::WriteFile(dir / "after", "x");
  struct stat after {};
  BOOST_REQUIRE(stat((dir / "after").c_str(), &after) == 0);
  BOOST_TEST(after.st_uid == 0u);
}

BOOST_AUTO_TEST_CASE(list_entries_by_time_window_and_id_range) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const Channel other = MakeChannel(*store);
  // Times out of entry-id order, as bulk and created_at= can produce.
  for (int minute : {10, 30, 20, 50, 40}) {
    EntryWrite write = Reading(channel.write_key, std::to_string(minute));
    write.created_at = Timestamp{std::chrono::minutes(minute)};
    BOOST_REQUIRE(store->Append(write).ok());
  }
  BOOST_REQUIRE(store->Append(Reading(other.write_key, "x")).ok());
  auto snapshot = store->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  const auto values = [&](const EntryRange& range, std::size_t limit) {
    auto entries = (*snapshot)->ListEntries(channel.id, range, limit);
    BOOST_REQUIRE(entries.ok());
    std::string out;
    for (const Entry& entry : *entries) out += *entry.data.fields[0] + " ";
    return out;
  };
  BOOST_TEST(values({}, 100) == "10 20 30 40 50 ");  // ordered by created_at
  BOOST_TEST(values({}, 2) == "40 50 ");             // the newest two
  const auto at = [](int minute) { return Timestamp{std::chrono::minutes(minute)}; };
  BOOST_TEST(values({at(20), at(40), {}, {}}, 100) == "20 30 40 ");  // inclusive
  BOOST_TEST(values({at(20), at(40), {}, {}}, 2) == "30 40 ");
  BOOST_TEST(values({at(45), {}, {}, {}}, 100) == "50 ");
  BOOST_TEST(values({{}, at(15), {}, {}}, 100) == "10 ");
  BOOST_TEST(values({at(51), {}, {}, {}}, 100) == "");
  // Entry ids 2..4 were written as 30, 20, 50: id order, not time order.
  BOOST_TEST(values({{}, {}, 2, 4}, 100) == "30 20 50 ");
  BOOST_TEST(values({{}, {}, 4, {}}, 100) == "50 40 ");
  BOOST_TEST(values({{}, {}, {}, 2}, 1) == "30 ");
  BOOST_TEST(values({at(0), at(100), 2, 3}, 100) == "20 30 ");
  auto one = (*snapshot)->FindEntry(channel.id, 3);
  BOOST_REQUIRE(one.ok() && one->has_value());
  BOOST_TEST(*(*one)->data.fields[0] == "20");
  BOOST_TEST(!(*snapshot)->FindEntry(channel.id, 6)->has_value());
}

BOOST_AUTO_TEST_CASE(given_created_at_is_unique_per_channel) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const Channel other = MakeChannel(*store);
  EntryWrite write = Reading(channel.write_key, "1");
  write.created_at = Timestamp{std::chrono::seconds(1000)};
  BOOST_REQUIRE(store->Append(write).ok());
  auto again = store->Append(write);
  BOOST_TEST((again.status().code() == StatusCode::kInvalidArgument));
  write.api_key = other.write_key;
  BOOST_TEST(store->Append(write).ok());  // another channel may use it
  BOOST_TEST(AllEntries(*store, channel.id).size() == 1u);
}

BOOST_AUTO_TEST_CASE(bulk_writes_are_atomic) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  const auto bulk = [&](std::vector<int> seconds, const std::string& key) {
    BulkWrite write{key, channel.id, {}};
    for (int second : seconds) {
      BulkEntry entry{Timestamp{std::chrono::seconds(second)}, {}};
      entry.data.fields[0] = std::to_string(second);
      write.entries.push_back(entry);
    }
    return store->AppendBulk(write);
  };
  auto stored = bulk({5, 3, 9}, channel.write_key);
  BOOST_REQUIRE(stored.ok());
  BOOST_TEST(stored->size() == 3u);
  BOOST_TEST((*stored)[2].entry_id == 3u);
  // One clash (with a stored entry, or inside the request) stores nothing.
  BOOST_TEST(
      (bulk({20, 21, 9}, channel.write_key).status().code() == StatusCode::kInvalidArgument));
  BOOST_TEST(
      (bulk({30, 31, 30}, channel.write_key).status().code() == StatusCode::kInvalidArgument));
  BOOST_TEST((bulk({40}, channel.read_key).status().code() == StatusCode::kUnauthorized));
  BOOST_TEST(AllEntries(*store, channel.id).size() == 3u);
  // A large bulk write is one transaction.
  std::vector<int> many;
  for (int i = 0; i < 14400; ++i) many.push_back(100000 + i);
  const auto batches = store->batches_committed();
  BOOST_REQUIRE(bulk(many, channel.write_key).ok());
  BOOST_TEST(store->batches_committed() == batches + 1);
  BOOST_TEST(AllEntries(*store, channel.id).size() == 14403u);
}

BOOST_AUTO_TEST_CASE(update_clear_and_delete_channels) {
  auto store = Open();
  auto user = store->CreateUser({"owner", ""});
  BOOST_REQUIRE(user.ok());
  NewChannel request;
  request.name = "c";
  request.owner = "owner";
  request.station = "AA:BB";
  auto channel = store->CreateChannel(request);
  BOOST_REQUIRE(channel.ok());
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(store->Append(Reading(channel->write_key, "v")).ok());

  ChannelSettings settings;
  settings.name = "renamed";
  settings.latitude = "52.5";
  settings.tags = "a,b";
  settings.is_public = true;
  auto updated = store->UpdateChannel(channel->id, [&](ChannelSettings& current) {
    current = settings;
    return OkStatus();
  });
  BOOST_REQUIRE(updated.ok());
  BOOST_TEST(updated->write_key == channel->write_key);
  auto snapshot = store->OpenSnapshot();
  auto reread = (*snapshot)->FindChannel(channel->id);
  BOOST_TEST((*reread)->name == "renamed");
  BOOST_TEST((*reread)->latitude == "52.5");
  BOOST_TEST((*reread)->tags == "a,b");
  BOOST_TEST((*reread)->station == "AA:BB");
  snapshot->reset();

  BOOST_REQUIRE(store->ClearChannel(channel->id).ok());
  BOOST_TEST(AllEntries(*store, channel->id).empty());
  auto restarted = store->Append(Reading(channel->write_key, "again"));
  BOOST_REQUIRE(restarted.ok());
  BOOST_TEST(restarted->entry_id == 1u);  // ids restart after a clear

  BOOST_REQUIRE(store->DeleteChannel(channel->id).ok());
  snapshot = store->OpenSnapshot();
  BOOST_TEST(!(*snapshot)->FindChannel(channel->id)->has_value());
  BOOST_TEST(!(*snapshot)->FindKey(channel->write_key)->has_value());
  snapshot->reset();
  // The station mapping went too: the station's next reading makes a new channel.
  EntryWrite station_write = Reading(user->api_key, "new");
  station_write.station = "aa:bb";
  auto fresh = store->Append(station_write);
  BOOST_REQUIRE(fresh.ok());
  BOOST_TEST(fresh->channel_id != channel->id);
  BOOST_TEST((store->ClearChannel(999).code() == StatusCode::kNotFound));
  BOOST_TEST((store->DeleteChannel(999).status().code() == StatusCode::kNotFound));
}

BOOST_AUTO_TEST_CASE(clearing_a_large_channel_takes_several_parts_and_leaves_no_index) {
  auto store = Open();
  const Channel channel = MakeChannel(*store);
  // Times run backwards against entry ids, so each part must delete an
  // entry's own by_time key, not simply the oldest keys of each table.
  for (int part = 0; part < 2; ++part) {
    BulkWrite write{channel.write_key, channel.id, {}};
    for (int i = 0; i < 14400; ++i) {
      BulkEntry entry{Timestamp{std::chrono::seconds(10'000'000 - part * 14400 - i)}, {}};
      entry.data.fields[0] = "v";
      write.entries.push_back(entry);
    }
    BOOST_REQUIRE(store->AppendBulk(write).ok());
  }
  const auto before = store->batches_committed();
  BOOST_REQUIRE(store->ClearChannel(channel.id).ok());
  BOOST_TEST(store->batches_committed() - before == 2u);  // 28,800 entries, 20,000 a part
  auto snapshot = store->OpenSnapshot();
  auto listed = (*snapshot)->ListEntries(channel.id, {}, 100000);
  BOOST_REQUIRE(listed.ok());  // a dangling by_time key would be an error here
  BOOST_TEST(listed->empty());
  BOOST_TEST(!(*snapshot)->LastEntryWithField(channel.id, 1)->has_value());
  snapshot->reset();
  auto next = store->Append(Reading(channel.write_key, "fresh"));
  BOOST_REQUIRE(next.ok());
  BOOST_TEST(next->entry_id == 1u);
  BOOST_TEST(AllEntries(*store, channel.id).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
