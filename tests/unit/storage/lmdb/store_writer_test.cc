#include "storage/lmdb/store_writer.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "storage/lmdb/admin_writer.h"
#include "storage/lmdb/lmdb_env.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using std::chrono::seconds;

Timestamp At(long long s) { return Timestamp{seconds(s)}; }

// Several appends in one write transaction, as a batch of the group
// committer runs them: the later ones take the channel's tail from what
// the earlier ones left (WriteMemo), not from the database.
struct OneTransaction {
  OneTransaction() {
    StorageOptions options;
    options.data_dir = dir / "data";
    auto opened = LmdbEnv::Open(options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    env = std::move(opened).value();
    auto begun = env->Begin(true);
    BOOST_REQUIRE(begun.ok());
    txn.emplace(std::move(begun).value());
    writer.emplace(*txn, env->dbs());
    NewChannel request;
    request.name = "c";
    auto created = writer->InsertChannel(request, At(1));
    BOOST_REQUIRE(created.ok());
    channel = std::move(created).value();
  }

  // An entry at `when` with `value` in `field`.
  Entry Append(Timestamp when, int field = 1, const char* value = "1") {
    auto entry = TryAppend(channel.write_key, when, field, value);
    BOOST_REQUIRE_MESSAGE(entry.ok(), entry.status().message());
    return *entry;
  }

  Result<Entry> TryAppend(const std::string& key, std::optional<Timestamp> when = {}, int field = 1,
                          const char* value = "1", Timestamp now = At(1000)) {
    EntryWrite write;
    write.api_key = key;
    write.created_at = when;
    write.data.fields[field - 1] = value;
    return writer->Append(write, now);
  }

  EntryId LastWith(int field) {
    auto entry = writer->LastEntryWithField(channel.id, field);
    BOOST_REQUIRE(entry.ok());
    BOOST_REQUIRE(entry->has_value());
    return (*entry)->entry_id;
  }

  testing::TempDir dir;
  std::unique_ptr<LmdbEnv> env;
  std::optional<LmdbTxn> txn;
  std::optional<StoreWriter> writer;
  Channel channel;
};

BOOST_FIXTURE_TEST_SUITE(store_writer, OneTransaction)

BOOST_AUTO_TEST_CASE(appends_in_one_transaction_follow_each_other) {
  BOOST_TEST(Append(At(200)).entry_id == 1u);
  // Back-dated behind the first: not field 1's last value.
  BOOST_TEST(Append(At(150)).entry_id == 2u);
  BOOST_TEST(LastWith(1) == 1u);
  // Back-dated, but field 2 has no newer value.
  BOOST_TEST(Append(At(100), 2).entry_id == 3u);
  BOOST_TEST(LastWith(2) == 3u);
  BOOST_TEST(Append(At(300)).entry_id == 4u);
  BOOST_TEST(LastWith(1) == 4u);
  auto newest = writer->NewestPlace(channel.id);
  BOOST_REQUIRE(newest.ok());
  BOOST_REQUIRE(newest->has_value());
  BOOST_TEST((**newest == EntryPlace{At(300), 4}));
}

BOOST_AUTO_TEST_CASE(a_clear_in_the_same_transaction_is_not_overlooked) {
  for (int i = 0; i < 3; ++i) Append(At(100 + i));
  bool done = false;
  BOOST_REQUIRE(writer->ClearChannelPart(channel.id, 100, done).ok());
  BOOST_REQUIRE(done);
  auto last = writer->LastEntryId(channel.id);
  BOOST_REQUIRE(last.ok());
  // The append agrees with the database, not with what the appends before
  // the clear had learnt.
  const Entry entry = Append(At(50));
  BOOST_TEST(entry.entry_id == *last + 1);
  BOOST_TEST(LastWith(1) == entry.entry_id);
}

// A key regenerated between two appends of one batch no longer writes.
BOOST_AUTO_TEST_CASE(a_key_replaced_in_the_same_transaction_is_refused) {
  const std::string old_key = channel.write_key;
  BOOST_REQUIRE(TryAppend(old_key).ok());
  auto regenerated =
      AdminWriter(*txn, env->dbs()).RegenerateChannelKey(channel.id, KeyKind::kWrite);
  BOOST_REQUIRE(regenerated.ok());
  const Result<Entry> refused = TryAppend(old_key);
  BOOST_TEST((refused.status().code() == StatusCode::kUnauthorized));
  BOOST_TEST(TryAppend(regenerated->write_key).ok());
}

// A channel deleted between two appends of one batch takes its keys with
// it: the second append is refused. Its entries are left uncleared here
// (the admin command clears them first), so that the only deletes are of
// the key and the record: the memo must forget on those too.
BOOST_AUTO_TEST_CASE(a_channel_deleted_in_the_same_transaction_takes_its_key) {
  BOOST_REQUIRE(TryAppend(channel.write_key).ok());
  BOOST_REQUIRE(writer->DeleteChannel(channel.id).ok());
  BOOST_TEST((TryAppend(channel.write_key).status().code() == StatusCode::kUnauthorized));
  auto last = writer->LastEntryId(channel.id);
  BOOST_REQUIRE(last.ok());
  BOOST_TEST(*last == 1u);  // the first append's, and no second
}

// The write interval holds between appends of one batch, and a change of
// it in the same batch counts at once.
BOOST_AUTO_TEST_CASE(the_write_interval_holds_within_a_transaction) {
  const auto set_interval = [&](std::uint32_t seconds) {
    auto updated = writer->UpdateChannel(channel.id, [seconds](ChannelSettings& settings) {
      settings.min_write_interval_s = seconds;
      return OkStatus();
    });
    BOOST_REQUIRE(updated.ok());
  };
  set_interval(15);
  BOOST_REQUIRE(TryAppend(channel.write_key, {}, 1, "1", At(1000)).ok());
  BOOST_TEST((TryAppend(channel.write_key, {}, 1, "2", At(1014)).status().code() ==
              StatusCode::kTooManyRequests));
  BOOST_REQUIRE(TryAppend(channel.write_key, {}, 1, "3", At(1015)).ok());
  BOOST_TEST((TryAppend(channel.write_key, {}, 1, "4", At(1016)).status().code() ==
              StatusCode::kTooManyRequests));
  set_interval(0);
  BOOST_TEST(TryAppend(channel.write_key, {}, 1, "5", At(1016)).ok());
  set_interval(60);
  // A write while the channel had no interval is not tracked: the interval
  // counts from the last tracked one, at 1015.
  BOOST_TEST((TryAppend(channel.write_key, {}, 1, "6", At(1074)).status().code() ==
              StatusCode::kTooManyRequests));
  BOOST_TEST(TryAppend(channel.write_key, {}, 1, "7", At(1075)).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
