// Reads ThingSpeak's channel settings parameters (name, description,
// field1..8, latitude, longitude, elevation, metadata, public_flag, tags,
// url, and fieldpost's min_write_interval in seconds and retention_days) for
// channel create and update. Pure, fuzzable.
#pragma once

#include "api/form_parser.h"
#include "core/model.h"
#include "core/status.h"

namespace fieldpost {

// Applies the parameters present in `params` to `settings`; absent ones
// leave it unchanged (an update changes only what it names).
// InvalidArgument for a value that is too long, has control characters,
// or is not a coordinate where one is required.
Status ApplyChannelSettings(const Params& params, ChannelSettings& settings);

}  // namespace fieldpost
