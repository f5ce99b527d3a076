#define BOOST_TEST_MODULE fieldpost native module tests
#include <boost/test/unit_test.hpp>
