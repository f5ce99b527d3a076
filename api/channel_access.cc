#include "api/channel_access.h"

#include <string>

#include "api/access_rules.h"
#include "api/api_key.h"

namespace fieldpost {

Result<Readable> OpenReadable(const ApiContext& context, ChannelId id, bool derived) {
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto found = derived ? (*snapshot)->FindChannel(id) : (*snapshot)->FindChannelRecord(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  Readable readable{std::move(snapshot).value(), std::move(**found)};
  // A public channel needs no key (and no lookup of one).
  if (readable.channel.is_public) return readable;

  const std::string key = FindApiKey(context.request, context.params);
  if (key.empty()) return Unauthorized("channel is private: give its read key as api_key");
  auto owner = readable.snapshot->FindKey(key);
  if (!owner.ok()) return owner.status();
  if (!MayRead(readable.channel, *owner)) {
    return Unauthorized("the key does not grant reading this channel");
  }
  return readable;
}

}  // namespace fieldpost
