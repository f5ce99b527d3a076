#include "api/bulk_parser.h"

#include "api/rapidjson_document.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>

#include "api/update_parser.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace fieldpost {
namespace {

// The values an update may carry, in CSV position order (after T).
constexpr std::array<std::string_view, 12> kMembers = {
    "field1", "field2", "field3",   "field4",    "field5",    "field6",
    "field7", "field8", "latitude", "longitude", "elevation", "status"};
constexpr std::size_t kLatitude = 8;
constexpr std::size_t kLongitude = 9;
constexpr std::size_t kCsvPositions = 1 + kMembers.size();
// 9999-12-31T23:59:59Z, where ParseTimestamp stops too.
constexpr std::uint64_t kMaxEpochSeconds = 253402300799;

enum class TimeKind { kAbsolute, kRelative };

std::string Where(std::size_t index) { return "updates[" + std::to_string(index) + "]"; }

Status TooMany() {
  return {StatusCode::kPayloadTooLarge,
          "more than " + std::to_string(kMaxBulkUpdates) + " updates in one request"};
}

std::optional<std::string>& Slot(EntryData& data, std::size_t member) {
  switch (member) {
    case kLatitude:
      return data.latitude;
    case kLongitude:
      return data.longitude;
    case kLongitude + 1:
      return data.elevation;
    case kLongitude + 2:
      return data.status;
    default:
      return data.fields[member];
  }
}

// Decimal digits only; nullopt otherwise or past 64 bits.
std::optional<std::uint64_t> ParseDigits(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc()) return std::nullopt;
  return number;
}

// Validates `value` as member `member` of the update at `where`, stores it.
Status StoreValue(const std::string& where, std::size_t member, std::string value,
                  EntryData& data) {
  const std::string name = where + "." + std::string(kMembers[member]);
  if (!IsValidUtf8(value)) return InvalidEncoding(name + " is not valid UTF-8");
  const Status s = member == kLatitude    ? CleanCoordinate(name, value, 90)
                   : member == kLongitude ? CleanCoordinate(name, value, 180)
                                          : CleanValue(name, value);
  if (!s.ok()) return s;
  Slot(data, member) = std::move(value);
  return OkStatus();
}

// Epoch seconds (digits only) or anything ParseTimestamp accepts (1970 on).
Result<Timestamp> ParseAbsolute(const std::string& name, std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    const std::optional<std::uint64_t> seconds = ParseDigits(text);
    if (!seconds || *seconds > kMaxEpochSeconds) {
      return InvalidArgument(name + " is past 9999-12-31 in epoch seconds");
    }
    return Timestamp{std::chrono::seconds{static_cast<std::int64_t>(*seconds)}};
  }
  auto parsed = ParseTimestamp(text);
  if (!parsed.ok()) return InvalidArgument(name + ": " + parsed.status().message());
  return parsed;
}

Result<std::uint64_t> ParseDelta(const std::string& name, std::string_view text) {
  const std::optional<std::uint64_t> seconds = ParseDigits(text);
  if (!seconds) return InvalidArgument(name + " must be a whole number of seconds, 0 or more");
  return *seconds;
}

// ThingSpeak would store an empty row; /update rejects it, and so do we.
Status RequireData(const std::string& where, const EntryData& data) {
  if (data.HasAnyValue()) return OkStatus();
  return InvalidArgument(where +
                         " has no data: give at least one of field1..field8, latitude, "
                         "longitude, elevation, status");
}

// Gives the last update `now` and counts back: t[i-1] = t[i] - deltas[i].
Status AnchorRelative(const std::vector<std::uint64_t>& deltas, Timestamp now,
                      std::vector<BulkUpdate>& updates) {
  std::int64_t t = now.time_since_epoch().count();
  for (std::size_t i = updates.size(); i-- > 0;) {
    if (t < 0) return InvalidArgument(Where(i) + " would be before 1970");
    updates[i].created_at = Timestamp{std::chrono::seconds{t}};
    if (i == 0) break;
    if (deltas[i] > static_cast<std::uint64_t>(t)) {
      return InvalidArgument(Where(i - 1) + " would be before 1970, counting back from now");
    }
    t -= static_cast<std::int64_t>(deltas[i]);
  }
  return OkStatus();
}

