#include "api/channel_access.h"

#include <string>

#include "api/access_rules.h"
#include "api/api_key.h"

namespace fieldpost {
namespace {

// OK if the request may read the channel `access` describes in `snapshot`.
Status CheckReadable(const ApiContext& context, StoreSnapshot& snapshot,
                     const ChannelAccess& access) {
  // A public channel needs no key (and no lookup of one).
  if (access.is_public) return OkStatus();
  const std::string key = FindApiKey(context.request, context.params);
  if (key.empty()) return Unauthorized("channel is private: give its read key as api_key");
  auto owner = snapshot.FindKey(key);
  if (!owner.ok()) return owner.status();
  if (!MayRead(access, *owner)) return Unauthorized("the key does not grant reading this channel");
  return OkStatus();
}

Status UnknownChannel(ChannelId id) {
  return NotFound("channel " + std::to_string(id) + " not found");
}

}  // namespace

Result<Readable> OpenReadable(const ApiContext& context, ChannelId id) {
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto found = (*snapshot)->FindChannel(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return UnknownChannel(id);
  Readable readable{std::move(snapshot).value(), std::move(**found)};
  if (Status s = CheckReadable(context, *readable.snapshot, AccessOf(readable.channel)); !s.ok()) {
    return s;
  }
  return readable;
}

Result<std::unique_ptr<StoreSnapshot>> OpenReadableData(const ApiContext& context, ChannelId id) {
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto access = (*snapshot)->FindChannelAccess(id);
  if (!access.ok()) return access.status();
  if (!access->has_value()) return UnknownChannel(id);
  if (Status s = CheckReadable(context, **snapshot, **access); !s.ok()) return s;
  return snapshot;
}

}  // namespace fieldpost
