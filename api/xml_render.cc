#include "api/xml_render.h"

#include "core/time_format.h"

namespace fieldpost {
namespace {

constexpr std::string_view kProlog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

void Element(std::string& out, std::string_view name, std::string_view attributes,
             const std::optional<std::string>& value) {
  out.append("<").append(name).append(attributes);
  if (!value) {
    out.append(" nil=\"true\"/>");
    return;
  }
  out.append(">").append(XmlEscape(*value)).append("</").append(name).append(">");
}

// ThingSpeak leaves blank channel attributes out.
void ElementIfSet(std::string& out, std::string_view name, std::string_view attributes,
                  const std::string& value) {
  if (!value.empty()) Element(out, name, attributes, value);
}

void EntryElement(std::string& out, const Entry& entry, const Columns& columns,
                  const TimeZone& zone) {
  out += "<feed>";
  Element(out, "created-at", " type=\"dateTime\"", zone.FormatIso(entry.created_at));
  if (entry.entry_id != 0) {
    Element(out, "entry-id", " type=\"integer\"", std::to_string(entry.entry_id));
  }
  for (int field : columns.fields) {
    Element(out, "field" + std::to_string(field), "", entry.data.fields[field - 1]);
  }
  if (columns.location) {
    Element(out, "latitude", " type=\"decimal\"", entry.data.latitude);
    Element(out, "longitude", " type=\"decimal\"", entry.data.longitude);
    Element(out, "elevation", "", entry.data.elevation);
  }
  if (columns.status) Element(out, "status", "", entry.data.status);
  out += "</feed>";
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderUpdateXml(const Entry& entry) {
  std::string out(kProlog);
  out += "<feed>";
  Element(out, "channel-id", " type=\"integer\"", std::to_string(entry.channel_id));
  for (int field = 1; field <= kFieldCount; ++field) {
    Element(out, "field" + std::to_string(field), "", entry.data.fields[field - 1]);
  }
  Element(out, "created-at", " type=\"dateTime\"", FormatIso8601(entry.created_at));
  Element(out, "entry-id", " type=\"integer\"", std::to_string(entry.entry_id));
  Element(out, "status", "", entry.data.status);
  Element(out, "latitude", " type=\"decimal\"", entry.data.latitude);
  Element(out, "longitude", " type=\"decimal\"", entry.data.longitude);
  Element(out, "elevation", "", entry.data.elevation);
  out += "</feed>";
  return out;
}

std::string RenderEntryXml(const Entry& entry, const Columns& columns, const TimeZone& zone) {
  std::string out(kProlog);
  EntryElement(out, entry, columns, zone);
  return out;
}

std::string RenderFeedXml(const FeedDocument& document) {
  const Channel& channel = document.channel;
  std::string out(kProlog);
  out += "<channel>";
  if (document.channel_view == ChannelView::kFull) {
    Element(out, "id", " type=\"integer\"", std::to_string(channel.id));
  }
  Element(out, "name", "", channel.name);
  if (document.channel_view == ChannelView::kFull) {
    ElementIfSet(out, "description", "", channel.description);
  }
  ElementIfSet(out, "latitude", " type=\"decimal\"", channel.latitude);
  ElementIfSet(out, "longitude", " type=\"decimal\"", channel.longitude);
  ElementIfSet(out, "elevation", "", channel.elevation);
  if (document.channel_view == ChannelView::kFull) {
    for (int field = 1; field <= kFieldCount; ++field) {
      ElementIfSet(out, "field" + std::to_string(field), "", channel.field_names[field - 1]);
    }
    Element(out, "created-at", " type=\"dateTime\"", document.zone.FormatIso(channel.created_at));
    Element(out, "updated-at", " type=\"dateTime\"", document.zone.FormatIso(channel.updated_at));
    if (document.metadata) Element(out, "metadata", "", channel.metadata);
    Element(out, "last-entry-id", " type=\"integer\"",
            channel.last_entry_id == 0 ? std::nullopt
                                       : std::optional(std::to_string(channel.last_entry_id)));
  }
  out += "<feeds type=\"array\">";
  for (const Entry& entry : document.entries) {
    EntryElement(out, entry, document.columns, document.zone);
  }
  out += "</feeds></channel>";
  return out;
}

std::string RenderErrorXml(std::string_view error_code, std::string_view message,
                           std::string_view details) {
  std::string out(kProlog);
  out += "<error>";
  Element(out, "error-code", "", std::string(error_code));
  Element(out, "message", "", std::string(message));
  Element(out, "details", "", std::string(details));
  out += "</error>";
  return out;
}

std::string RenderNoAccessXml() {
  return std::string(kProlog) + "<channel><id type=\"integer\">-1</id></channel>";
}

std::string RenderNoEntryXml() {
  return std::string(kProlog) + "<feed><entry-id type=\"integer\">-1</entry-id></feed>";
}

std::string RenderDataAgeXml(std::int64_t seconds) {
  return std::string(kProlog) + "<hash><last-data-age>" + std::to_string(seconds) +
         "</last-data-age><last-data-age-units>s</last-data-age-units></hash>";
}

}  // namespace fieldpost
