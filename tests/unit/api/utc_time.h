// A moment as the tests write it: "2024-06-15 12:00:00" (UTC).
#pragma once

#include <boost/test/unit_test.hpp>

#include "core/time_format.h"

namespace fieldpost {

inline Timestamp UtcTime(const char* utc) {
  auto time = ParseTimestamp(utc);
  BOOST_REQUIRE(time.ok());
  return *time;
}

}  // namespace fieldpost
