#include "storage/postgres/last_values.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

Entry EntryWithId(EntryId id) {
  Entry entry;
  entry.channel_id = 7;
  entry.entry_id = id;
  return entry;
}

// The id of the kept value; 0 for a kept "no entry", -1 for nothing kept.
long long KeptId(LastValues& values, ChannelId channel, int field,
                 LastValues::Clock::time_point now = LastValues::Clock::now(),
                 bool* read_again = nullptr) {
  bool ignored = false;
  const auto kept = values.Find(channel, field, read_again ? read_again : &ignored, now);
  if (!kept) return -1;
  return *kept ? static_cast<long long>((*kept)->entry_id) : 0;
}

BOOST_AUTO_TEST_SUITE(last_values)

BOOST_AUTO_TEST_CASE(keeps_nothing_until_enabled_and_after_drop_all) {
  LastValues values;
  values.Put(7, 0, EntryWithId(1), values.Take(7));
  BOOST_TEST(KeptId(values, 7, 0) == -1);
  values.Enable();
  values.Put(7, 0, EntryWithId(1), values.Take(7));
  BOOST_TEST(KeptId(values, 7, 0) == 1);
  values.DropAll();
  BOOST_TEST(KeptId(values, 7, 0) == -1);
  values.Put(7, 0, EntryWithId(2), values.Take(7));
  BOOST_TEST(KeptId(values, 7, 0) == -1);
}

BOOST_AUTO_TEST_CASE(keeps_each_field_and_no_entry_apart) {
  LastValues values;
  values.Enable();
  values.Put(7, 0, EntryWithId(5), values.Take(7));
  values.Put(7, 3, std::nullopt, values.Take(7));
  BOOST_TEST(KeptId(values, 7, 0) == 5);
  BOOST_TEST(KeptId(values, 7, 3) == 0);
  BOOST_TEST(KeptId(values, 7, 1) == -1);
  BOOST_TEST(KeptId(values, 8, 0) == -1);
}

BOOST_AUTO_TEST_CASE(a_read_that_began_before_a_drop_is_not_kept) {
  LastValues values;
  values.Enable();
  // The read began, a write to the channel committed, the read ended.
  const LastValues::Ticket before = values.Take(7);
  values.Drop(7);
  values.Put(7, 0, EntryWithId(1), before);
  BOOST_TEST(KeptId(values, 7, 0) == -1);
  // A read that began after the drop is kept; another channel's drop
  // does not matter.
  const LastValues::Ticket after = values.Take(7);
  values.Drop(8);
  values.Put(7, 0, EntryWithId(2), after);
  BOOST_TEST(KeptId(values, 7, 0) == 2);
  // A drop forgets what was kept.
  values.Drop(7);
  BOOST_TEST(KeptId(values, 7, 0) == -1);
}

BOOST_AUTO_TEST_CASE(a_read_that_began_before_drop_all_is_not_kept) {
  LastValues values;
  values.Enable();
  const LastValues::Ticket before = values.Take(7);
  values.DropAll();
  values.Enable();
  values.Put(7, 0, EntryWithId(1), before);
  BOOST_TEST(KeptId(values, 7, 0) == -1);
}

BOOST_AUTO_TEST_CASE(past_its_lifetime_a_value_is_read_again_once) {
  LastValues values;
  values.Enable();
  const auto now = LastValues::Clock::now();
  values.Put(7, 0, EntryWithId(1), values.Take(7), now);
  bool read_again = true;
  BOOST_TEST(KeptId(values, 7, 0, now + kLastValueLifetime / 2, &read_again) == 1);
  BOOST_TEST(!read_again);
  // Past its lifetime: still given, and the first caller is to read it.
  const auto old = now + kLastValueLifetime;
  BOOST_TEST(KeptId(values, 7, 0, old, &read_again) == 1);
  BOOST_TEST(read_again);
  BOOST_TEST(KeptId(values, 7, 0, old, &read_again) == 1);
  BOOST_TEST(!read_again);
  // Read again and kept: fresh.
  values.Put(7, 0, EntryWithId(2), values.Take(7), old);
  BOOST_TEST(KeptId(values, 7, 0, old + kLastValueLifetime / 2, &read_again) == 2);
  BOOST_TEST(!read_again);
  // Never read again: given until kLastValueLongest, not after.
  BOOST_TEST(KeptId(values, 7, 0, old + kLastValueLongest - kLastValueLifetime, &read_again) == 2);
  BOOST_TEST(KeptId(values, 7, 0, old + kLastValueLongest) == -1);
  // A drop ends it at once.
  values.Put(7, 0, EntryWithId(3), values.Take(7), old);
  values.Drop(7);
  BOOST_TEST(KeptId(values, 7, 0, old) == -1);
}

BOOST_AUTO_TEST_CASE(too_many_channels_start_over_without_keeping_a_stale_read) {
  LastValues values;
  values.Enable();
  const LastValues::Ticket early = values.Take(1);
  values.Drop(1);  // remembered: a read of channel 1 may be under way
  for (ChannelId channel = 2; channel < 10000; ++channel) {
    values.Put(channel, 0, EntryWithId(1), values.Take(channel));
  }
  // Channel 1's drop was forgotten when the channels were; its early read
  // must still not be kept.
  values.Put(1, 0, EntryWithId(1), early);
  BOOST_TEST(KeptId(values, 1, 0) == -1);
  values.Put(1, 0, EntryWithId(2), values.Take(1));
  BOOST_TEST(KeptId(values, 1, 0) == 2);
}

BOOST_AUTO_TEST_CASE(a_siblings_write_ends_a_kept_value_at_once) {
  WriteCounters* counters = WriteCounters::ShareWithChildren();
  BOOST_REQUIRE(counters != nullptr);
  BOOST_TEST(WriteCounters::Inherited() == counters);
  LastValues mine(counters), sibling(counters);
  mine.Enable();
  sibling.Enable();
  mine.Put(7, 0, EntryWithId(1), mine.Take(7));
  mine.Put(8, 0, EntryWithId(1), mine.Take(8));
  sibling.Wrote(7);
  BOOST_TEST(KeptId(mine, 7, 0) == -1);
  BOOST_TEST(KeptId(mine, 8, 0) == 1);
  // A read that began before the sibling's write is not kept either.
  const LastValues::Ticket before = mine.Take(8);
  sibling.Wrote(8);
  mine.Put(8, 0, EntryWithId(1), before);
  BOOST_TEST(KeptId(mine, 8, 0) == -1);
}

BOOST_AUTO_TEST_CASE(write_counters_are_shared_with_a_forked_child) {
  WriteCounters* counters = WriteCounters::ShareWithChildren();
  BOOST_REQUIRE(counters != nullptr);
  const std::uint64_t before = counters->Read(42);
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    WriteCounters::Inherited()->Count(42);
    _exit(0);
  }
  int status = 0;
  BOOST_REQUIRE(waitpid(child, &status, 0) == child);
  BOOST_TEST(counters->Read(42) == before + 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
