#include "module/read_handlers.h"

#include <charconv>

#include "module/api_key.h"
#include "module/http_errors.h"
#include "module/json_render.h"

namespace fieldpost {
namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";

// The channel if it exists and the request may read it.
Result<Channel> ReadableChannel(const ApiContext& context, StoreSnapshot& snapshot, ChannelId id) {
  auto channel = snapshot.FindChannel(id);
  if (!channel.ok()) return channel.status();
  if (!channel->has_value()) return NotFound("channel " + std::to_string(id) + " not found");
  if ((*channel)->is_public) return std::move(**channel);

  const std::string key = FindApiKey(context.request, context.params);
  if (key.empty()) return Unauthorized("channel is private: give its read key as api_key");
  auto owner = snapshot.FindKey(key);
  if (!owner.ok()) return owner.status();
  // ThingSpeak lets any key of the channel read it, the write key included.
  const bool allowed =
      owner->has_value() && ((*owner)->kind == KeyKind::kUser
                                 ? (*owner)->user == (*channel)->owner && !(*channel)->owner.empty()
                                 : (*owner)->channel_id == id);
  if (!allowed) return Unauthorized("the key does not grant reading this channel");
  return std::move(**channel);
}

Response Body(std::string content_type, std::string body) {
  Response response;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Response ReadError(const Status& status, Format format) {
  // Input and lookup errors are error objects; only "no access" is "-1".
  const ErrorStyle style = status.code() == StatusCode::kUnauthorized ? ErrorStyle::kReadReply
                                                                      : ErrorStyle::kErrorObject;
  return ErrorResponse(status, format, style);
}

bool FormatIsOneOf(Format format, std::initializer_list<Format> allowed) {
  for (Format f : allowed) {
    if (f == format) return true;
  }
  return false;
}

Status UnsupportedFormat() { return NotFound("this endpoint does not answer in that format"); }

bool IsTrue(const Params& params, std::string_view name) {
  const std::string* value = FindParam(params, name);
  return value != nullptr && *value == "true";
}

EntryColumns RequestedColumns(const Params& params) {
  return {IsTrue(params, "location"), IsTrue(params, "status")};
}

}  // namespace

Response HandleLastFieldValue(const ApiContext& context, const RouteParams& route) {
  if (!FormatIsOneOf(route.format, {Format::kNone, Format::kText, Format::kJson})) {
    return ReadError(UnsupportedFormat(), route.format);
  }
  if (route.field < 1 || route.field > kFieldCount) {
    return ReadError(InvalidArgument("field must be 1 to 8"), route.format);
  }
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return ReadError(snapshot.status(), route.format);
  auto channel = ReadableChannel(context, **snapshot, route.channel);
  if (!channel.ok()) return ReadError(channel.status(), route.format);
  auto entry = (*snapshot)->LastEntryWithField(route.channel, route.field);
  if (!entry.ok()) return ReadError(entry.status(), route.format);
  // ThingSpeak answers "-1" when the field has no value yet.
  if (!entry->has_value()) return Body("text/plain; charset=utf-8", "-1");
  if (route.format == Format::kJson) {
    return Body(kJsonType, RenderFieldEntryJson(**entry, route.field));
  }
  return Body("text/plain; charset=utf-8", *(*entry)->data.fields[route.field - 1]);
}

Response HandleLastEntry(const ApiContext& context, const RouteParams& route) {
  if (!FormatIsOneOf(route.format, {Format::kNone, Format::kText, Format::kJson})) {
    return ReadError(UnsupportedFormat(), route.format);
  }
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return ReadError(snapshot.status(), route.format);
  auto channel = ReadableChannel(context, **snapshot, route.channel);
  if (!channel.ok()) return ReadError(channel.status(), route.format);
  auto entry = (*snapshot)->LastEntry(route.channel);
  if (!entry.ok()) return ReadError(entry.status(), route.format);
  if (!entry->has_value()) return Body("text/plain; charset=utf-8", "-1");
  // feeds/last.txt is the JSON object sent as text: the Arduino library's
  // readStatus and readCreatedAt parse it.
  const char* type = route.format == Format::kText ? "text/plain; charset=utf-8" : kJsonType;
  return Body(type, RenderEntryJson(*channel, **entry, RequestedColumns(context.params)));
}

Response HandleFeeds(const ApiContext& context, const RouteParams& route) {
  if (!FormatIsOneOf(route.format, {Format::kNone, Format::kJson})) {
    return ReadError(UnsupportedFormat(), route.format);
  }
  std::size_t results = context.options.default_results;
  if (const std::string* text = FindParam(context.params, "results")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), results);
    if (ec != std::errc() || end != text->data() + text->size()) {
      return ReadError(InvalidArgument("results must be a whole number"), route.format);
    }
    results = std::min(results, context.options.max_results);
  }
  auto snapshot = context.store.OpenSnapshot();
  if (!snapshot.ok()) return ReadError(snapshot.status(), route.format);
  auto channel = ReadableChannel(context, **snapshot, route.channel);
  if (!channel.ok()) return ReadError(channel.status(), route.format);
  auto entries = (*snapshot)->ListEntries(route.channel, {}, results);
  if (!entries.ok()) return ReadError(entries.status(), route.format);
  return Body(kJsonType, RenderFeedJson(*channel, *entries, RequestedColumns(context.params)));
}

}  // namespace fieldpost
