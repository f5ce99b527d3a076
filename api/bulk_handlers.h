// POST /channels/ID/bulk_update.json and .csv: many entries in one request,
// stored atomically in one transaction (all or none).
#pragma once

#include "api/api_context.h"
#include "api/request.h"

namespace fieldpost {

Response HandleBulkUpdate(const ApiContext& context, const RouteParams& route);

}  // namespace fieldpost
