#include "api/feed_document.h"

namespace fieldpost {

Columns ChannelColumns(const Channel& channel, bool location, bool status) {
  Columns columns;
  for (int field = 1; field <= kFieldCount; ++field) {
    if (channel.FieldEnabled(field)) columns.fields.push_back(field);
  }
  columns.location = location;
  columns.status = status;
  return columns;
}

}  // namespace fieldpost
