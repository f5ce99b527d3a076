#define BOOST_TEST_MODULE fieldpost API unit tests
#include <boost/test/unit_test.hpp>
