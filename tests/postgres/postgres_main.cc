#define BOOST_TEST_MODULE fieldpost on PostgreSQL
#include <boost/test/unit_test.hpp>
