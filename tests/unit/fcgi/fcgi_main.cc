#define BOOST_TEST_MODULE fieldpost fcgi unit tests
#include <boost/test/unit_test.hpp>
