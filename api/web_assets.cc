#include "api/web_assets.h"

#include "api/content_types.h"

namespace fieldpost {

const WebAsset* FindWebAsset(std::string_view name) {
  for (const WebAsset& asset : EmbeddedWebAssets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

const char* WebAssetType(const WebAsset& asset) {
  if (asset.name.ends_with(".css")) return kCssType;
  if (asset.name.ends_with(".js")) return kJavaScriptType;
  return "application/octet-stream";
}

}  // namespace fieldpost
