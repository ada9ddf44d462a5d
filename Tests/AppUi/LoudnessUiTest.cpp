// The meters panel's loudness lines (issue 14), driven as a user drives them: the generator's
// 1 kHz sine played on the Virtual loopback, its level moved, the lines clicked to reset. The
// answers are EBU Tech 3341's: a stereo 1 kHz sine at L dBFS peak reads L LUFS (momentary,
// short-term, integrated), and its true peak is its sample peak.
#include "AppUi/AppFixture.h"

#include <optional>

using wb::test::App;
using wb::test::findById;
using wb::test::pump;
using wb::test::pumpUntil;

namespace
{
/// The number after `key` in the shown lines ("I -20.0 LUFS ..." -> -20.0), nullopt for "-".
std::optional<double> shownValue(const wb::app::LevelMeters& m, const juce::String& key)
{
    for (const auto& line : m.loudnessLines())
    {
        const auto words = juce::StringArray::fromTokens(line, " ", "");
        const int i = words.indexOf(key);
        if (i >= 0 && i + 1 < words.size())
            return words[i + 1] == "-" ? std::nullopt : std::optional<double>(words[i + 1].getDoubleValue());
    }
    return std::nullopt;
}

bool near(const std::optional<double>& v, double target, double tol)
{
    return v.has_value() && std::abs(*v - target) <= tol + 1e-9; // (shown to 0.1: -20.1 is within 0.1 of -20)
}
} // namespace

TEST_CASE("app: the meters show the outputs' EBU R128 loudness, follow the level and reset on a click",
          "[gui][app][loudness]")
{
    App app;
    auto* meters = app.main->levelMeters();
    REQUIRE(meters != nullptr);
    pump(200);
    // Nothing played yet: no figure, only dashes.
    CHECK_FALSE(shownValue(*meters, "I").has_value());
    CHECK_FALSE(shownValue(*meters, "M").has_value());
    REQUIRE(meters->loudnessLines().size() == 3);
    CHECK(meters->loudnessLines()[1].contains("LUFS"));

    auto& gen = app.main->generatorPanel();
    gen.toggleRunning(); // the fresh session's 1 kHz sine at -20 dBFS peak on both outputs
    REQUIRE(app.peakSettlesAt(-20.0));
    // The meter has measured since the device opened: the silence before Start and the level's
    // ramp are in its first blocks. A click on the loudness lines starts it again on the steady
    // tone; 3 s later every figure is complete (short-term is a 3 s window).
    app.clickAt(*meters, meters->loudnessArea().getCentre());
    REQUIRE_FALSE(shownValue(*meters, "I").has_value());
    REQUIRE(pumpUntil([&] { return shownValue(*meters, "S").has_value(); }, 10.0));
    // (the range is recomputed once per second of audio: it follows within a second)
    REQUIRE(pumpUntil([&] { return shownValue(*meters, "LRA").has_value(); }, 3.0));
    pump(300);
    INFO(meters->loudnessLines().joinIntoString(" | "));
    CHECK(near(shownValue(*meters, "M"), -20.0, 0.1));
    CHECK(near(shownValue(*meters, "S"), -20.0, 0.1));
    CHECK(near(shownValue(*meters, "I"), -20.0, 0.1));
    CHECK(near(shownValue(*meters, "LRA"), 0.0, 0.2)); // a steady tone
    CHECK(near(shownValue(*meters, "TP"), -20.0, 0.1));
    CHECK(meters->loudness().framesLost == 0);
    CHECK_FALSE(meters->loudnessLines()[2].contains("gaps"));
    const auto measured = meters->loudness().framesMeasured;
    CHECK(measured >= 3 * 48000);

    // The level down 10 dB: momentary follows within a 400 ms window; the integrated reading
    // holds what came before (it is the whole programme's).
    findById<juce::Slider>(gen, wb::app::GeneratorPanel::kLevelId)->setValue(-30.0, juce::sendNotificationSync);
    REQUIRE(pumpUntil([&] { return near(shownValue(*meters, "M"), -30.0, 0.1); }, 5.0));
    pump(200);
    CHECK(near(shownValue(*meters, "M"), -30.0, 0.1));
    REQUIRE(shownValue(*meters, "I").has_value());
    CHECK(*shownValue(*meters, "I") > -29.0);
    CHECK(near(shownValue(*meters, "TP"), -20.0, 0.1)); // the highest since the start

    // A click on the loudness lines: integrated, range and true peak start again, from -30.
    app.clickAt(*meters, meters->loudnessArea().getCentre());
    CHECK(meters->loudness().framesMeasured < measured);
    REQUIRE(pumpUntil([&] { return near(shownValue(*meters, "I"), -30.0, 0.1); }, 5.0));
    REQUIRE(pumpUntil([&] { return near(shownValue(*meters, "TP"), -30.0, 0.1); }, 5.0));
    wb::test::saveScreenshot(*meters, "meters-loudness.png");

    // Stopped: momentary falls to no figure (silence is below the -70 LUFS gate); the integrated
    // reading stays, lowered only by the three 400 ms blocks that overlap tone and silence (they
    // pass the relative gate: at least -36 LUFS against its -40), never raised.
    gen.toggleRunning();
    REQUIRE(pumpUntil([&] { return !shownValue(*meters, "M").has_value(); }, 5.0));
    INFO("stopped: " << meters->loudnessLines().joinIntoString(" | "));
    const auto after = shownValue(*meters, "I");
    REQUIRE(after.has_value());
    CHECK(*after <= -30.0 + 0.1 + 1e-9);
    CHECK(*after > -36.0);
    CHECK(near(shownValue(*meters, "TP"), -30.0, 0.1));
}
