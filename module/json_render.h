// Compact JSON renderings of the API's objects, byte-compatible with
// ThingSpeak: values as strings ("field1":"87"), ids as integers, null for
// absent values, no spaces (the Arduino library searches for "field1":").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "module/model.h"

namespace fieldpost {

// Optional entry members a read asks for (status=true, location=true).
struct EntryColumns {
  bool location = false;  // latitude, longitude, elevation
  bool status = false;
};

// The object /update.json answers with: every field, null when absent.
std::string RenderUpdateJson(const Entry& entry);

// One entry with the channel's enabled fields (feeds/last.json).
std::string RenderEntryJson(const Channel& channel, const Entry& entry, EntryColumns columns);

// One entry reduced to created_at, entry_id and field `field` (fields/N/last.json).
std::string RenderFieldEntryJson(const Entry& entry, int field);

// {"channel":{...},"feeds":[...]} (feeds.json).
std::string RenderFeedJson(const Channel& channel, const std::vector<Entry>& entries,
                           EntryColumns columns);

// {"status":"404","error":{"error_code":...,"message":...,"details":...}}.
std::string RenderErrorJson(std::string_view status, std::string_view error_code,
                            std::string_view message, std::string_view details);

}  // namespace fieldpost
