// What a read renders, independent of the format: the channel, which
// columns each entry shows, the entries, and the zone to show times in.
// The JSON, XML and CSV renderers all take this one description.
#pragma once

#include <vector>

#include "api/time_zone.h"
#include "core/model.h"

namespace fieldpost {

// The per-entry columns after created_at and entry_id, in ThingSpeak's
// order: the listed fields, then location, then status.
struct Columns {
  std::vector<int> fields;  // 1..8
  bool location = false;    // latitude, longitude, elevation
  bool status = false;
};

// How much of the channel a list shows: everything (feeds, fields/N), or
// ThingSpeak's short form for status.json (name and location only).
enum class ChannelView { kFull, kStatus };

struct FeedDocument {
  const Channel& channel;
  ChannelView channel_view = ChannelView::kFull;
  bool metadata = false;  // add the channel's metadata (metadata=true)
  Columns columns;
  const std::vector<Entry>& entries;  // oldest first; entry_id 0 = aggregated row
  const TimeZone& zone;
  bool aggregated = false;  // rows stand for buckets: no entry_id column
};

// The columns of a feed: the channel's enabled fields.
Columns ChannelColumns(const Channel& channel, bool location, bool status);

}  // namespace fieldpost
