#define BOOST_TEST_MODULE fieldpost integration tests
#include <boost/test/unit_test.hpp>
