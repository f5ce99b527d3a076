#include "storage/lmdb/append_relay.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/lmdb/lmdb_store.h"
#include "tests/support/temp_dir.h"

namespace fieldpost {
namespace {

using testing::TempDir;

// A committer stand-in: records what it is handed, and answers at once
// with the next entry id, or keeps the callbacks when told to hold them.
struct FakeCommitter {
  void Submit(EntryWrite write, Store::AppendDone done) {
    std::unique_lock lock(mutex);
    values.push_back(*write.data.fields[0]);
    if (hold) {
      held.push_back(std::move(done));
      return;
    }
    Entry entry;
    entry.entry_id = values.size();
    entry.data = write.data;
    lock.unlock();
    done(entry);
  }
  AppendRelay::LocalSubmit Local() {
    return [this](EntryWrite write, Store::AppendDone done) {
      Submit(std::move(write), std::move(done));
    };
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return values.size();
  }

  std::mutex mutex;
  std::vector<std::string> values;
  bool hold = false;
  std::vector<Store::AppendDone> held;
};

EntryWrite Reading(const std::string& value) {
  EntryWrite write;
  write.api_key = "KEY";
  write.data.fields[0] = value;
  return write;
}

// Submits through `relay` and waits for the result.
Result<Entry> Append(AppendRelay& relay, const std::string& value) {
  std::promise<Result<Entry>> promise;
  relay.SubmitAppend(Reading(value), [&](Result<Entry> result) { promise.set_value(result); });
  return promise.get_future().get();
}

// Evaluates `condition` until it holds, once per step: it may act (submit
// an append) as well as look.
void WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool met;
  while (!(met = condition()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  BOOST_REQUIRE(met);
}

// The answer `future` holds, failing the case if none comes in 10 s.
Result<Entry> Answer(std::future<Result<Entry>> future) {
  BOOST_REQUIRE((future.wait_for(std::chrono::seconds(10)) == std::future_status::ready));
  return future.get();
}

BOOST_AUTO_TEST_SUITE(append_relay)

BOOST_AUTO_TEST_CASE(the_first_leads_and_commits_the_followers_appends) {
  TempDir dir;
  FakeCommitter first_committer, second_committer;
  AppendRelay first(dir.path(), first_committer.Local());
  AppendRelay second(dir.path(), second_committer.Local());
  BOOST_TEST(first.leading());
  BOOST_TEST(!second.leading());

  BOOST_TEST(Append(first, "a")->entry_id == 1u);
  const Result<Entry> relayed = Append(second, "b");
  BOOST_REQUIRE(relayed.ok());
  BOOST_TEST(relayed->entry_id == 2u);
  BOOST_TEST(*relayed->data.fields[0] == "b");
  BOOST_TEST(first_committer.values == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST(second_committer.count() == 0u);

  // Another data directory is another group.
  TempDir other;
  AppendRelay elsewhere(other.path(), second_committer.Local());
  BOOST_TEST(elsewhere.leading());
}

BOOST_AUTO_TEST_CASE(a_follower_leads_once_the_leader_has_stopped) {
  TempDir dir;
  FakeCommitter first_committer, second_committer;
  AppendRelay first(dir.path(), first_committer.Local());
  AppendRelay second(dir.path(), second_committer.Local());
  first.Close();
  BOOST_TEST(!first.leading());
  // The first append after the leader went may find the old link still
  // open and be committed here without leading; by the second, this
  // process has taken the name.
  BOOST_TEST(Append(second, "a").ok());
  BOOST_TEST(Append(second, "b").ok());
  BOOST_TEST(second.leading());
  BOOST_TEST(second_committer.values == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST(first_committer.count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_stopping_leader_answers_what_it_took_and_refuses_the_rest) {
  TempDir dir;
  FakeCommitter first_committer, second_committer;
  first_committer.hold = true;
  AppendRelay first(dir.path(), first_committer.Local());
  AppendRelay second(dir.path(), second_committer.Local());
  std::promise<Result<Entry>> taken;
  second.SubmitAppend(Reading("taken"),
                      [&](Result<Entry> result) { taken.set_value(std::move(result)); });
  WaitFor([&] { return first_committer.count() == 1; });

  first.StopTaking();
  // Refused by the stopping leader: committed by the follower itself.
  BOOST_TEST(Append(second, "after").ok());
  BOOST_TEST(second_committer.values == (std::vector<std::string>{"after"}));
  // The committer finishes what the leader took, and the reply arrives.
  Entry entry;
  entry.entry_id = 41;
  first_committer.held.front()(entry);
  first_committer.held.clear();
  const Result<Entry> answer = taken.get_future().get();
  BOOST_REQUIRE(answer.ok());
  BOOST_TEST(answer->entry_id == 41u);
  first.Close();
}

BOOST_AUTO_TEST_CASE(an_append_the_leader_never_answered_is_unavailable) {
  TempDir dir;
  FakeCommitter first_committer, second_committer;
  first_committer.hold = true;
  AppendRelay first(dir.path(), first_committer.Local());
  AppendRelay second(dir.path(), second_committer.Local());
  std::promise<Result<Entry>> lost;
  second.SubmitAppend(Reading("lost"),
                      [&](Result<Entry> result) { lost.set_value(std::move(result)); });
  WaitFor([&] { return first_committer.count() == 1; });
  // The leader goes without answering: its connection closes once the
  // callback holding it is dropped, as when the process dies.
  first.Close();
  first_committer.held.clear();
  const Result<Entry> answer = lost.get_future().get();
  BOOST_TEST(!answer.ok());
  BOOST_TEST((answer.status().code() == StatusCode::kUnavailable));
  // The leader may have committed it before it went: the client must not
  // read the refusal as "not stored".
  BOOST_TEST(answer.status().message().find("may or may not be stored") != std::string::npos,
             answer.status().message());
  BOOST_TEST(second_committer.count() == 0u);
}

// A leader whose committer takes appends and never answers them, and a
// follower, both with a short patience.
struct SilentLeader {
  SilentLeader() { first_committer.hold = true; }

  TempDir dir;
  const AppendRelay::Patience patience{std::chrono::milliseconds(50),
                                       std::chrono::milliseconds(300)};
  FakeCommitter first_committer, second_committer;
  std::promise<Result<Entry>> kept;  // outlives the relays that answer it
  AppendRelay first{dir.path(), first_committer.Local(), patience};
  AppendRelay second{dir.path(), second_committer.Local(), patience};
};

// A leader that takes appends and never answers them: once the first has
// waited `stall`, the follower commits its appends itself; the waiting one
// is answered at `give_up`, saying it may have been stored; a late answer
// from the leader is let go, and then the leader is used again.
BOOST_FIXTURE_TEST_CASE(a_silent_leader_is_given_up_on_and_used_again_once_it_answers,
                        SilentLeader) {
  second.SubmitAppend(Reading("kept"),
                      [&](Result<Entry> result) { kept.set_value(std::move(result)); });
  WaitFor([&] { return first_committer.count() == 1; });

  // Sent to the leader while it is only late, committed here once stalled.
  std::vector<std::future<Result<Entry>>> later;
  WaitFor([&] {
    auto promise = std::make_shared<std::promise<Result<Entry>>>();
    later.push_back(promise->get_future());
    second.SubmitAppend(Reading("later"),
                        [promise](Result<Entry> result) { promise->set_value(std::move(result)); });
    return second_committer.count() == 1;
  });
  BOOST_TEST(Answer(std::move(later.back())).ok());

  const Result<Entry> answer = Answer(kept.get_future());
  BOOST_TEST(!answer.ok());
  BOOST_TEST((answer.status().code() == StatusCode::kUnavailable));
  BOOST_TEST(answer.status().message().find("has not answered in 300 ms") != std::string::npos,
             answer.status().message());
  BOOST_TEST(answer.status().message().find("may or may not be stored") != std::string::npos);
  later.pop_back();
  for (auto& waiting : later) {
    BOOST_TEST((Answer(std::move(waiting)).status().code() == StatusCode::kUnavailable));
  }

  // The leader wakes and answers what it kept: the follower sends to it again.
  std::vector<Store::AppendDone> held;
  {
    std::lock_guard lock(first_committer.mutex);
    first_committer.hold = false;
    held.swap(first_committer.held);
  }
  for (auto& done : held) done(Entry{});
  const std::size_t taken = first_committer.count();
  WaitFor([&] {
    BOOST_REQUIRE(Append(second, "again").ok());
    return first_committer.count() > taken;
  });
}

// A client that writes one reading at a time has no append waiting when it
// sends the next: the follower finds the silent leader by itself, and only
// the first reading waits for it.
BOOST_FIXTURE_TEST_CASE(one_write_at_a_time_waits_for_a_silent_leader_once, SilentLeader) {
  BOOST_TEST((Append(second, "kept").status().code() == StatusCode::kUnavailable));
  // Committed here, none of them sent to the silent leader to wait.
  for (const char* value : {"a", "b", "c"}) BOOST_TEST(Append(second, value).ok());
  BOOST_TEST(second_committer.values == (std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST(first_committer.count() == 1u);
}

// A leader process that is stopped (SIGSTOP) holds no other process up
// for longer than the patience; once continued it leads again.
BOOST_AUTO_TEST_CASE(a_stopped_leader_process_holds_writers_up_for_a_bounded_time) {
  TempDir dir;
  int ready[2], finish[2];
  BOOST_REQUIRE(pipe(ready) == 0 && pipe(finish) == 0);
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    close(ready[0]);
    close(finish[1]);
    FakeCommitter committer;
    AppendRelay leader(dir.path(), committer.Local());
    const char byte = leader.leading() ? 'L' : 'F';
    if (write(ready[1], &byte, 1) != 1) _exit(1);
    char ignored;
    while (read(finish[0], &ignored, 1) > 0) {
    }
    leader.Close();
    _exit(0);
  }
  close(ready[1]);
  close(finish[0]);
  char role = 0;
  BOOST_REQUIRE(read(ready[0], &role, 1) == 1);
  BOOST_REQUIRE(role == 'L');

  const AppendRelay::Patience patience{std::chrono::milliseconds(100),
                                       std::chrono::milliseconds(500)};
  FakeCommitter committer;
  AppendRelay follower(dir.path(), committer.Local(), patience);
  BOOST_REQUIRE(Append(follower, "before").ok());
  BOOST_TEST(committer.count() == 0u);

  BOOST_REQUIRE(kill(pid, SIGSTOP) == 0);
  const auto stopped = std::chrono::steady_clock::now();
  std::vector<std::future<Result<Entry>>> sent;
  WaitFor([&] {
    auto promise = std::make_shared<std::promise<Result<Entry>>>();
    sent.push_back(promise->get_future());
    follower.SubmitAppend(Reading("during"), [promise](Result<Entry> result) {
      promise->set_value(std::move(result));
    });
    return committer.count() == 1;
  });
  // Every append is answered within the patience and a margin.
  for (auto& answer : sent) {
    BOOST_REQUIRE(
        (answer.wait_until(stopped + std::chrono::seconds(5)) == std::future_status::ready));
  }
  BOOST_TEST(sent.back().get().ok());
  sent.pop_back();
  for (auto& answer : sent) {
    BOOST_TEST((answer.get().status().code() == StatusCode::kUnavailable));
  }

  BOOST_REQUIRE(kill(pid, SIGCONT) == 0);
  WaitFor([&] {
    const std::size_t local = committer.count();
    BOOST_REQUIRE(Append(follower, "after").ok());
    return committer.count() == local;  // committed by the leader
  });
  follower.Close();
  close(finish[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}

// Two processes with real stores: the one that opened first commits the
// other's appends, and every append is stored once. The child is forked
// before this process starts threads (ThreadSanitizer forbids threads
// after a multi-threaded fork) and waits on a pipe for the channel's key.
BOOST_AUTO_TEST_CASE(processes_sharing_a_directory_commit_through_the_leader) {
  TempDir dir;
  StorageOptions options;
  options.data_dir = dir / "data";
  options.relay_appends = true;
  constexpr int kAppends = 200;
  int key_pipe[2];
  BOOST_REQUIRE(pipe(key_pipe) == 0);
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    close(key_pipe[1]);
    char key[64] = {};
    if (read(key_pipe[0], key, sizeof key - 1) <= 0) _exit(1);
    int code = 0;
    {
      auto store = LmdbStore::Open(options);
      if (!store.ok()) _exit(2);
      if ((*store)->leads_relay()) _exit(3);
      std::atomic<int> refused = 0;
      std::atomic<int> answered = 0;
      for (int i = 0; i < kAppends; ++i) {
        EntryWrite write;
        write.api_key = key;
        write.data.fields[0] = std::to_string(i);
        (*store)->SubmitAppend(write, [&](Result<Entry> result) {
          if (!result.ok()) ++refused;
          ++answered;
        });
      }
      while (answered < kAppends) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (refused > 0) code = 4;
      // Nothing was committed by this process's own committer.
      if ((*store)->batches_committed() != 0) code = 5;
    }
    _exit(code);
  }
  close(key_pipe[0]);
  auto opened = LmdbStore::Open(options);
  BOOST_REQUIRE(opened.ok());
  LmdbStore& leader = **opened;
  BOOST_TEST(leader.leads_relay());
  NewChannel request;
  request.name = "relayed";
  auto channel = leader.CreateChannel(request);
  BOOST_REQUIRE(channel.ok());
  const std::uint64_t batches_before = leader.batches_committed();
  BOOST_REQUIRE(write(key_pipe[1], channel->write_key.data(), channel->write_key.size()) > 0);
  close(key_pipe[1]);

  int status = 0;
  waitpid(pid, &status, 0);
  BOOST_REQUIRE(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  BOOST_TEST(leader.batches_committed() > batches_before);
  auto snapshot = leader.OpenSnapshot();
  BOOST_REQUIRE(snapshot.ok());
  auto entries = (*snapshot)->ListEntries(channel->id, {}, 1000);
  BOOST_REQUIRE(entries.ok());
  BOOST_TEST(entries->size() == static_cast<std::size_t>(kAppends));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
