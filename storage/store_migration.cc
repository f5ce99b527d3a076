#include "storage/store_migration.h"

#include <tuple>

#include "storage/database_uri.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_bulk_loader.h"

namespace fieldpost {
namespace {

// Entries are read in parts of this many, newest first.
constexpr std::size_t kPart = 5000;

// FNV-1a, 64 bits.
class Hash {
 public:
  void Add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      value_ ^= c;
      value_ *= 0x100000001b3ULL;
    }
  }
  void Add(std::uint64_t number) {
    Add(std::string_view(reinterpret_cast<const char*>(&number), sizeof number));
  }
  void Add(const std::optional<std::string>& text) {
    Add(std::uint64_t{text.has_value()});
    if (text) {
      Add(std::uint64_t{text->size()});
      Add(std::string_view(*text));
    }
  }
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_ = 0xcbf29ce484222325ULL;
};

std::uint64_t EntryHash(const Entry& entry) {
  Hash hash;
  hash.Add(std::uint64_t{entry.entry_id});
  hash.Add(static_cast<std::uint64_t>(entry.created_at.time_since_epoch().count()));
  for (const auto& field : entry.data.fields) hash.Add(field);
  hash.Add(entry.data.latitude);
  hash.Add(entry.data.longitude);
  hash.Add(entry.data.elevation);
  hash.Add(entry.data.status);
  return hash.value();
}

// Calls `each` with every entry of the channel (whose highest entry id
// is `last_id`), in parts by entry id, the highest part first; returns
// the count and the sum of the entries' hashes.
Result<ChannelCopy> EachEntry(StoreSnapshot& snapshot, ChannelId id, EntryId last_id,
                              const std::function<Status(const std::vector<Entry>&)>& each) {
  ChannelCopy copy;
  copy.id = id;
  if (last_id == 0) return copy;
  EntryRange range;
  range.last_id = last_id;  // entry-id bounds only: the walk goes by id
  while (true) {
    auto part = snapshot.ListEntries(id, range, kPart);
    if (!part.ok()) return part.status();
    if (part->empty()) break;
    for (const Entry& entry : *part) copy.checksum += EntryHash(entry);
    copy.entries += part->size();
    if (Status s = each(*part); !s.ok()) return s;
    if (part->front().entry_id <= 1) break;
    range.last_id = part->front().entry_id - 1;
  }
  return copy;
}

// The channel as both stores must show it.
auto Comparable(const Channel& c) {
  return std::tie(c.id, c.name, c.description, c.field_names, c.is_public, c.latitude, c.longitude,
                  c.elevation, c.metadata, c.tags, c.url, c.min_write_interval_s, c.retention_days,
                  c.write_key, c.read_key, c.owner, c.station, c.created_at, c.last_entry_id,
                  c.used_fields, c.updated_at);
}

Status Verify(const std::string& uri, const std::vector<User>& users,
              const std::vector<Channel>& channels, const MigrationReport& report) {
  StorageOptions options;
  options.database = uri;
  auto store = OpenStore(options);
  if (!store.ok()) return store.status();
  const auto differ = [](const std::string& what) {
    return Internal("the copy differs from the data directory: " + what +
                    "; the database holds the copy: drop it before trying again");
  };
  auto copied_users = (*store)->ListUsers();
  if (!copied_users.ok()) return copied_users.status();
  if (copied_users->size() != users.size()) return differ("the number of users");
  for (std::size_t i = 0; i < users.size(); ++i) {
    const User& a = users[i];
    const User& b = (*copied_users)[i];
    if (std::tie(a.name, a.api_key, a.created_at) != std::tie(b.name, b.api_key, b.created_at)) {
      return differ("user " + a.name);
    }
  }
  auto snapshot = (*store)->OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto copied_channels = (*snapshot)->ListChannels();
  if (!copied_channels.ok()) return copied_channels.status();
  if (copied_channels->size() != channels.size()) return differ("the number of channels");
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const std::string name = "channel " + std::to_string(channels[i].id);
    if (Comparable(channels[i]) != Comparable((*copied_channels)[i])) return differ(name);
    auto copy = EachEntry(**snapshot, channels[i].id, channels[i].last_entry_id,
                          [](const std::vector<Entry>&) { return OkStatus(); });
    if (!copy.ok()) return copy.status();
    if (copy->entries != report.channels[i].entries) return differ(name + "'s number of entries");
    if (copy->checksum != report.channels[i].checksum) return differ(name + "'s entries");
  }
  return OkStatus();
}

}  // namespace

Result<MigrationReport> MigrateToDatabase(LmdbStore& from, const std::string& uri,
                                          const MigrationProgress& progress) {
  auto users = from.ListUsers();
  if (!users.ok()) return users.status();
  auto next_channel = from.NextChannelId();
  if (!next_channel.ok()) return next_channel.status();
  auto stats = from.Stats();
  if (!stats.ok()) return stats.status();
  // One read transaction for every channel and entry: a consistent copy.
  auto snapshot = from.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto channels = (*snapshot)->ListChannels();
  if (!channels.ok()) return channels.status();

  auto loader = PgBulkLoader::Open(uri);
  if (!loader.ok()) return loader.status();
  MigrationReport report;
  for (const User& user : *users) {
    if (Status s = (*loader)->AddUser(user); !s.ok()) return s;
    ++report.users;
  }
  for (const Channel& channel : *channels) {
    if (Status s = (*loader)->AddChannel(channel); !s.ok()) return s;
  }
  for (const Channel& channel : *channels) {
    auto copy = EachEntry(**snapshot, channel.id, channel.last_entry_id,
                          [&](const std::vector<Entry>& part) {
                            if (Status s = (*loader)->AddEntries(part); !s.ok()) return s;
                            report.entries += part.size();
                            if (progress) progress(report.entries, stats->entries);
                            return OkStatus();
                          });
    if (!copy.ok()) return copy.status();
    report.channels.push_back(*copy);
  }
  if (Status s = (*loader)->SetNextChannelId(*next_channel); !s.ok()) return s;
  if (Status s = (*loader)->Commit(); !s.ok()) return s;
  loader->reset();
  if (Status s = Verify(uri, *users, *channels, report); !s.ok()) return s;
  return report;
}

}  // namespace fieldpost
