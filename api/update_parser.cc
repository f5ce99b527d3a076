#include "api/update_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "api/time_zone.h"
#include "core/utf8.h"

namespace fieldpost {
namespace {

bool IsDecimal(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t int_start = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == int_start) return false;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_start = ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == frac_start) return false;
  }
  return i == text.size();
}

// The names ParseUpdateParams reads, each with the value of its first
// occurrence, found in one pass over the parameters.
class UpdateNames {
 public:
  enum Name {
    kField1,
    kLat = kFieldCount,
    kLatitude,
    kLong,
    kLongitude,
    kElevation,
    kStatus,
    kCount
  };

  explicit UpdateNames(const Params& params) {
    for (const auto& [name, value] : params) {
      const int which = Classify(name);
      if (which >= 0 && values_[which] == nullptr) values_[which] = &value;
    }
  }
  const std::string* operator[](int name) const { return values_[name]; }
  static std::string_view Label(int name) { return kNames[name]; }

 private:
  static constexpr std::string_view kNames[kCount] = {
      "field1", "field2", "field3",   "field4", "field5",    "field6",    "field7",
      "field8", "lat",    "latitude", "long",   "longitude", "elevation", "status"};

  static int Classify(std::string_view name) {
    if (name.size() == 6 && name.starts_with("field") && name[5] >= '1' &&
        name[5] <= '0' + kFieldCount) {
      return kField1 + (name[5] - '1');
    }
    for (int i = kLat; i < kCount; ++i) {
      if (name == kNames[i]) return i;
    }
    return -1;
  }

  std::array<const std::string*, kCount> values_{};
};

// The value of the first of `names` present, validated by `clean`.
template <typename Clean>
Status TakeOptional(const UpdateNames& present, std::initializer_list<int> names,
                    std::optional<std::string>& out, Clean clean) {
  for (int name : names) {
    if (const std::string* value = present[name]) {
      std::string cleaned = *value;
      if (Status s = clean(UpdateNames::Label(name), cleaned); !s.ok()) return s;
      out = std::move(cleaned);
      return OkStatus();
    }
  }
  return OkStatus();
}

bool IsStationChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '_' ||
         c == '-';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Status CleanValue(std::string_view name, std::string& value) {
  // Ruby's chomp, as ThingSpeak applies it: one trailing \r\n, \n or \r.
  if (value.ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.ends_with('\n') || value.ends_with('\r')) {
    value.pop_back();
  }
  if (value.size() > kMaxValueBytes) {
    return InvalidArgument(std::string(name) + " is longer than 255 bytes");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7F) {
      return InvalidArgument(std::string(name) + " contains a control character");
    }
  }
  // As /update's percent-decoding refuses it, for every other way in
  // (import, the admin commands).
  if (!IsValidUtf8(value)) return InvalidEncoding(std::string(name) + " is not valid UTF-8");
  return OkStatus();
}

Status CleanCoordinate(std::string_view name, std::string& value, double limit) {
  if (Status s = CleanValue(name, value); !s.ok()) return s;
  double number = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (!IsDecimal(value) || ec != std::errc() || number < -limit || number > limit) {
    return InvalidArgument(std::string(name) + " must be a decimal number between -" +
                           std::to_string(static_cast<int>(limit)) + " and " +
                           std::to_string(static_cast<int>(limit)));
  }
  return OkStatus();
}

Result<ParsedUpdate> ParseUpdateParams(const Params& params) {
  ParsedUpdate update;
  EntryData& data = update.data;
  const UpdateNames present(params);
  for (int i = 0; i < kFieldCount; ++i) {
    Status s = TakeOptional(present, {UpdateNames::kField1 + i}, data.fields[i], CleanValue);
    if (!s.ok()) return s;
  }
  const auto latitude = [](std::string_view n, std::string& v) {
    return CleanCoordinate(n, v, 90);
  };
  const auto longitude = [](std::string_view n, std::string& v) {
    return CleanCoordinate(n, v, 180);
  };
  using N = UpdateNames;
  Status s = TakeOptional(present, {N::kLat, N::kLatitude}, data.latitude, latitude);
  if (s.ok()) s = TakeOptional(present, {N::kLong, N::kLongitude}, data.longitude, longitude);
  if (s.ok()) s = TakeOptional(present, {N::kElevation}, data.elevation, CleanValue);
  if (s.ok()) s = TakeOptional(present, {N::kStatus}, data.status, CleanValue);
  if (!s.ok()) return s;
  if (!data.HasAnyValue()) {
    return InvalidArgument(
        "no data: give at least one of field1..field8, lat, long, elevation, "
        "status");
  }
  if (const std::string* created_at = FindParam(params, "created_at")) {
    // A created_at without its own offset is in the request's timezone=.
    auto zone = TimeZone::FromParams(params);
    if (!zone.ok()) return zone.status();
    auto parsed = zone->ParseLocal(*created_at);
    if (!parsed.ok()) return parsed.status();
    update.created_at = *parsed;
  }
  return update;
}

Result<PathUpdate> ParsePathUpdate(std::string_view segments) {
  PathUpdate update;
  bool has_key = false, has_field = false, has_data = false, has_mac = false;
  while (!segments.empty()) {
    const std::size_t slash = segments.find('/');
    const std::string_view segment = segments.substr(0, slash);
    segments = slash == std::string_view::npos ? std::string_view() : segments.substr(slash + 1);
    if (segment.empty()) continue;  // tolerate "//" and a trailing '/'
    const std::size_t eq = segment.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument("path segment " + QuoteBytes(segment) + " is not name=value");
    }
    const std::string name = Lower(segment.substr(0, eq));
    auto value = PercentDecode(segment.substr(eq + 1), false);
    if (!value.ok()) return value.status();
    bool* seen = name == "api_key" ? &has_key
                 : name == "mac"   ? &has_mac
                 : name == "field" ? &has_field
                 : name == "data"  ? &has_data
                                   : nullptr;
    if (seen == nullptr) {
      return InvalidArgument("unknown path segment " + QuoteBytes(name) +
                             ", expected api_key, mac, field, data");
    }
    if (*seen) return InvalidArgument("path segment '" + name + "' given twice");
    *seen = true;
    if (name == "api_key") {
      update.api_key = std::move(value).value();
    } else if (name == "mac") {
      update.station = std::move(value).value();
      if (update.station.empty() || update.station.size() > 64 ||
          !std::all_of(update.station.begin(), update.station.end(), IsStationChar)) {
        return InvalidArgument("mac must be 1 to 64 characters of [0-9A-Za-z:._-]");
      }
    } else if (name == "field") {
      const std::string& text = *value;
      if (text.size() != 1 || text[0] < '1' || text[0] > '8') {
        return InvalidArgument("field must be a number from 1 to 8");
      }
      update.field = text[0] - '0';
    } else {
      update.value = std::move(value).value();
      if (Status s = CleanValue("data", update.value); !s.ok()) return s;
    }
  }
  if (!has_key) return InvalidArgument("missing API_key= path segment");
  if (!has_field) return InvalidArgument("missing field= path segment");
  if (!has_data) return InvalidArgument("missing data= path segment");
  return update;
}

}  // namespace fieldpost
