#include "api/access_rules.h"

namespace fieldpost {

namespace {

bool IsOwnerOf(std::string_view owner, const std::optional<KeyOwner>& key) {
  return key.has_value() && key->kind == KeyKind::kUser && !owner.empty() && key->user == owner;
}

}  // namespace

bool IsOwner(const Channel& channel, const std::optional<KeyOwner>& key) {
  return IsOwnerOf(channel.owner, key);
}

bool MayRead(const ChannelAccess& channel, const std::optional<KeyOwner>& key) {
  if (channel.is_public) return true;
  if (!key.has_value()) return false;
  return key->kind == KeyKind::kUser ? IsOwnerOf(channel.owner, key)
                                     : key->channel_id == channel.id;
}

bool MayView(const Channel& channel, const std::optional<KeyOwner>& key) {
  return channel.is_public || IsOwner(channel, key);
}

Result<std::string> KeyUser(bool key_given, const std::optional<KeyOwner>& key) {
  if (!key_given) return Unauthorized("give your user API key as api_key");
  if (!key.has_value() || key->kind != KeyKind::kUser) return Unauthorized("not a user API key");
  return key->user;
}

}  // namespace fieldpost
