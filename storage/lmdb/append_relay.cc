#include "storage/lmdb/append_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <exception>
#include <map>
#include <utility>

#include "core/log.h"
#include "storage/lmdb/relay_codec.h"
#include "storage/thread_signals.h"

namespace fieldpost {
namespace {

// Larger than any single-entry append (values are at most 255 bytes): a
// larger request is committed locally. A reply is the request's data and
// a few bytes more.
constexpr std::size_t kMaxRequest = 7 * 1024;
constexpr std::size_t kMaxMessage = 8 * 1024;
// Messages taken from a socket in one call.
constexpr unsigned kBatch = 32;

std::string RelayName(const std::string& data_dir) {
  struct stat st {};
  if (stat(data_dir.c_str(), &st) != 0) return {};
  // The protocol's version is in the name: after an upgrade, processes of
  // the old and the new build (nginx's binary upgrade, Apache's graceful
  // restart) form separate groups and never read each other's messages.
  return "fieldpost-append-relay/1/" + std::to_string(st.st_dev) + "/" + std::to_string(st.st_ino) +
         "/" + std::to_string(geteuid());
}

// An abstract address: no file to leave behind when a process is killed.
socklen_t AbstractAddress(const std::string& name, sockaddr_un& address) {
  address = {};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path + 1, name.data(), name.size());
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
}

bool SameUser(int fd) {
  ucred peer{};
  socklen_t size = sizeof peer;
  return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0 && peer.uid == geteuid();
}

enum class Sent { kYes, kBusy, kClosed };

// Sends one message without waiting: a leader that has stopped reading
// must never stall a follower's event loop.
Sent SendMessage(int fd, std::mutex& send_mutex, const std::string& message) {
  std::lock_guard lock(send_mutex);
  ssize_t sent;
  do {
    sent = send(fd, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  if (sent == static_cast<ssize_t>(message.size())) return Sent::kYes;
  return sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? Sent::kBusy : Sent::kClosed;
}

// Receives up to kBatch messages with one recvmmsg; a message that does
// not fit is reported as empty (a protocol error to its reader).
class MessageBatch {
 public:
  MessageBatch() : buffers_(kBatch * kMaxMessage) {
    for (unsigned i = 0; i < kBatch; ++i) {
      vectors_[i] = {buffers_.data() + i * kMaxMessage, kMaxMessage};
      headers_[i] = {};
      headers_[i].msg_hdr.msg_iov = &vectors_[i];
      headers_[i].msg_hdr.msg_iovlen = 1;
    }
  }
  // How many were received; 0 at the end of the stream; -1 with errno.
  int Receive(int fd, int flags) {
    for (auto& header : headers_) header.msg_hdr.msg_flags = 0;
    int got;
    do {
      got = recvmmsg(fd, headers_, kBatch, flags, nullptr);
    } while (got < 0 && errno == EINTR);
    // A zero-length datagram is never sent: one means the stream ended.
    if (got > 0 && headers_[0].msg_len == 0) return 0;
    return got;
  }
  std::string_view operator[](int i) const {
    if (headers_[i].msg_hdr.msg_flags & MSG_TRUNC) return {};
    return {buffers_.data() + i * kMaxMessage, headers_[i].msg_len};
  }

 private:
  std::vector<char> buffers_;
  iovec vectors_[kBatch];
  mmsghdr headers_[kBatch];
};

// The web servers' signals must keep going to the threads that wait for
// them, so the relay's threads start with them blocked.
template <typename Function>
std::thread QuietThread(Function function) {
  const sigset_t quiet = AsynchronousSignals();
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &quiet, &previous);
  try {
    std::thread thread(std::move(function));
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return thread;
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw;
  }
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Status LeaderGone() {
  return {StatusCode::kUnavailable,
          "the process committing this write ended before it answered: it may or may not be "
          "stored"};
}

Status LeaderSilent(std::chrono::milliseconds waited) {
  return {StatusCode::kUnavailable, "the process committing this write has not answered in " +
                                        std::to_string(waited.count()) +
                                        " ms: it may or may not be stored"};
}

}  // namespace

struct AppendRelay::Link {
  explicit Link(int fd) : fd(fd) {}
  ~Link() { close(fd); }
  const int fd;
  std::mutex send_mutex;
  // An append handed to the link: `sent` once SubmitAppend knows the
  // leader's socket took it. One not known sent is never answered by the
  // link's end: its SubmitAppend commits it here or answers it.
  struct Pending {
    Store::AppendDone done;
    std::int64_t since_ms;  // steady clock
    bool sent = false;
  };
  // Appends handed over and not answered yet; whether the link was
  // dropped (nothing more is read from it) and whether Receive has
  // returned. Guarded by the relay's mutex_.
  std::map<std::uint64_t, Pending> pending;
  bool dropped = false;
  bool ended = false;
  // The leader has left an append unanswered for `stall`: appends are
  // committed here until it answers again.
  bool stalled = false;
  std::thread receiver;
};

// The leader's side of one follower. Replies are queued by the committer
// and sent by the leader's thread, many per sendmmsg, so the committer
// goes on to its next commit at once; once that thread has stopped, the
// committer sends them itself (`direct`).
struct AppendRelay::Peer {
  explicit Peer(int fd) : fd(fd) {}
  ~Peer() { close(fd); }

  // Sends what is queued, outside `mutex`, so a reply being queued never
  // waits on the socket. What the socket does not take now stays queued
  // (Serve polls for room), unless `may_block`: then it waits up to the
  // send timeout. A follower gone, or stuck past that, is cut off; it
  // answers what it still waits for when its link ends.
  void Flush(bool may_block) {
    std::vector<std::string> sending;
    {
      std::lock_guard lock(mutex);
      sending.swap(outbox);
    }
    std::vector<mmsghdr> headers(sending.size());
    std::vector<iovec> vectors(sending.size());
    for (std::size_t i = 0; i < sending.size(); ++i) {
      vectors[i] = {sending[i].data(), sending[i].size()};
      headers[i] = {};
      headers[i].msg_hdr.msg_iov = &vectors[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
    const int flags = MSG_NOSIGNAL | (may_block ? 0 : MSG_DONTWAIT);
    std::size_t sent = 0;
    while (sent < headers.size()) {
      const int done = sendmmsg(fd, headers.data() + sent, headers.size() - sent, flags);
      if (done < 0 && errno == EINTR) continue;
      if (done < 0 && !may_block && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (done <= 0) {
        shutdown(fd, SHUT_RDWR);
        return;
      }
      sent += static_cast<std::size_t>(done);
    }
    if (sent == sending.size()) return;
    std::lock_guard lock(mutex);
    outbox.insert(outbox.begin(), std::make_move_iterator(sending.begin() + sent),
                  std::make_move_iterator(sending.end()));
  }

  bool waiting() {
    std::lock_guard lock(mutex);
    return !outbox.empty();
  }

  const int fd;
  std::mutex mutex;
  std::vector<std::string> outbox;
  bool direct = false;
};

AppendRelay::AppendRelay(const std::string& data_dir, LocalSubmit local, Patience patience)
    : name_(RelayName(data_dir)), local_(std::move(local)), patience_(patience) {
  if (name_.empty()) return;
  std::lock_guard lock(mutex_);
  Elect();
}

AppendRelay::~AppendRelay() { Close(); }

bool AppendRelay::leading() const {
  std::lock_guard lock(mutex_);
  return role_ == Role::kLeader;
}

void AppendRelay::SubmitAppend(EntryWrite&& write, Store::AppendDone&& done) {
  std::unique_lock lock(mutex_);
  if (!name_.empty() && !stopping_ && role_ == Role::kNone) Elect();
  if (stopping_ || role_ != Role::kFollower) {
    lock.unlock();
    return local_(std::move(write), std::move(done));
  }
  const std::shared_ptr<Link> link = link_;
  const std::int64_t now_ms = NowMs();
  if (Stalled(*link, now_ms)) {
    lock.unlock();
    return local_(std::move(write), std::move(done));
  }
  const std::uint64_t id = next_id_++;
  std::string request = EncodeAppendRequest(id, write);
  if (request.size() <= kMaxRequest) {
    link->pending.emplace(id, Link::Pending{std::move(done), now_ms});
    ++unanswered_;
    lock.unlock();
    const Sent sent = SendMessage(link->fd, link->send_mutex, request);
    lock.lock();
    const auto mine = link->pending.find(id);
    if (mine == link->pending.end()) return;  // already answered by the leader
    if (sent == Sent::kYes && !link->dropped) {
      mine->second.sent = true;  // the leader answers it, or the link's end
      return;
    }
    done = std::move(mine->second.done);
    link->pending.erase(mine);
    --unanswered_;
    answered_.notify_all();
    if (sent == Sent::kYes) {
      // Sent, but the link was dropped before it was known sent: the
      // leader may have committed it.
      lock.unlock();
      done(LeaderGone());
      return;
    }
    // Not sent. The leader is behind (its socket is full): this append is
    // committed here, and the link stays. Or it is stopping (it shut its
    // reading side) or gone: its earlier appends are still answered on
    // this link, this one is committed here, and the next append elects.
    if (sent == Sent::kClosed && link_ == link) {
      link_.reset();
      role_ = Role::kNone;
    }
  }
  lock.unlock();
  local_(std::move(write), std::move(done));
}

bool AppendRelay::Stalled(Link& link, std::int64_t now_ms) {
  if (link.stalled) return true;
  // Ids grow with time: the first waiting append is the oldest.
  if (link.pending.empty() ||
      now_ms - link.pending.begin()->second.since_ms < patience_.stall.count()) {
    return false;
  }
  link.stalled = true;
  LogWarning("append relay: the leading process has not answered for " +
             std::to_string(patience_.stall.count()) +
             " ms; this process commits its own appends until it answers again");
  return true;
}

void AppendRelay::GiveUpOverdue(Link& link, std::vector<Store::AppendDone>& answered) {
  const std::int64_t due_ms = NowMs() - patience_.give_up.count();
  for (auto it = link.pending.begin(); it != link.pending.end() && it->second.since_ms <= due_ms;) {
    // One still being sent is its SubmitAppend's to answer.
    if (!it->second.sent) {
      ++it;
      continue;
    }
    answered.push_back(std::move(it->second.done));
    it = link.pending.erase(it);
    --unanswered_;
    link.stalled = true;  // already, unless the patience is given up at once
  }
}

void AppendRelay::Elect() {
  // Links of earlier leaders whose threads have ended: their sockets and
  // stacks go now, not at Close (Apache recycles its children for years).
  std::erase_if(links_, [](const std::shared_ptr<Link>& link) {
    if (!link->ended || !link->pending.empty()) return false;
    if (link->receiver.joinable()) link->receiver.join();  // it has returned or is returning
    return true;
  });
  if (NowMs() < next_election_ms_) return;
  // The name may be freed between a refused bind and the connect: one more
  // bind covers a leader that went meanwhile.
  if (Lead() || Follow() || Lead()) return;
  next_election_ms_ = NowMs() + 1000;
}

bool AppendRelay::Lead() {
  if (server_.joinable()) return false;  // led once, and stopped
  const int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address;
  const socklen_t size = AbstractAddress(name_, address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 || listen(fd, 128) != 0) {
    close(fd);
    return false;
  }
  if (wake_fd_ < 0) wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (flush_fd_ < 0) flush_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0 || flush_fd_ < 0) {
    close(fd);
    return false;
  }
  try {
    server_ = QuietThread([this, fd] {
      try {
        Serve(fd);
      } catch (const std::exception& e) {
        // Out of memory: the followers' sends fill up and they commit
        // their appends themselves.
        LogError(std::string("append relay: the leader's thread failed: ") + e.what());
      }
    });
  } catch (const std::exception&) {
    close(fd);
    return false;
  }
  role_ = Role::kLeader;
  return true;
}

bool AppendRelay::Follow() {
  const int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address;
  const socklen_t size = AbstractAddress(name_, address);
  // Without waiting (this runs under mutex_): a leader whose queue of
  // connections is full is no leader to follow now.
  const int flags = fcntl(fd, F_GETFL);
  int connected = fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  while (connected == 0 &&
         (connected = connect(fd, reinterpret_cast<sockaddr*>(&address), size)) != 0 &&
         errno == EINTR) {
    connected = 0;
  }
  if (connected != 0 || fcntl(fd, F_SETFL, flags) != 0 || !SameUser(fd)) {
    close(fd);
    return false;
  }
  // The receiving thread wakes this often to give up on appends a silent
  // leader has kept too long (once a second by default, idle or not).
  const auto wake = std::max(patience_.give_up / 5, std::chrono::milliseconds(10));
  const timeval every{static_cast<time_t>(wake.count() / 1000),
                      static_cast<suseconds_t>(wake.count() % 1000 * 1000)};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &every, sizeof every) != 0) {
    close(fd);
    return false;
  }
  auto link = std::make_shared<Link>(fd);
  links_.push_back(link);
  try {
    link->receiver = QuietThread([this, link] { Receive(link); });
  } catch (const std::exception&) {
    links_.pop_back();
    return false;
  }
  link_ = std::move(link);
  role_ = Role::kFollower;
  return true;
}

void AppendRelay::Receive(std::shared_ptr<Link> link) {
  try {
    ReceiveReplies(link.get());
  } catch (const std::exception& e) {
    LogError(std::string("append relay: reading replies failed: ") + e.what());
  }
  DropLink(link);
}

void AppendRelay::ReceiveReplies(Link* link) {
  MessageBatch batch;
  std::vector<std::pair<Store::AppendDone, Result<Entry>>> answered;
  std::vector<Store::AppendDone> given_up;
  for (bool open = true; open;) {
    // Nothing within the receive timeout: look for appends to give up on.
    const int got = batch.Receive(link->fd, MSG_WAITFORONE);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) break;
    answered.clear();
    given_up.clear();
    {
      std::lock_guard lock(mutex_);
      for (int i = 0; i < got; ++i) {
        std::uint64_t id = 0;
        Result<Entry> result{Status()};
        if (!DecodeAppendReply(batch[i], id, result)) {
          open = false;
          break;
        }
        if (link->stalled) {
          link->stalled = false;
          LogInfo("append relay: the leading process answers again");
        }
        const auto waiting = link->pending.find(id);
        if (waiting == link->pending.end()) continue;
        answered.emplace_back(std::move(waiting->second.done), std::move(result));
        link->pending.erase(waiting);
        --unanswered_;
      }
      // Found here too, not only by the next append: a client that sends
      // one write at a time has no append waiting when it sends the next.
      Stalled(*link, NowMs());
      GiveUpOverdue(*link, given_up);
      answered_.notify_all();
    }
    for (auto& [done, result] : answered) done(std::move(result));
    for (auto& done : given_up) done(LeaderSilent(patience_.give_up));
  }
}

void AppendRelay::DropLink(const std::shared_ptr<Link>& link) {
  // Nothing more is read from it, so nothing more may be sent on it either.
  shutdown(link->fd, SHUT_RDWR);
  // The appends known sent are answered here; one still being sent is
  // left to its SubmitAppend (which commits it here if the send failed).
  std::vector<Store::AppendDone> unanswered;
  {
    std::lock_guard lock(mutex_);
    if (link_ == link) {
      link_.reset();
      role_ = Role::kNone;
    }
    link->dropped = true;
    for (auto it = link->pending.begin(); it != link->pending.end();) {
      if (!it->second.sent) {
        ++it;
        continue;
      }
      unanswered.push_back(std::move(it->second.done));
      it = link->pending.erase(it);
      --unanswered_;
    }
    answered_.notify_all();
  }
  for (auto& done : unanswered) done(LeaderGone());
  std::lock_guard lock(mutex_);
  link->ended = true;
}

void AppendRelay::Serve(int listen_fd) {
  std::vector<std::shared_ptr<Peer>> peers;
  MessageBatch batch;
  const int flush_fd = flush_fd_;
  // Hands the appends waiting on `peer` (up to a batch) to the local
  // committer and returns how many; 0 when none waited; -1 when the
  // follower is gone or sent something that is not an append.
  const auto read_appends = [&](const std::shared_ptr<Peer>& peer) {
    const int got = batch.Receive(peer->fd, MSG_DONTWAIT);
    if (got < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    if (got == 0) return -1;
    for (int i = 0; i < got; ++i) {
      std::uint64_t id = 0;
      EntryWrite write;
      if (!DecodeAppendRequest(batch[i], id, write)) return -1;
      local_(std::move(write), [peer, id, flush_fd](Result<Entry> result) {
        bool direct, wake;
        try {
          std::string reply = EncodeAppendReply(id, result);
          std::lock_guard lock(peer->mutex);
          peer->outbox.push_back(std::move(reply));
          direct = peer->direct;
          wake = peer->outbox.size() == 1;  // else the wake-up is on its way
        } catch (const std::exception&) {
          // No memory for the reply: the follower answers it when the
          // link ends, as if this process had died.
          shutdown(peer->fd, SHUT_RDWR);
          return;
        }
        if (direct) return peer->Flush(true);
        if (!wake) return;
        const std::uint64_t one = 1;
        while (::write(flush_fd, &one, sizeof one) < 0 && errno == EINTR) {
        }
      });
    }
    return got;  // more may wait: poll says so again
  };
  const auto flush_all = [&] {
    std::uint64_t count;
    while (read(flush_fd, &count, sizeof count) < 0 && errno == EINTR) {
    }
    for (const auto& peer : peers) {
      if (peer->waiting()) peer->Flush(false);
    }
  };
  constexpr std::size_t kFirstPeer = 3;
  std::vector<pollfd> polled;
  for (;;) {
    polled.assign({{wake_fd_, POLLIN, 0}, {flush_fd, POLLIN, 0}, {listen_fd, POLLIN, 0}});
    for (const auto& peer : peers) {
      // Room to send is asked for only while replies wait for it.
      polled.push_back({peer->fd, static_cast<short>(POLLIN | (peer->waiting() ? POLLOUT : 0)), 0});
    }
    if (poll(polled.data(), polled.size(), -1) < 0) continue;  // EINTR, or ENOMEM: again
    if (polled[0].revents != 0) break;
    if (polled[1].revents != 0) flush_all();
    for (std::size_t i = peers.size(); i-- > 0;) {
      const short events = polled[i + kFirstPeer].revents;
      if (events & POLLOUT) peers[i]->Flush(false);
      if ((events & ~POLLOUT) != 0 && read_appends(peers[i]) < 0) {
        // Gone, or not speaking the protocol: cut off, so that a follower
        // still waiting answers its appends rather than wait for them.
        shutdown(peers[i]->fd, SHUT_RDWR);
        peers.erase(peers.begin() + i);
      }
    }
    if (polled[2].revents & POLLIN) {
      const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors: the connection stays queued, and polling
        // again at once would spin.
        if (errno == EMFILE || errno == ENFILE) poll(nullptr, 0, 100);
        continue;
      }
      if (!SameUser(fd)) {
        close(fd);
        continue;
      }
      // Bounds the blocking sends of `direct` mode: a follower that has
      // stopped reading holds a stopping leader up for 5 s at most.
      const timeval timeout{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      peers.push_back(std::make_shared<Peer>(fd));
    }
  }
  // Stopping: free the name for the next leader, refuse further appends
  // (the followers' sends fail and they commit those themselves), and take
  // those already queued. From now on the committer sends each reply as
  // it commits; the peers close once the last reply has let go of them.
  close(listen_fd);
  for (const auto& peer : peers) {
    shutdown(peer->fd, SHUT_RD);
    while (read_appends(peer) > 0) {
    }
    // `direct` first: a reply queued after it is sent by its committer,
    // one queued before it by this flush.
    {
      std::lock_guard lock(peer->mutex);
      peer->direct = true;
    }
    peer->Flush(true);
  }
}

void AppendRelay::StopTaking() {
  std::thread server;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    server = std::move(server_);
  }
  if (server.joinable()) {
    const std::uint64_t one = 1;
    while (write(wake_fd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
    server.join();
  }
  std::unique_lock lock(mutex_);
  if (stopped_taking_) return;
  stopped_taking_ = true;
  answered_.wait_for(lock, std::chrono::seconds(30), [this] { return unanswered_ == 0; });
}

void AppendRelay::Close() {
  StopTaking();
  std::vector<std::shared_ptr<Link>> links;
  {
    std::lock_guard lock(mutex_);
    links.swap(links_);
    link_.reset();
    role_ = Role::kNone;
  }
  for (const auto& link : links) {
    shutdown(link->fd, SHUT_RDWR);  // ends Receive, which answers what is left
    if (link->receiver.joinable()) link->receiver.join();
  }
  for (int* fd : {&wake_fd_, &flush_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

}  // namespace fieldpost
