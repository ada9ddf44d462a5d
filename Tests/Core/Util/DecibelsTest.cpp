#include "Core/Util/Decibels.h"

#include <catch2/catch.hpp>

TEST_CASE("dB and gain convert both ways", "[core]")
{
    CHECK(wb::dbToGain(0.0) == Approx(1.0).margin(1e-15));
    CHECK(wb::dbToGain(20.0) == Approx(10.0).epsilon(1e-12));
    CHECK(wb::dbToGain(-20.0 * std::log10(2.0)) == Approx(0.5).epsilon(1e-12));
    CHECK(wb::gainToDb(0.5) == Approx(-6.0205999).epsilon(1e-7));
    CHECK(wb::dbToGain(wb::kMinusInfinityDb) == 0.0);
    CHECK(wb::gainToDb(0.0) == wb::kMinusInfinityDb);
    CHECK(wb::gainToDb(-1.0) == wb::kMinusInfinityDb);
    for (double db = -120.0; db <= 24.0; db += 0.37)
        CHECK(wb::gainToDb(wb::dbToGain(db)) == Approx(db).margin(1e-9));
}
