#include "storage/postgres/pg_snapshot.h"

#include <algorithm>

#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_statements.h"

namespace fieldpost {

Result<PgResult> PgSnapshot::Run(const char* statement, const PgParams& params) {
  if (!connection_) {
    auto lease = pool_.Acquire();
    if (!lease.ok()) return lease.status();
    connection_.emplace(std::move(lease).value());
  }
  return (*connection_)->ExecPrepared(statement, params);
}

Result<std::optional<KeyOwner>> PgSnapshot::FindKey(std::string_view api_key) {
  // No key holds a NUL byte: unknown, as on LMDB.
  if (api_key.find('\0') != std::string_view::npos) return std::optional<KeyOwner>();
  auto result = Run(pg::kFindKey, PgParams().Add(api_key));
  if (!result.ok()) return result.status();
  if (result->rows() == 0) return std::optional<KeyOwner>();
  KeyOwner owner;
  owner.kind = static_cast<KeyKind>(result->Int(0, 0));
  owner.user = std::string(result->Text(0, 1));
  owner.channel_id = static_cast<ChannelId>(result->Int(0, 2));
  return std::optional<KeyOwner>(std::move(owner));
}

Result<std::optional<User>> PgSnapshot::FindUser(std::string_view name) {
  auto result = Run(pg::kFindUser, PgParams().Add(name));
  if (!result.ok()) return result.status();
  if (result->rows() == 0) return std::optional<User>();
  return std::optional<User>(User{std::string(result->Text(0, 0)), std::string(result->Text(0, 1)),
                                  SecondsToTime(result->Int(0, 2))});
}

Result<std::vector<User>> PgSnapshot::ListUsers() {
  auto result = Run(pg::kListUsers, PgParams());
  if (!result.ok()) return result.status();
  std::vector<User> users;
  for (int row = 0; row < result->rows(); ++row) {
    users.push_back(User{std::string(result->Text(row, 0)), std::string(result->Text(row, 1)),
                         SecondsToTime(result->Int(row, 2))});
  }
  return users;
}

Result<std::optional<Channel>> PgSnapshot::FindChannel(ChannelId id) {
  auto result = Run(pg::kFindChannel, PgParams().Add(std::int64_t{id}));
  if (!result.ok()) return result.status();
  if (result->rows() == 0) return std::optional<Channel>();
  Channel channel = ChannelFromRow(*result, 0);
  ChannelDerivedFromRow(*result, 0, kPgChannelColumns, channel);
  return std::optional<Channel>(std::move(channel));
}

Result<std::optional<Channel>> PgSnapshot::FindChannelRecord(ChannelId id) {
  if (channels_ != nullptr) {
    if (std::optional<Channel> cached = channels_->Find(id)) return cached;
  }
  const std::uint64_t generation = channels_ != nullptr ? channels_->generation() : 0;
  auto result = Run(pg::kFindChannelRecord, PgParams().Add(std::int64_t{id}));
  if (!result.ok()) return result.status();
  if (result->rows() == 0) return std::optional<Channel>();
  Channel channel = ChannelFromRow(*result, 0);
  if (channels_ != nullptr) channels_->Put(channel, generation);
  return std::optional<Channel>(std::move(channel));
}

Result<std::optional<ChannelAccess>> PgSnapshot::FindChannelAccess(ChannelId id) {
  auto channel = FindChannelRecord(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return std::optional<ChannelAccess>();
  access_record_ = std::move(**channel);
  return std::optional<ChannelAccess>(AccessOf(access_record_));
}

Result<std::vector<Channel>> PgSnapshot::ListChannels() {
  auto result = Run(pg::kListChannels, PgParams());
  if (!result.ok()) return result.status();
  std::vector<Channel> channels;
  channels.reserve(result->rows());
  for (int row = 0; row < result->rows(); ++row) {
    Channel channel = ChannelFromRow(*result, row);
    ChannelDerivedFromRow(*result, row, kPgChannelColumns, channel);
    channels.push_back(std::move(channel));
  }
  return channels;
}

Result<std::optional<Entry>> PgSnapshot::OneEntry(const char* statement, const PgParams& params) {
  auto result = Run(statement, params);
  if (!result.ok()) return result.status();
  if (result->rows() == 0) return std::optional<Entry>();
  return std::optional<Entry>(EntryFromRow(*result, 0));
}

Result<std::optional<Entry>> PgSnapshot::LastValue(ChannelId channel, int field) {
  LastValues* kept = channels_ != nullptr ? &channels_->last_values() : nullptr;
  if (kept != nullptr) {
    bool read_again = false;
    auto value = kept->Find(channel, field, &read_again);
    if (read_again && refresher_ != nullptr) refresher_->ReadAgain(channel, field);
    if (value && (!read_again || refresher_ != nullptr)) return *std::move(value);
  }
  const LastValues::Ticket ticket =
      kept != nullptr ? kept->Take(channel) : LastValues::Ticket{0, 0};
  auto value = field == 0
                   ? OneEntry(pg::kLastEntry, PgParams().Add(std::int64_t{channel}))
                   : OneEntry(pg::kLastEntryWithField,
                              PgParams().Add(std::int64_t{channel}).Add(std::int64_t{field}));
  if (kept != nullptr && value.ok()) kept->Put(channel, field, *value, ticket);
  return value;
}

Result<std::optional<Entry>> PgSnapshot::LastEntry(ChannelId channel) {
  return LastValue(channel, 0);
}

Result<std::optional<Entry>> PgSnapshot::LastEntryWithField(ChannelId channel, int field) {
  if (field < 1 || field > kFieldCount) return std::optional<Entry>();
  return LastValue(channel, field);
}

Result<std::optional<Entry>> PgSnapshot::FindEntry(ChannelId channel, EntryId entry) {
  return OneEntry(pg::kFindEntry,
                  PgParams().Add(std::int64_t{channel}).Add(static_cast<std::int64_t>(entry)));
}

Result<std::vector<Entry>> PgSnapshot::ListEntries(ChannelId channel, const EntryRange& range,
                                                   std::size_t limit) {
  std::vector<Entry> entries;
  if (limit == 0) return entries;
  // Entry ids are bigint: a bound beyond their range is the range's end.
  const auto id = [](const std::optional<EntryId>& bound) {
    return bound ? std::optional<std::string>(std::to_string(std::min<EntryId>(*bound, INT64_MAX)))
                 : std::nullopt;
  };
  const auto time = [](const std::optional<Timestamp>& bound) {
    return bound ? std::optional<std::string>(std::to_string(TimeToSeconds(*bound))) : std::nullopt;
  };
  const auto rows = static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
  // As on LMDB: time order unless only entry-id bounds are given.
  const bool by_time = range.start || range.end || !(range.first_id || range.last_id);
  PgParams params;
  params.Add(std::int64_t{channel});
  if (by_time) params.Add(time(range.start)).Add(time(range.end));
  params.Add(id(range.first_id)).Add(id(range.last_id)).Add(rows);
  auto result = Run(by_time ? pg::kListByTime : pg::kListById, params);
  if (!result.ok()) return result.status();
  entries.reserve(result->rows());
  // Newest first from the database; oldest first to the caller.
  for (int row = result->rows() - 1; row >= 0; --row) entries.push_back(EntryFromRow(*result, row));
  return entries;
}

}  // namespace fieldpost
