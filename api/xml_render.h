// XML renderings in ThingSpeak's Rails shapes (dashed element names, type
// attributes, nil="true" for absent values).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/feed_document.h"
#include "api/time_zone.h"
#include "core/model.h"

namespace fieldpost {

// Escapes the five XML special characters.
std::string XmlEscape(std::string_view text);

// The <feed> document /update.xml answers with.
std::string RenderUpdateXml(const Entry& entry);

// One entry as a <feed> document (feeds/last.xml, feeds/ENTRY.xml).
std::string RenderEntryXml(const Entry& entry, const Columns& columns, const TimeZone& zone);

// <channel>…<feeds type="array"><feed>…</feed></feeds></channel>.
std::string RenderFeedXml(const FeedDocument& document);

// <error><error-code>…</error-code><message>…</message><details>…</details></error>.
std::string RenderErrorXml(std::string_view error_code, std::string_view message,
                           std::string_view details);

// feeds/last_data_age.xml. ThingSpeak does not document its XML; this is
// what Rails makes of the JSON's hash (Hash#to_xml: a <hash> root, dashed
// names, the values as the JSON's strings).
std::string RenderDataAgeXml(std::int64_t seconds);

// ThingSpeak's "no access" reply for XML list reads: a channel whose id is -1.
std::string RenderNoAccessXml();

// The same for single-entry reads (no access, or no such entry): a feed
// whose entry id is -1.
std::string RenderNoEntryXml();

}  // namespace fieldpost
