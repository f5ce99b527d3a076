#include "storage/lmdb/lmdb_backup.h"

#include <fcntl.h>
#include <lmdb.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "storage/lmdb/key_codec.h"
#include "storage/lmdb/lmdb_store.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using testing::TempDir;

// A backup of a store with one channel and three entries.
std::string MakeBackup(const TempDir& dir) {
  StorageOptions options;
  options.data_dir = dir / "data";
  {
    auto store = LmdbStore::Open(options);
    BOOST_REQUIRE(store.ok());
    NewChannel request;
    request.name = "c";
    auto channel = (*store)->CreateChannel(request);
    BOOST_REQUIRE(channel.ok());
    for (int i = 0; i < 3; ++i) {
      EntryWrite write;
      write.api_key = channel->write_key;
      write.data.fields[0] = std::to_string(i);
      BOOST_REQUIRE((*store)->Append(write).ok());
    }
  }
  const std::string path = dir / "backup.mdb";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  BOOST_REQUIRE(fd >= 0);
  BOOST_REQUIRE(WriteBackup(options, fd).ok());
  close(fd);
  return path;
}

// Runs `change` in a write transaction on the LMDB file at `path`, with
// the named database `name` (created if missing).
template <typename Change>
void ChangeFile(const std::string& path, const char* name, Change change) {
  MDB_env* env = nullptr;
  BOOST_REQUIRE(mdb_env_create(&env) == MDB_SUCCESS);
  mdb_env_set_maxdbs(env, 16);
  BOOST_REQUIRE(mdb_env_open(env, path.c_str(), MDB_NOSUBDIR | MDB_NOLOCK, 0600) == MDB_SUCCESS);
  MDB_txn* txn = nullptr;
  BOOST_REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == MDB_SUCCESS);
  MDB_dbi dbi = 0;
  BOOST_REQUIRE(mdb_dbi_open(txn, name, MDB_CREATE, &dbi) == MDB_SUCCESS);
  change(txn, dbi);
  BOOST_REQUIRE(mdb_txn_commit(txn) == MDB_SUCCESS);
  mdb_env_close(env);
}

BOOST_AUTO_TEST_SUITE(lmdb_backup)

BOOST_AUTO_TEST_CASE(a_backup_checks_and_counts_what_it_holds) {
  TempDir dir;
  auto contents = CheckBackup(MakeBackup(dir));
  BOOST_REQUIRE_MESSAGE(contents.ok(), contents.status().message());
  BOOST_TEST(contents->channels == 1u);
  BOOST_TEST(contents->entries == 3u);
}

BOOST_AUTO_TEST_CASE(an_lmdb_file_of_another_program_is_refused) {
  TempDir dir;
  const std::string path = dir / "other.mdb";
  ChangeFile(path, "other", [](MDB_txn* txn, MDB_dbi dbi) {
    MDB_val key{1, const_cast<char*>("k")}, value{1, const_cast<char*>("v")};
    BOOST_REQUIRE(mdb_put(txn, dbi, &key, &value, 0) == MDB_SUCCESS);
  });
  auto contents = CheckBackup(path, "other.mdb");
  BOOST_REQUIRE(!contents.ok());
  BOOST_TEST(contents.status().message().find("other.mdb is not a fieldpost backup: no meta") == 0,
             contents.status().message());
}

BOOST_AUTO_TEST_CASE(a_backup_of_another_format_version_is_refused) {
  TempDir dir;
  const std::string path = MakeBackup(dir);
  ChangeFile(path, "meta", [](MDB_txn* txn, MDB_dbi dbi) {
    const std::string version = EncodeU32(kFormatVersion + 1);
    MDB_val key{kFormatVersionKey.size(), const_cast<char*>(kFormatVersionKey.data())};
    MDB_val value{version.size(), const_cast<char*>(version.data())};
    BOOST_REQUIRE(mdb_put(txn, dbi, &key, &value, 0) == MDB_SUCCESS);
  });
  auto contents = CheckBackup(path);
  BOOST_REQUIRE(!contents.ok());
  const std::string expected = "has format version " + std::to_string(kFormatVersion + 1) +
                               "; this fieldpost reads version " + std::to_string(kFormatVersion);
  BOOST_TEST(contents.status().message().find(expected) != std::string::npos,
             contents.status().message());
}

BOOST_AUTO_TEST_CASE(a_database_open_elsewhere_cannot_be_locked) {
  TempDir dir;
  StorageOptions options;
  options.data_dir = dir / "data";
  auto store = LmdbStore::Open(options);
  BOOST_REQUIRE(store.ok());
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    auto lock = LockDatabase(options.data_dir);
    const bool named = !lock.ok() && lock.status().message().find(
                                         "process " + std::to_string(getppid()) + " has ") == 0;
    _exit(named ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the child could lock it");
  store->reset();
  BOOST_TEST(LockDatabase(options.data_dir).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
