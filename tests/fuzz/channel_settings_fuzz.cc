// Fuzzes the channel settings parameters of channel create and update.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/channel_settings_parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = fieldpost::ParseFormEncoded(input);
  if (!params.ok()) return 0;
  fieldpost::ChannelSettings settings;
  if (!fieldpost::ApplyChannelSettings(*params, settings).ok()) return 0;
  FUZZ_CHECK(settings.name.size() <= fieldpost::kMaxValueBytes);
  FUZZ_CHECK(settings.description.size() <= 4096);
  for (const auto& name : settings.field_names)
    FUZZ_CHECK(name.size() <= fieldpost::kMaxValueBytes);
  FUZZ_CHECK(settings.min_write_interval_s <= 86400);
  return 0;
}
