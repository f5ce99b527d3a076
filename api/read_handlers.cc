#include "api/read_handlers.h"

#include <chrono>
#include <memory>

#include "api/channel_access.h"
#include "api/content_types.h"
#include "api/csv_render.h"
#include "api/feed_query.h"
#include "api/feed_transform.h"
#include "api/http_errors.h"
#include "api/json_render.h"
#include "api/xml_render.h"

namespace fieldpost {
namespace {

// What a list is of.
enum class ListKind { kFeed, kField, kStatus };

// Which single entry a read wants.
enum class EntryKind { kLast, kById };

Response Body(std::string_view content_type, std::string body) {
  Response response;
  response.content_type = content_type;
  response.body = std::move(body);
  return response;
}

// What a read of one entry (rather than a list) answers when there is none.
Response NoEntry(Format format) {
  if (format == Format::kXml) {
    return Body(kXmlType, RenderNoEntryXml());
  }
  return Body(kTextType, "-1");
}

// Input and lookup errors are error objects; "no access" is ThingSpeak's
// -1 (as XML, a channel or a feed whose id is -1).
Response ReadError(const Status& status, Format format, bool single_entry = false) {
  if (status.code() != StatusCode::kUnauthorized) {
    return ErrorResponse(status, format, ErrorStyle::kErrorObject);
  }
  Response response = ErrorResponse(status, format, ErrorStyle::kReadReply);
  if (format == Format::kXml) {
    response.content_type = kXmlType;
    response.body = single_entry ? RenderNoEntryXml() : RenderNoAccessXml();
  }
  return response;
}

Status UnsupportedFormat() { return NotFound("this endpoint does not answer in that format"); }

// JSON, or JSONP when the request named a callback.
Response Json(const FeedQuery& query, std::string json) {
  if (query.callback.empty()) return Body(kJsonType, std::move(json));
  return Body(kJavaScriptType, query.callback + "(" + json + ")");
}

Result<FeedQuery> ParseQuery(const ApiContext& context) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return ParseFeedQuery(context.params, now, context.options.default_results,
                        context.options.max_results);
}

// Aggregates, then filters and rounds, in the order ThingSpeak's
// FeedFactory does. Aggregated rows are capped like results. `field` (0 for
// every field) is what min/max test: a field feed shows only its field, so
// a value hidden from it must not drop the entry.
void Transform(const ApiContext& context, const FeedQuery& query, int field,
               std::vector<Entry>& entries) {
  if (query.aggregation != Aggregation::kNone) {
    entries =
        Aggregate(entries, query.aggregation, query.bucket_minutes, context.options.max_results);
  }
  FilterMinMax(entries, query.min, query.max, field);
  if (query.round) RoundValues(entries, *query.round);
}

Response ListRead(const ApiContext& context, const RouteParams& route, ListKind kind) {
  Format format = route.format == Format::kNone ? Format::kJson : route.format;
  if (format == Format::kText) return ReadError(UnsupportedFormat(), format);
  if (kind == ListKind::kField && (route.field < 1 || route.field > kFieldCount)) {
    return ReadError(InvalidArgument("field must be 1 to 8"), format);
  }
  auto query = ParseQuery(context);
  if (!query.ok()) return ReadError(query.status(), format);
  if (kind == ListKind::kStatus && !query->start) {
    // ThingSpeak's status list always covers the last day; results= only
    // caps the count there.
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    query->start = now - std::chrono::days(1);
    query->end = now;
  }
  auto readable = OpenReadable(context, route.channel);
  if (!readable.ok()) return ReadError(readable.status(), format);

  const EntryRange range{query->start, query->end, query->start_entry_id, query->end_entry_id};
  auto entries = readable->snapshot->ListEntries(route.channel, range, query->results);
  if (!entries.ok()) return ReadError(entries.status(), format);
  Transform(context, *query, kind == ListKind::kField ? route.field : 0, *entries);

  Columns columns;
  if (kind == ListKind::kFeed) {
    columns = ChannelColumns(readable->channel, query->location, query->status);
  } else if (kind == ListKind::kField) {
    columns = {{route.field}, query->location, query->status};
  } else {
    columns = {{}, false, true};
  }
  const FeedDocument document{
      .channel = readable->channel,
      .channel_view = kind == ListKind::kStatus ? ChannelView::kStatus : ChannelView::kFull,
      .metadata = query->metadata,
      .columns = std::move(columns),
      .entries = *entries,
      .zone = query->zone,
      .aggregated = query->aggregation != Aggregation::kNone,
  };
  if (format == Format::kXml) {
    return Body(kXmlType, RenderFeedXml(document));
  }
  if (format == Format::kCsv) return Body(kCsvType, RenderFeedCsv(document));
  return Json(*query, RenderFeedJson(document));
}

// One entry in `format`; a text reply of a field read is the bare value.
// `channel` is only read for CSV, whose rendering shows nothing of it.
Response RenderSingle(const FeedQuery& query, const Channel* channel, const Entry& entry,
                      const Columns& columns, Format format, bool text_is_value) {
  if (format == Format::kXml) {
    return Body(kXmlType, RenderEntryXml(entry, columns, query.zone));
  }
  if (format == Format::kCsv) {
    static const Channel kNoChannel;
    const std::vector<Entry> one{entry};
    const FeedDocument document{channel != nullptr ? *channel : kNoChannel,
                                ChannelView::kFull,
                                false,
                                columns,
                                one,
                                query.zone};
    return Body(kCsvType, RenderFeedCsv(document));
  }
  if (format == Format::kText && text_is_value) {
    const auto& value = entry.data.fields[columns.fields.front() - 1];
    const std::string_view bare = value ? std::string_view(*value) : std::string_view();
    std::string body;
    body.reserve(query.prepend.size() + bare.size() + query.append.size());
    body.append(query.prepend).append(bare).append(query.append);
    return Body(kTextType, std::move(body));
  }
  const std::string json = RenderEntryJson(entry, columns, query.zone);
  // feeds/last.txt is the JSON object sent as text: the Arduino library's
  // readStatus and readCreatedAt parse it.
  if (format == Format::kText) return Body(kTextType, json);
  return Json(query, json);
}

// The shared path of the single-entry reads: of one field (route.field)
// when `field_read`, else of whole entries. `default_format` answers a path
// without an extension.
Response SingleRead(const ApiContext& context, const RouteParams& route, EntryKind kind,
                    bool field_read, Format default_format) {
  const Format format = route.format == Format::kNone ? default_format : route.format;
  const int field = field_read ? route.field : 0;
  if (field_read && (field < 1 || field > kFieldCount)) {
    return ReadError(InvalidArgument("field must be 1 to 8"), format);
  }
  auto query = ParseEntryQuery(context.params);
  if (!query.ok()) return ReadError(query.status(), format);
  // A field's value shows nothing of the channel: only its access record is
  // read. Whole entries show the channel's columns.
  std::unique_ptr<StoreSnapshot> snapshot;
  std::optional<Channel> channel;
  if (field_read) {
    auto readable = OpenReadableData(context, route.channel);
    if (!readable.ok()) return ReadError(readable.status(), format, true);
    snapshot = std::move(readable).value();
  } else {
    auto readable = OpenReadable(context, route.channel);
    if (!readable.ok()) return ReadError(readable.status(), format, true);
    snapshot = std::move(readable->snapshot);
    channel = std::move(readable->channel);
  }

  // fields/N/last is the newest non-null value of the field, not the field
  // of the newest entry. One expression: the entry is built in place, not
  // moved in.
  Result<std::optional<Entry>> entry =
      kind == EntryKind::kById ? snapshot->FindEntry(route.channel, route.entry)
      : field_read             ? snapshot->LastEntryWithField(route.channel, field)
                               : snapshot->LastEntry(route.channel);
  if (!entry.ok()) return ReadError(entry.status(), format, true);
  // ThingSpeak answers "-1" (HTTP 200) when there is no such entry or value.
  if (!entry->has_value()) return NoEntry(format);

  // Of the list parameters only round= applies to a single entry.
  Entry& one = **entry;
  if (query->round) RoundValues({&one, 1}, *query->round);
  const Columns columns = field_read ? Columns{{field}, query->location, query->status}
                                     : ChannelColumns(*channel, query->location, query->status);
  return RenderSingle(*query, channel ? &*channel : nullptr, one, columns, format, field_read);
}

}  // namespace

Response HandleFeed(const ApiContext& context, const RouteParams& route) {
  return ListRead(context, route, ListKind::kFeed);
}

Response HandleFieldFeed(const ApiContext& context, const RouteParams& route) {
  return ListRead(context, route, ListKind::kField);
}

Response HandleStatusFeed(const ApiContext& context, const RouteParams& route) {
  return ListRead(context, route, ListKind::kStatus);
}

Response HandleLastEntry(const ApiContext& context, const RouteParams& route) {
  return SingleRead(context, route, EntryKind::kLast, false, Format::kJson);
}

Response HandleEntry(const ApiContext& context, const RouteParams& route) {
  return SingleRead(context, route, EntryKind::kById, false, Format::kJson);
}

Response HandleLastFieldValue(const ApiContext& context, const RouteParams& route) {
  // The Arduino library reads fields/N/last without an extension: text.
  return SingleRead(context, route, EntryKind::kLast, true, Format::kText);
}

Response HandleFieldEntry(const ApiContext& context, const RouteParams& route) {
  // Like fields/N/last, a bare path answers the bare value.
  return SingleRead(context, route, EntryKind::kById, true, Format::kText);
}

}  // namespace fieldpost
