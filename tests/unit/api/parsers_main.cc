#define BOOST_TEST_MODULE fieldpost module unit tests
#include <boost/test/unit_test.hpp>
