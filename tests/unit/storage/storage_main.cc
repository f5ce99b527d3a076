#define BOOST_TEST_MODULE fieldpost storage unit tests
#include <boost/test/unit_test.hpp>
