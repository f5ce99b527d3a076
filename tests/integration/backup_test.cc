// `fieldpost backup` and `fieldpost restore` as a sysadmin runs them: a
// backup taken while a server writes, restored elsewhere, and restores
// that must refuse and change nothing.
#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "storage/lmdb/lmdb_store.h"
#include "tests/integration/cli.h"
#include "tests/integration/serve_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace fieldpost::testing {
namespace {

int Fieldpost(const std::vector<std::string>& args, std::string& output) {
  std::vector<std::string> argv = {FIELDPOST_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, output);
}

// The entry ids stored in `data_dir`'s channel, read straight from the
// database.
std::vector<EntryId> StoredIds(const std::string& data_dir, ChannelId channel) {
  StorageOptions options;
  options.data_dir = data_dir;
  auto store = LmdbStore::Open(options);
  BOOST_REQUIRE_MESSAGE(store.ok(), store.status().message());
  auto snapshot = (*store)->OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  auto entries = (*snapshot)->ListEntries(channel, {}, 10'000'000);
  BOOST_REQUIRE(entries.ok());
  std::vector<EntryId> ids;
  for (const Entry& entry : *entries) ids.push_back(entry.entry_id);
  return ids;
}

BOOST_AUTO_TEST_SUITE(backup)

BOOST_AUTO_TEST_CASE(a_backup_under_write_load_holds_every_write_acknowledged_before_it) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  const ChannelKeys channel = CreateChannel(data, "busy");
  ServeProcess serve(dir);
  std::atomic<bool> stop = false;
  std::atomic<EntryId> acknowledged = 0;  // the highest entry id answered
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&] {
      while (!stop) {
        const HttpReply reply =
            Get(serve.port(), "/update?api_key=" + channel.write_key + "&field1=1");
        const EntryId id = reply.status == 200 ? std::stoull("0" + reply.body) : 0;
        for (EntryId seen = acknowledged;
             id > seen && !acknowledged.compare_exchange_weak(seen, id);) {
        }
      }
    });
  }
  BOOST_REQUIRE(WaitFor([&] { return acknowledged > 200; }, std::chrono::seconds(20)));
  const EntryId before_backup = acknowledged;
  std::string output;
  const int backed_up =
      Fieldpost({"backup", "--data", data, "--to", dir / "b.mdb", "--json"}, output);
  // Writes go on after the backup, which must not hold them up.
  const EntryId at_backup_end = acknowledged;
  BOOST_REQUIRE(
      WaitFor([&] { return acknowledged > at_backup_end + 50; }, std::chrono::seconds(20)));
  stop = true;
  for (std::thread& writer : writers) writer.join();
  BOOST_REQUIRE_MESSAGE(backed_up == 0, output);
  BOOST_TEST(output.find("\"entries\":") != std::string::npos, output);

  BOOST_REQUIRE_MESSAGE(
      Fieldpost({"restore", "--from", dir / "b.mdb", "--data", dir / "restored"}, output) == 0,
      output);
  const std::vector<EntryId> ids = StoredIds(dir / "restored", channel.id);
  BOOST_REQUIRE(!ids.empty());
  BOOST_TEST(ids.back() >= before_backup);
  BOOST_TEST(ids.back() < acknowledged.load(), "the backup holds writes made after it ended");
  for (std::size_t i = 0; i < ids.size(); ++i) BOOST_REQUIRE_EQUAL(ids[i], i + 1);
}

// A file that is not a whole fieldpost backup is refused before anything
// is replaced: the database in place stays as it was, and no file is left.
BOOST_AUTO_TEST_CASE(a_truncated_or_foreign_file_is_refused_and_nothing_changes) {
  TempDir dir;
  const std::string source = dir / "source";
  std::filesystem::create_directories(source);
  CreateChannel(source, "source");
  std::string output;
  BOOST_REQUIRE_MESSAGE(
      Fieldpost({"backup", "--data", source, "--to", dir / "whole.mdb"}, output) == 0, output);
  const std::string whole = ReadFile(dir / "whole.mdb");
  WriteFile(dir / "truncated.mdb", whole.substr(0, whole.size() / 2));
  WriteFile(dir / "text.mdb", "created_at,entry_id,field1\n2026-01-01 00:00:00 UTC,1,2\n");
  WriteFile(dir / "empty.mdb", "");

  const std::string target = dir / "target";
  std::filesystem::create_directories(target);
  CreateChannel(target, "in place");
  CreateChannel(target, "in place too");
  const std::string in_place = ReadFile(target + "/data.mdb");
  for (const auto& [file, reason] :
       std::vector<std::pair<std::string, std::string>>{{"truncated.mdb", "is truncated"},
                                                        {"text.mdb", "not an LMDB file"},
                                                        {"empty.mdb", "not a fieldpost backup"},
                                                        {"missing.mdb", "cannot read"}}) {
    BOOST_TEST_CONTEXT(file) {
      BOOST_TEST(
          Fieldpost({"restore", "--from", dir / file, "--data", target, "--force"}, output) != 0);
      BOOST_TEST(output.find(reason) != std::string::npos, output);
      BOOST_TEST(ReadFile(target + "/data.mdb") == in_place);
      std::vector<std::string> names;
      for (const auto& entry : std::filesystem::directory_iterator(target)) {
        names.push_back(entry.path().filename());
      }
      std::sort(names.begin(), names.end());
      BOOST_TEST(names == (std::vector<std::string>{"data.mdb", "lock.mdb"}));
      // Nor does a refused restore create the directory it was given.
      BOOST_TEST(Fieldpost({"restore", "--from", dir / file, "--data", dir / "new"}, output) != 0);
      BOOST_TEST(!std::filesystem::exists(dir / "new"));
    }
  }
  BOOST_TEST(ListChannels(target).size() == 2u);
}

