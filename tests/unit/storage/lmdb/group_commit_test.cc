#include "storage/lmdb/group_commit.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>

#include "storage/lmdb/lmdb_env.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using testing::TempDir;

struct CommitterFixture {
  CommitterFixture() {
    options.data_dir = dir / "data";
    auto opened = LmdbEnv::Open(options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    env = std::move(opened).value();
  }

  TempDir dir;
  StorageOptions options;
  std::unique_ptr<LmdbEnv> env;
};

BOOST_FIXTURE_TEST_SUITE(group_commit, CommitterFixture)

// A stored write is answered once a later flush covers its meta page. The
// batches after it may change nothing (every write in them refused, as a
// flood with a wrong key is): they flush nothing, so they must not keep
// it waiting.
BOOST_AUTO_TEST_CASE(refused_writes_after_a_stored_one_do_not_hold_its_answer) {
  GroupCommitter committer(*env);
  std::atomic<bool> answered{false};
  std::atomic<int> refusals{0};
  constexpr int kMaxRefusals = 200;
  // Each refused write submits the next from inside its batch, so a batch
  // is always waiting when the last one commits.
  std::function<void()> submit_refusal = [&] {
    committer.Submit(
        [&](LmdbTxn&) -> Status {
          if (!answered && ++refusals < kMaxRefusals) submit_refusal();
          return InvalidArgument("refused");
        },
        [](Status) {});
  };
  std::promise<int> answered_after;
  committer.Submit(
      [&](LmdbTxn& txn) {
        submit_refusal();
        return txn.Put(env->dbs().meta, "stored", "1");
      },
      [&](Status status) {
        answered_after.set_value(status.ok() ? refusals.load() : -1);
        answered = true;
      });
  auto answer = answered_after.get_future();
  BOOST_REQUIRE(answer.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const int refusals_before = answer.get();
  BOOST_TEST(refusals_before >= 0, "the stored write was not answered OK");
  BOOST_TEST(refusals_before < kMaxRefusals, "the stored write waited for every refusal");
  committer.Stop();  // after the chain, which ends once the write is answered
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
