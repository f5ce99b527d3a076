// Who may read a channel: anyone if it is public; otherwise a request
// carrying one of its keys or its owner's user key. Shared by the data
// reads and the channel page, so both decide alike.
#pragma once

#include <memory>

#include "api/api_context.h"
#include "core/model.h"
#include "core/status.h"
#include "core/store.h"

namespace fieldpost {

// A snapshot and the channel in it, if the request may read the channel.
struct Readable {
  std::unique_ptr<StoreSnapshot> snapshot;
  Channel channel;  // with its derived members (last entry id, fields used)
};

// NotFound for an unknown channel; Unauthorized when the request may not
// read it.
Result<Readable> OpenReadable(const ApiContext& context, ChannelId id);

// The same decision for reads that show nothing of the channel itself (a
// field's value, a data age): only the snapshot, from the cheapest lookup.
Result<std::unique_ptr<StoreSnapshot>> OpenReadableData(const ApiContext& context, ChannelId id);

}  // namespace fieldpost
