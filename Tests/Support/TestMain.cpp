// The one Catch2 main of wavebench_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
