// One committer for the processes that serve a data directory together.
// nginx's workers and Apache's children each open the store, and each has
// a group committer; their commits take turns on LMDB's one write lock, and
// each commit carries only its own process's writes, so with two processes
// a commit is about half as full and appends are that much slower. The
// relay sends single-entry appends to one process, the leader, whose
// committer then carries everybody's in one commit.
//
// The first process to bind the directory's abstract socket name (from its
// device, inode and the user id) leads; the others connect and follow, and
// each side checks the other runs as the same user. When the leader goes,
// the next append elects a new one. Durability never depends on the relay:
// the leader replies only after its commit, and an append that cannot be
// sent is committed in this process. An append sent to a leader that died
// before replying may or may not be stored; it is answered kUnavailable,
// saying so, as a server killed mid-request would leave it.
//
// A leader that stops answering without going (SIGSTOP, a debugger, a
// machine swapping) must not hold every writer up: once an append has
// waited `stall` for it, this process commits its appends itself until the
// leader answers again, and an append waiting `give_up` is answered
// kUnavailable ("may or may not be stored": the leader may commit it when
// it wakes).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/store.h"

namespace fieldpost {

// How long a follower waits on a leader that does not answer. A commit
// takes about a millisecond; a second is a leader that is not running.
// Five seconds is as long as the ThingSpeak Arduino library waits for an
// answer.
struct RelayPatience {
  std::chrono::milliseconds stall{1000};
  std::chrono::milliseconds give_up{5000};
};

class AppendRelay {
 public:
  // Commits an append in this process (the group committer's Submit).
  // References, not values: an append passes through here on its way to
  // the committer, and each copy of its data by value would be a move.
  using LocalSubmit = std::function<void(EntryWrite&&, Store::AppendDone&&)>;

  using Patience = RelayPatience;

  // `data_dir` names the group. Elects at once; never fails: a directory
  // that cannot be named, or a leader that cannot be reached, leaves
  // appends local.
  AppendRelay(const std::string& data_dir, LocalSubmit local, Patience patience = {});
  // Close()s.
  ~AppendRelay();
  AppendRelay(const AppendRelay&) = delete;
  AppendRelay& operator=(const AppendRelay&) = delete;

  // Thread-safe. Sends the append to the leader, or hands it to `local`
  // when this process leads, when no leader can be reached, or after
  // StopTaking(). `done` runs on the committing or the receiving thread.
  void SubmitAppend(EntryWrite&& write, Store::AppendDone&& done);

  // The first step of stopping. A leader stops taking appends from the
  // others (they elect again) and hands those it already received to
  // `local`; a follower waits, 30 s at most, until the appends it sent are
  // answered.
  void StopTaking();
  // The last step, once `local` has committed everything (and so sent the
  // leader's replies): closes every socket and joins the threads.
  void Close();

  // For tests: whether this process leads now.
  bool leading() const;

 private:
  struct Link;  // a follower's connection to the leader
  struct Peer;  // the leader's connection to a follower
  enum class Role { kNone, kLeader, kFollower };

  // Becomes leader or follower, or stays kNone; with mutex_ held.
  void Elect();
  bool Lead();
  bool Follow();
  // The leader's thread: accepts followers, reads their appends.
  void Serve(int listen_fd);
  // A follower's thread: reads the leader's replies until the link ends,
  // then drops it.
  void Receive(std::shared_ptr<Link> link);
  void ReceiveReplies(Link* link);
  // Ends `link`; its unanswered appends get kUnavailable.
  void DropLink(const std::shared_ptr<Link>& link);
  // Whether `link`'s leader has left an append waiting `stall` or more;
  // with mutex_ held.
  bool Stalled(Link& link, std::int64_t now_ms);
  // Answers the appends on `link` that have waited `give_up`; with mutex_
  // held, appending their callbacks to `answered`.
  void GiveUpOverdue(Link& link, std::vector<Store::AppendDone>& answered);

  const std::string name_;  // empty: no relay, always local
  const LocalSubmit local_;
  const Patience patience_;

  mutable std::mutex mutex_;
  Role role_ = Role::kNone;
  bool stopping_ = false;
  std::int64_t next_election_ms_ = 0;  // no retry before (steady clock)
  // Leader.
  int wake_fd_ = -1;   // an eventfd that stops Serve
  int flush_fd_ = -1;  // an eventfd: replies wait to be sent
  std::thread server_;
  bool stopped_taking_ = false;
  // Follower: the link appends are sent on, and every link made so far
  // (an ended one may still be answering what was sent on it).
  std::shared_ptr<Link> link_;
  std::vector<std::shared_ptr<Link>> links_;
  std::uint64_t next_id_ = 1;
  std::size_t unanswered_ = 0;  // over every link
  std::condition_variable answered_;
};

}  // namespace fieldpost
