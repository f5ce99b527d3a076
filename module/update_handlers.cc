#include "module/update_handlers.h"

#include "module/api_key.h"
#include "module/content_types.h"
#include "module/http_errors.h"
#include "module/json_render.h"
#include "module/update_parser.h"
#include "module/xml_render.h"

namespace fieldpost {
namespace {

// Checks the key against a snapshot before queueing, so requests with a bad
// key never reach the writer and never wait for a commit.
Status CheckWriteKey(Store& store, const EntryWrite& write) {
  if (write.api_key.empty()) return Unauthorized("missing API key");
  auto snapshot = store.OpenSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto owner = (*snapshot)->FindKey(write.api_key);
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) return Unauthorized("unknown API key");
  switch ((*owner)->kind) {
    case KeyKind::kWrite:
      return OkStatus();
    case KeyKind::kRead:
      return Unauthorized("a read API key cannot write");
    case KeyKind::kUser:
      if (write.station.empty()) {
        return Unauthorized("a user API key writes only with the path form and mac=STATION");
      }
      return OkStatus();
  }
  return Internal("unknown key kind");
}

Response SubmitWrite(const ApiContext& context, const EntryWrite& write, Format format) {
  if (format == Format::kCsv) {
    return ErrorResponse(NotFound("update answers as text, .json or .xml"), Format::kText,
                         ErrorStyle::kErrorObject);
  }
  if (Status s = CheckWriteKey(context.store, write); !s.ok()) {
    return ErrorResponse(s, format, ErrorStyle::kWriteReply);
  }
  auto entry = context.store.Append(write);
  if (!entry.ok()) return ErrorResponse(entry.status(), format, ErrorStyle::kWriteReply);

  Response response;
  if (format == Format::kJson) {
    response.content_type = kJsonType;
    response.body = RenderUpdateJson(*entry);
  } else if (format == Format::kXml) {
    response.content_type = kXmlType;
    response.body = RenderUpdateXml(*entry);
  } else {
    response.body = std::to_string(entry->entry_id);  // digits only, no newline
  }
  return response;
}

}  // namespace

Response HandleUpdate(const ApiContext& context, const RouteParams& route) {
  auto update = ParseUpdateParams(context.params);
  if (!update.ok()) return ErrorResponse(update.status(), route.format, ErrorStyle::kWriteReply);
  EntryWrite write;
  write.api_key = FindApiKey(context.request, context.params);
  write.created_at = update->created_at;
  write.data = std::move(update->data);
  return SubmitWrite(context, write, route.format);
}

Response HandlePathUpdate(const ApiContext& context, const RouteParams& route) {
  auto update = ParsePathUpdate(route.rest);
  if (!update.ok()) return ErrorResponse(update.status(), Format::kText, ErrorStyle::kWriteReply);
  EntryWrite write;
  write.api_key = std::move(update->api_key);
  write.station = std::move(update->station);
  write.data.fields[update->field - 1] = std::move(update->value);
  return SubmitWrite(context, write, Format::kText);
}

}  // namespace fieldpost
