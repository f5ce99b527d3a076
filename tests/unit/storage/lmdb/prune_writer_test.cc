#include "storage/lmdb/prune_writer.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "storage/lmdb/lmdb_store.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using std::chrono::days;
using std::chrono::seconds;

Timestamp At(long long s) { return Timestamp{seconds(s)}; }

Timestamp Now() { return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()); }

struct PruneFixture {
  PruneFixture() { Open({}); }

  void Open(StorageOptions options) {
    store.reset();
    options.data_dir = dir / "data";
    auto opened = LmdbStore::Open(options);
    BOOST_REQUIRE(opened.ok());
    store = std::move(opened).value();
  }

  Channel Create(std::uint32_t retention_days = 0) {
    NewChannel request;
    request.name = "c";
    request.retention_days = retention_days;
    auto channel = store->CreateChannel(request);
    BOOST_REQUIRE(channel.ok());
    return *channel;
  }

  // One entry at `when` with `value` in `field`.
  Entry Write(const Channel& channel, Timestamp when, int field = 1, const char* value = "1") {
    EntryWrite write;
    write.api_key = channel.write_key;
    write.created_at = when;
    write.data.fields[field - 1] = value;
    auto entry = store->Append(write);
    BOOST_REQUIRE(entry.ok());
    return *entry;
  }

  std::vector<EntryId> Ids(ChannelId channel) {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto entries = (*snapshot)->ListEntries(channel, EntryRange{}, 100000);
    BOOST_REQUIRE(entries.ok());
    std::vector<EntryId> ids;
    for (const Entry& entry : *entries) ids.push_back(entry.entry_id);
    return ids;
  }

  std::optional<Entry> LastWith(ChannelId channel, int field) {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto entry = (*snapshot)->LastEntryWithField(channel, field);
    BOOST_REQUIRE(entry.ok());
    return *entry;
  }

  Channel Read(ChannelId id) {
    auto snapshot = store->OpenSnapshot();
    BOOST_REQUIRE(snapshot.ok());
    auto channel = (*snapshot)->FindChannel(id);
    BOOST_REQUIRE(channel.ok());
    BOOST_REQUIRE(channel->has_value());
    return **channel;
  }

  testing::TempDir dir;
  std::unique_ptr<LmdbStore> store;
};

BOOST_FIXTURE_TEST_SUITE(prune_writer, PruneFixture)

BOOST_AUTO_TEST_CASE(entries_before_the_time_go_and_the_rest_stay) {
  const Channel channel = Create();
  for (int i = 0; i < 10; ++i) Write(channel, At(1000 + i));
  auto pruned = store->PruneChannel(channel.id, At(1004));
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 4u);
  BOOST_TEST(Ids(channel.id) == (std::vector<EntryId>{5, 6, 7, 8, 9, 10}));
  // The time index went with them: a read by time finds only the rest.
  auto snapshot = store->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  EntryRange early;
  early.end = At(1004);
  auto before = (*snapshot)->ListEntries(channel.id, early, 100);
  BOOST_REQUIRE(before.ok());
  BOOST_TEST(before->size() == 1u);
  BOOST_TEST(before->front().entry_id == 5u);
  snapshot->reset();
  // Nothing more to do the second time.
  BOOST_TEST(*store->PruneChannel(channel.id, At(1004)) == 0u);
}

BOOST_AUTO_TEST_CASE(the_newest_entry_stays_and_ids_go_on_from_it) {
  const Channel channel = Create();
  for (int i = 0; i < 5; ++i) Write(channel, At(1000 + i));
  auto pruned = store->PruneChannel(channel.id, At(5000));
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 4u);
  BOOST_TEST(Ids(channel.id) == (std::vector<EntryId>{5}));
  BOOST_TEST(Write(channel, At(6000)).entry_id == 6u);
}

// A field whose newest value is pruned: field_last names the newest value
// left, or nothing, so last-value reads never name a missing entry.
BOOST_AUTO_TEST_CASE(field_last_follows_the_values_that_remain) {
  const Channel channel = Create();
  Write(channel, At(100), 2, "old");     // id 1
  Write(channel, At(50), 3, "early");    // id 2: back-dated
  Write(channel, At(40), 2, "older");    // id 3: back-dated, not field 2's last
  Write(channel, At(300), 1, "newest");  // id 4
  BOOST_TEST(LastWith(channel.id, 2)->entry_id == 1u);

  // Deletes ids 3 and 2: field 2's newest left is id 1; field 3 has none.
  auto pruned = store->PruneChannel(channel.id, At(60));
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 2u);
  auto field2 = LastWith(channel.id, 2);
  BOOST_REQUIRE(field2.has_value());
  BOOST_TEST(field2->entry_id == 1u);
  BOOST_TEST(*field2->data.fields[1] == "old");
  BOOST_TEST(!LastWith(channel.id, 3).has_value());
  BOOST_TEST(!Read(channel.id).FieldEnabled(3));
  BOOST_TEST(Read(channel.id).FieldEnabled(2));

  BOOST_REQUIRE(store->PruneChannel(channel.id, At(1000)).ok());
  BOOST_TEST(!LastWith(channel.id, 2).has_value());
  BOOST_TEST(LastWith(channel.id, 1)->entry_id == 4u);
  BOOST_TEST(Read(channel.id).last_entry_id == 4u);
}

