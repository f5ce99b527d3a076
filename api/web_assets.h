// The files of fieldpost's web pages (script, style sheet, the charting
// library), compiled into the binary from api/web/ and Debian's
// libjs-dygraphs by cmake/embed_web_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace fieldpost {

struct WebAsset {
  std::string_view name;  // as in the URL: "fieldpost.js"
  std::string_view body;
  // A digest of the body. Pages ask for name?v=VERSION, which may then be
  // cached for good: a new build changes the URL.
  std::string_view version;
};

// Every embedded file (generated code).
std::span<const WebAsset> EmbeddedWebAssets();

// The asset called `name`, or null.
const WebAsset* FindWebAsset(std::string_view name);

// Its Content-Type, from the name's extension.
const char* WebAssetType(const WebAsset& asset);

}  // namespace fieldpost
