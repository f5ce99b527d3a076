#include "core/model.h"

namespace fieldpost {

bool EntryData::HasAnyValue() const {
  for (const auto& field : fields) {
    if (field) return true;
  }
  return latitude || longitude || elevation || status;
}

std::vector<std::string_view> ChannelTags(const ChannelSettings& settings) {
  std::vector<std::string_view> tags;
  std::string_view rest = settings.tags;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (tag.starts_with(' ')) tag.remove_prefix(1);
    while (tag.ends_with(' ')) tag.remove_suffix(1);
    if (!tag.empty()) tags.push_back(tag);
  }
  return tags;
}

}  // namespace fieldpost
