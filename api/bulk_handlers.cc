#include "api/bulk_handlers.h"

#include <chrono>

#include "api/api_key.h"
#include "api/bulk_parser.h"
#include "api/content_types.h"
#include "api/http_errors.h"

namespace fieldpost {
namespace {

Response Error(const Status& status) {
  return ErrorResponse(status, Format::kJson, ErrorStyle::kErrorObject);
}

}  // namespace

Response HandleBulkUpdate(const ApiContext& context, const RouteParams& route) {
  if (route.format != Format::kJson && route.format != Format::kCsv) {
    return Error(NotFound("bulk updates are bulk_update.json or bulk_update.csv"));
  }
  {
    auto snapshot = context.store.OpenSnapshot();
    if (!snapshot.ok()) return Error(snapshot.status());
    auto channel = (*snapshot)->FindChannelRecord(route.channel);
    if (!channel.ok()) return Error(channel.status());
    if (!channel->has_value()) return Error(NotFound("channel not found"));
  }  // no snapshot may be held while writing
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto parsed = route.format == Format::kJson ? ParseBulkJson(context.request.body, now)
                                              : ParseBulkCsv(context.params, now);
  if (!parsed.ok()) return Error(parsed.status());
  BulkWrite write;
  write.api_key = parsed->write_api_key.empty() ? FindApiKey(context.request, context.params)
                                                : parsed->write_api_key;
  if (write.api_key.empty()) return Error(Unauthorized("give the channel's write_api_key"));
  write.channel_id = route.channel;
  write.entries = std::move(parsed->updates);
  write.times_computed = parsed->times_computed;
  auto stored = context.store.AppendBulk(write);
  if (!stored.ok()) return Error(stored.status());
  // Clients test the status line for 202 and the body for success.
  Response response;
  response.status = 202;
  response.content_type = kJsonType;
  response.body = "{\"success\":true}";
  return response;
}

}  // namespace fieldpost
