#include "api/model.h"

namespace fieldpost {

bool EntryData::HasAnyValue() const {
  for (const auto& field : fields) {
    if (field) return true;
  }
  return latitude || longitude || elevation || status;
}

}  // namespace fieldpost
