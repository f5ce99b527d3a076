#include "storage/lmdb/store_writer.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "storage/lmdb/lmdb_env.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using std::chrono::seconds;

Timestamp At(long long s) { return Timestamp{seconds(s)}; }

// Several appends in one write transaction, as a batch of the group
// committer runs them: the later ones take the channel's tail from what
// the earlier ones left (ChannelTails), not from the database.
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
    EntryWrite write;
    write.api_key = channel.write_key;
    write.created_at = when;
    write.data.fields[field - 1] = value;
    auto entry = writer->Append(write, At(1000));
    BOOST_REQUIRE_MESSAGE(entry.ok(), entry.status().message());
    return *entry;
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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