// Reads member `name` of a JSON object as text: strings and numbers (kept as
// source text by kParseNumbersAsStringsFlag) as they are, booleans as
// "true"/"false". Absent or null leaves `out` empty.
Status JsonMember(const rapidjson::Value& object, std::string_view name, const std::string& where,
                  std::optional<std::string>& out) {
  const rapidjson::Value key(rapidjson::StringRef(name.data(), name.size()));
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return OkStatus();
  const std::string full = where.empty() ? std::string(name) : where + "." + std::string(name);
  const rapidjson::Value& value = it->value;
  if (value.IsBool()) {
    out = value.GetBool() ? "true" : "false";
    return OkStatus();
  }
  if (!value.IsString()) return InvalidArgument(full + " must be a string, number or boolean");
  std::string text(value.GetString(), value.GetStringLength());
  // The body was valid UTF-8, but a \u escape can still decode to a lone surrogate.
  if (!IsValidUtf8(text)) return InvalidEncoding(full + " is not valid UTF-8");
  out = std::move(text);
  return OkStatus();
}

Status ParseJsonUpdate(const rapidjson::Value& json, std::size_t index,
                       std::optional<TimeKind>& kind, BulkUpdate& update, std::uint64_t& delta) {
  const std::string where = Where(index);
  if (!json.IsObject()) return InvalidArgument(where + " is not an object");
  std::optional<std::string> created_at, delta_t;
  if (Status s = JsonMember(json, "created_at", where, created_at); !s.ok()) return s;
  if (Status s = JsonMember(json, "delta_t", where, delta_t); !s.ok()) return s;
  if (created_at && delta_t) return InvalidArgument(where + " has both created_at and delta_t");
  if (!created_at && !delta_t)
    return InvalidArgument(where + " has neither created_at nor delta_t");
  const TimeKind this_kind = created_at ? TimeKind::kAbsolute : TimeKind::kRelative;
  if (kind && *kind != this_kind) {
    return InvalidArgument(where + " mixes created_at and delta_t; all updates must use one");
  }
  kind = this_kind;
  if (created_at) {
    auto time = ParseAbsolute(where + ".created_at", *created_at);
    if (!time.ok()) return time.status();
    update.created_at = *time;
  } else {
    auto seconds = ParseDelta(where + ".delta_t", *delta_t);
    if (!seconds.ok()) return seconds.status();
    delta = *seconds;
  }
  for (std::size_t member = 0; member < kMembers.size(); ++member) {
    std::optional<std::string> text;
    if (Status s = JsonMember(json, kMembers[member], where, text); !s.ok()) return s;
    if (!text) continue;
    if (Status s = StoreValue(where, member, std::move(*text), update.data); !s.ok()) return s;
  }
  return RequireData(where, update.data);
}

Status ParseCsvEntry(std::string_view entry, std::size_t index, TimeKind kind, BulkUpdate& update,
                     std::uint64_t& delta) {
  const std::string where = Where(index);
  std::array<std::string_view, kCsvPositions> positions;
  std::size_t count = 0;
  for (;;) {
    if (count == positions.size()) {
      return InvalidArgument(where + " has more than " + std::to_string(kCsvPositions) +
                             " positions (T, field1..field8, latitude, longitude, elevation, "
                             "status)");
    }
    const std::size_t comma = entry.find(',');
    positions[count++] = entry.substr(0, comma);
    if (comma == std::string_view::npos) break;
    entry.remove_prefix(comma + 1);
  }
  if (positions[0].empty()) return InvalidArgument(where + " has no time (first position)");
  if (kind == TimeKind::kAbsolute) {
    auto time = ParseAbsolute(where + ".time", positions[0]);
    if (!time.ok()) return time.status();
    update.created_at = *time;
  } else {
    auto seconds = ParseDelta(where + ".time", positions[0]);
    if (!seconds.ok()) return seconds.status();
    delta = *seconds;
  }
  for (std::size_t i = 1; i < count; ++i) {
    if (positions[i].empty()) continue;
    if (Status s = StoreValue(where, i - 1, std::string(positions[i]), update.data); !s.ok()) {
      return s;
    }
  }
  return RequireData(where, update.data);
}

}  // namespace

