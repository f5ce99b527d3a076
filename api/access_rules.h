// Who may do what with a channel: every rule about API keys that the reads,
// the pages and the channel API apply, each stated once. Pure: the caller
// looks the key up. The rule for writes lives in the write transaction
// (StoreWriter::WriteKeyOwner), where it must hold.
#pragma once

#include <optional>
#include <string>

#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// Anyone may read a public channel (ThingSpeak ignores any key there). A
// private one: any of its own keys (ThingSpeak lets the write key read
// too) or its owner's user key.
bool MayRead(const ChannelAccess& channel, const std::optional<KeyOwner>& key);
inline bool MayRead(const Channel& channel, const std::optional<KeyOwner>& key) {
  return MayRead(AccessOf(channel), key);
}

// Whether `key` is the user key of the channel's owner (a channel without
// an owner has none).
bool IsOwner(const Channel& channel, const std::optional<KeyOwner>& key);

// Anyone may see a public channel's settings; only its owner a private
// one's, and only the owner sees its keys.
bool MayView(const Channel& channel, const std::optional<KeyOwner>& key);

// The user a user API key names, for the channel API; Unauthorized for no
// key (`key_given` false), an unknown one or a channel's key.
Result<std::string> KeyUser(bool key_given, const std::optional<KeyOwner>& key);

}  // namespace fieldpost
