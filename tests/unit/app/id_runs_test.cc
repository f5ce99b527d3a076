#include "app/id_runs.h"

#include <boost/test/unit_test.hpp>

namespace fieldpost {
namespace {

BOOST_AUTO_TEST_SUITE(id_runs)

BOOST_AUTO_TEST_CASE(batches_that_follow_each_other_make_one_run) {
  IdRuns ids;
  BOOST_TEST(ids.Text() == "");
  BOOST_TEST(ids.Json() == "[]");
  ids.Add(1, 10000);
  ids.Add(10001, 20000);
  BOOST_TEST(ids.Text() == "1 to 20000");
  BOOST_TEST(ids.Json() == "[[1,20000]]");
}

// Live writes between two batches took the ids between them.
BOOST_AUTO_TEST_CASE(ids_of_other_writes_are_not_claimed) {
  IdRuns ids;
  ids.Add(6500, 16499);
  ids.Add(16530, 26529);
  ids.Add(26600, 26600);
  BOOST_TEST(ids.Text() == "6500 to 16499, 16530 to 26529 and 26600");
  BOOST_TEST(ids.Json() == "[[6500,16499],[16530,26529],[26600,26600]]");
  for (EntryId first = 30000; first < 70000; first += 10000) ids.Add(first, first + 10);
  BOOST_TEST(ids.Text() ==
             "in 7 runs from 6500 to 60010; the ids between the runs are other "
             "writes'");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace fieldpost