Result<BulkRequest> ParseBulkJson(std::string_view body, Timestamp now) {
  if (!IsValidUtf8(body)) return InvalidEncoding("body is not valid UTF-8");
  // RapidJSON would take a NUL for the end of the text and ignore what follows.
  if (const std::size_t nul = body.find('\0'); nul != std::string_view::npos) {
    return InvalidArgument("invalid JSON at offset " + std::to_string(nul) + ": NUL byte");
  }
  rapidjson::Document doc;
  // Iterative: nesting depth costs heap, not stack. Numbers as strings: a
  // value keeps its source text ("21.50", not 21.5).
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError()) {
    return InvalidArgument("invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  }
  const rapidjson::Value& root = doc;
  if (!root.IsObject()) return InvalidArgument("body must be a JSON object");

  BulkRequest request;
  std::optional<std::string> key;
  if (Status s = JsonMember(root, "write_api_key", "", key); !s.ok()) return s;
  if (!key) {
    if (Status s = JsonMember(root, "api_key", "", key); !s.ok()) return s;
  }
  request.write_api_key = key.value_or("");

  const auto it = root.FindMember("updates");
  if (it == root.MemberEnd()) return InvalidArgument("missing updates");
  const rapidjson::Value& array = it->value;
  if (!array.IsArray()) return InvalidArgument("updates must be an array");
  if (array.Empty()) return InvalidArgument("updates is empty");
  if (array.Size() > kMaxBulkUpdates) return TooMany();

  request.updates.resize(array.Size());
  std::vector<std::uint64_t> deltas(array.Size());
  std::optional<TimeKind> kind;
  for (std::size_t i = 0; i < array.Size(); ++i) {
    const auto index = static_cast<rapidjson::SizeType>(i);
    if (Status s = ParseJsonUpdate(array[index], i, kind, request.updates[i], deltas[i]); !s.ok()) {
      return s;
    }
  }
  if (*kind == TimeKind::kRelative) {
    if (Status s = AnchorRelative(deltas, now, request.updates); !s.ok()) return s;
    request.times_computed = true;
  }
  return request;
}

Result<BulkRequest> ParseBulkCsv(const Params& params, Timestamp now) {
  BulkRequest request;
  const std::string* key = FindParam(params, "write_api_key");
  if (key == nullptr) key = FindParam(params, "api_key");
  if (key != nullptr) request.write_api_key = *key;

  TimeKind kind = TimeKind::kAbsolute;
  if (const std::string* format = FindParam(params, "time_format")) {
    if (*format == "relative") {
      kind = TimeKind::kRelative;
    } else if (*format != "absolute") {
      return InvalidArgument("time_format must be absolute or relative");
    }
  }

  const std::string* updates = FindParam(params, "updates");
  if (updates == nullptr) return InvalidArgument("missing updates");
  if (!IsValidUtf8(*updates)) return InvalidEncoding("updates is not valid UTF-8");
  std::string_view rest = *updates;
  // Ruby's chomp, as for every value, then the '|' a client left after its last entry.
  if (rest.ends_with("\r\n")) {
    rest.remove_suffix(2);
  } else if (rest.ends_with('\n') || rest.ends_with('\r')) {
    rest.remove_suffix(1);
  }
  if (rest.ends_with('|')) rest.remove_suffix(1);
  if (rest.empty()) return InvalidArgument("updates is empty");
  const std::size_t count = std::count(rest.begin(), rest.end(), '|') + 1;
  if (count > kMaxBulkUpdates) return TooMany();

  request.updates.resize(count);
  std::vector<std::uint64_t> deltas(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bar = rest.find('|');
    if (Status s = ParseCsvEntry(rest.substr(0, bar), i, kind, request.updates[i], deltas[i]);
        !s.ok()) {
      return s;
    }
    rest.remove_prefix(bar == std::string_view::npos ? rest.size() : bar + 1);
  }
  if (kind == TimeKind::kRelative) {
    if (Status s = AnchorRelative(deltas, now, request.updates); !s.ok()) return s;
    request.times_computed = true;
  }
  return request;
}

}  // namespace fieldpost