BOOST_AUTO_TEST_CASE(restore_keeps_what_it_replaces_and_refuses_a_database_in_use) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  CreateChannel(data, "backed up");
  std::string output;
  BOOST_REQUIRE_MESSAGE(Fieldpost({"backup", "--data", data, "--to", dir / "b.mdb"}, output) == 0,
                        output);
  CreateChannel(data, "after the backup");
  {
    ServeProcess serve(dir);
    BOOST_TEST(Fieldpost({"restore", "--from", dir / "b.mdb", "--data", data, "--force"}, output) !=
               0);
    BOOST_TEST(output.find("stop it, then restore") != std::string::npos, output);
    BOOST_TEST(ListChannels(data).size() == 2u);
  }
  BOOST_TEST(Fieldpost({"restore", "--from", dir / "b.mdb", "--data", data}, output) != 0);
  BOOST_TEST(output.find("--force replaces it") != std::string::npos, output);
  BOOST_REQUIRE_MESSAGE(
      Fieldpost({"restore", "--from", dir / "b.mdb", "--data", data, "--force"}, output) == 0,
      output);
  BOOST_TEST(ListChannels(data).size() == 1u);
  BOOST_TEST(std::filesystem::exists(data + "/data.mdb.before-restore"));
  // Every server user of the directory's group may write what it restored.
  const auto restored = std::filesystem::status(data + "/data.mdb").permissions();
  BOOST_TEST(((restored & std::filesystem::perms::group_write) != std::filesystem::perms::none));
  // A second restore would overwrite what the first one kept.
  BOOST_TEST(Fieldpost({"restore", "--from", dir / "b.mdb", "--data", data, "--force"}, output) !=
             0);
  BOOST_TEST(output.find("holds the database an earlier restore replaced") != std::string::npos,
             output);
}

BOOST_AUTO_TEST_CASE(a_target_in_the_data_directory_or_naming_its_files_is_refused) {
  TempDir dir;
  const std::string data = dir / "data";
  std::filesystem::create_directories(data);
  CreateChannel(data, "live");
  std::string output;
  BOOST_REQUIRE_MESSAGE(Fieldpost({"backup", "--data", data, "--to", dir / "b.mdb"}, output) == 0,
                        output);
  std::filesystem::create_directory_symlink(data, dir / "link-to-data");
  std::filesystem::create_hard_link(data + "/data.mdb", dir / "hard-link.mdb");
  std::filesystem::create_symlink(data + "/lock.mdb", dir / "lock-link");
  std::filesystem::create_directories(data + "/backups");
  const auto links = std::filesystem::hard_link_count(data + "/data.mdb");
  const std::string database = ReadFile(data + "/data.mdb");
  for (const std::string& to :
       {data + "/data.mdb", data + "/lock.mdb", data + "/new.mdb", data + "/backups/b.mdb",
        dir / "link-to-data/data.mdb", dir / "link-to-data/../data/lock.mdb", dir / "hard-link.mdb",
        dir / "lock-link"}) {
    BOOST_TEST_CONTEXT("backup --to " << to) {
      BOOST_TEST(Fieldpost({"backup", "--data", data, "--to", to}, output) != 0);
      BOOST_TEST(output.find("fieldpost: ") == 0u, output);
      BOOST_TEST((output.find("inside the data directory") != std::string::npos ||
                  output.find("of the data directory") != std::string::npos),
                 output);
    }
  }
  for (const std::string& from : {data + "/data.mdb", dir / "link-to-data/lock.mdb",
                                  dir / "hard-link.mdb", data + "/backups/b.mdb"}) {
    BOOST_TEST_CONTEXT("restore --from " << from) {
      std::filesystem::copy_file(dir / "b.mdb", data + "/backups/b.mdb",
                                 std::filesystem::copy_options::overwrite_existing);
      BOOST_TEST(Fieldpost({"restore", "--from", from, "--data", data, "--force"}, output) != 0);
      BOOST_TEST((output.find("inside the data directory") != std::string::npos ||
                  output.find("of the data directory") != std::string::npos),
                 output);
    }
  }
  // Nothing was replaced: the same file (still linked twice), the same bytes.
  BOOST_TEST(std::filesystem::hard_link_count(data + "/data.mdb") == links);
  BOOST_TEST(ReadFile(data + "/data.mdb") == database);
  BOOST_TEST(!std::filesystem::exists(data + "/data.mdb.before-restore"));
  BOOST_TEST(ListChannels(data).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost::testing
