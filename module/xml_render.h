// XML renderings in ThingSpeak's Rails shapes (dashed element names, type
// attributes, nil="true" for absent values).
#pragma once

#include <string>
#include <string_view>

#include "module/model.h"

namespace fieldpost {

// Escapes the five XML special characters.
std::string XmlEscape(std::string_view text);

// The <feed> document /update.xml answers with.
std::string RenderUpdateXml(const Entry& entry);

// <error><error-code>…</error-code><message>…</message><details>…</details></error>.
std::string RenderErrorXml(std::string_view error_code, std::string_view message,
                           std::string_view details);

}  // namespace fieldpost
