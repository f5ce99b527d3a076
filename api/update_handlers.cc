#include "api/update_handlers.h"

#include <exception>

#include "api/api_key.h"
#include "api/content_types.h"
#include "api/http_errors.h"
#include "api/json_render.h"
#include "api/update_parser.h"
#include "api/xml_render.h"
#include "core/log.h"

namespace fieldpost {
namespace {

Response RenderStored(const Entry& entry, Format format) {
  Response response;
  if (format == Format::kJson) {
    response.content_type = kJsonType;
    response.body = RenderUpdateJson(entry);
  } else if (format == Format::kXml) {
    response.content_type = kXmlType;
    response.body = RenderUpdateXml(entry);
  } else {
    response.body = std::to_string(entry.entry_id);  // digits only, no newline
  }
  return response;
}

// One trip to storage: the key is checked inside the write transaction
// (Store::SubmitAppend), and the reply goes out once the commit returns.
void SubmitWrite(const ApiContext& context, EntryWrite write, Format format, const Reply& reply) {
  if (format == Format::kCsv) {
    return reply(ErrorResponse(NotFound("update answers as text, .json or .xml"), Format::kText,
                               ErrorStyle::kErrorObject));
  }
  context.store.SubmitAppend(std::move(write), [format, reply](Result<Entry> entry) {
    Response response;
    try {
      response = entry.ok() ? RenderStored(*entry, format)
                            : ErrorResponse(entry.status(), format, ErrorStyle::kWriteReply);
    } catch (const std::exception& e) {
      LogError(std::string("rendering a write's reply failed: ") + e.what());
      response = InternalErrorResponse();
    }
    reply(std::move(response));
  });
}

}  // namespace

void HandleUpdate(const ApiContext& context, const RouteParams& route, const Reply& reply) {
  auto update = ParseUpdateParams(context.params);
  if (!update.ok()) {
    return reply(ErrorResponse(update.status(), route.format, ErrorStyle::kWriteReply));
  }
  EntryWrite write;
  write.api_key = FindApiKey(context.request, context.params);
  write.created_at = update->created_at;
  write.data = std::move(update->data);
  SubmitWrite(context, std::move(write), route.format, reply);
}

void HandlePathUpdate(const ApiContext& context, const RouteParams& route, const Reply& reply) {
  auto update = ParsePathUpdate(route.rest);
  if (!update.ok()) {
    return reply(ErrorResponse(update.status(), Format::kText, ErrorStyle::kWriteReply));
  }
  EntryWrite write;
  write.api_key = std::move(update->api_key);
  write.station = std::move(update->station);
  write.data.fields[update->field - 1] = std::move(update->value);
  SubmitWrite(context, std::move(write), Format::kText, reply);
}

}  // namespace fieldpost