// Two entries stay whatever their age: the highest id (ids go on from it)
// and the last in time order. A field whose last value goes is mended from
// what is left before it, here the back-dated highest id.
BOOST_AUTO_TEST_CASE(the_highest_id_and_the_last_entry_both_stay) {
  const Channel channel = Create();
  Write(channel, At(10), 5, "a");   // id 1: pruned
  Write(channel, At(20), 5, "b");   // id 2: pruned, field 5's last
  Write(channel, At(600), 6, "h");  // id 3: the last entry
  Write(channel, At(5), 5, "c");    // id 4: back-dated, the highest id
  BOOST_TEST(LastWith(channel.id, 5)->entry_id == 2u);
  BOOST_REQUIRE(store->PruneChannel(channel.id, At(1000)).ok());
  BOOST_TEST(Ids(channel.id) == (std::vector<EntryId>{4, 3}));  // in time order
  auto field5 = LastWith(channel.id, 5);
  BOOST_REQUIRE(field5.has_value());
  BOOST_TEST(field5->entry_id == 4u);
  BOOST_TEST(LastWith(channel.id, 6)->entry_id == 3u);
  BOOST_TEST(Write(channel, At(700)).entry_id == 5u);
}

BOOST_AUTO_TEST_CASE(a_large_prune_takes_several_parts) {
  const Channel channel = Create();
  BulkWrite bulk;
  bulk.api_key = channel.write_key;
  bulk.channel_id = channel.id;
  for (int i = 0; i < 5000; ++i) {
    BulkEntry entry;
    entry.created_at = At(10000 + i);
    entry.data.fields[0] = "1";
    bulk.entries.push_back(entry);
  }
  BOOST_REQUIRE(store->AppendBulk(bulk).ok());
  const auto batches = store->batches_committed();
  auto pruned = store->PruneChannel(channel.id, At(20000));
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 4999u);
  BOOST_TEST(store->batches_committed() - batches >= 3u);
  BOOST_TEST(Ids(channel.id) == (std::vector<EntryId>{5000}));
}

BOOST_AUTO_TEST_CASE(an_unknown_channel_is_not_found) {
  BOOST_TEST((store->PruneChannel(42, At(1)).status().code() == StatusCode::kNotFound));
}

BOOST_AUTO_TEST_CASE(expiry_uses_each_channel_s_retention_or_the_default) {
  StorageOptions options;
  options.default_retention_days = 3;
  Open(options);
  const Channel by_default = Create();
  const Channel own = Create(10);
  const Channel another = Create(1);
  const Timestamp now = Now();
  for (const Channel* channel : {&by_default, &own, &another}) {
    Write(*channel, now - days(20));
    Write(*channel, now - days(5));
    Write(*channel, now - days(2));
    Write(*channel, now - seconds(60));
  }
  auto pruned = store->PruneExpired(now);
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 2u + 1u + 3u);
  BOOST_TEST(Ids(by_default.id) == (std::vector<EntryId>{3, 4}));
  BOOST_TEST(Ids(own.id) == (std::vector<EntryId>{2, 3, 4}));
  BOOST_TEST(Ids(another.id) == (std::vector<EntryId>{4}));
}

BOOST_AUTO_TEST_CASE(without_a_retention_nothing_expires) {
  const Channel channel = Create();
  const Timestamp now = Now();
  Write(channel, now - days(3000));
  Write(channel, now);
  BOOST_TEST(*store->PruneExpired(now) == 0u);
  BOOST_TEST(Ids(channel.id).size() == 2u);
}

// Every nginx worker and Apache child has a pruner: the first to come to
// an interval's pass claims it, the others skip it.
BOOST_AUTO_TEST_CASE(one_pass_per_interval_is_claimed_per_directory) {
  const Timestamp now = At(1'000'000);
  const std::chrono::seconds hour(3600);
  BOOST_TEST(*store->ClaimPrunePass(now, hour));
  BOOST_TEST(!*store->ClaimPrunePass(now, hour));
  BOOST_TEST(!*store->ClaimPrunePass(now + std::chrono::seconds(3599), hour));
  BOOST_TEST(*store->ClaimPrunePass(now + hour, hour));
  // Another process's claim a second ahead stands; one more than an
  // interval ahead (the clock stepped back) is stale.
  BOOST_TEST(!*store->ClaimPrunePass(now + hour - std::chrono::seconds(1), hour));
  BOOST_TEST(*store->ClaimPrunePass(now - std::chrono::seconds(1), hour));
}

BOOST_AUTO_TEST_CASE(a_server_store_prunes_in_the_background) {
  StorageOptions options;
  options.prune_interval = seconds(1);
  Open(options);
  const Channel channel = Create(1);
  const Timestamp now = Now();
  Write(channel, now - days(3));
  Write(channel, now);
  for (int i = 0; i < 100 && Ids(channel.id).size() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(Ids(channel.id) == (std::vector<EntryId>{2}));
  // Closing a store does not wait for its next pass (else this test would
  // hang for an hour).
  options.prune_interval = std::chrono::hours(1);
  Open(options);
  store.reset();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
