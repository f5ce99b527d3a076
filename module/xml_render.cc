#include "module/xml_render.h"

#include "module/time_format.h"

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

}  // namespace fieldpost
