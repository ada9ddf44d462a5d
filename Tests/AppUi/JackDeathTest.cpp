// The app on JACK when the server is killed under it (issue 15): it notices (JUCE's JACK device
// closes itself, or its callbacks stop: Engine/DeviceWatch), falls back to the Virtual loopback,
// says so in the header's device line, keeps running (no crash, no hang) and keeps JACK as the
// session's device, so the next launch tries it again.
#include "AppUi/AppFixture.h"

#include "Support/PrivateJackServer.h"

#include <chrono>
#include <cstdlib>

using wb::test::pumpUntil;

TEST_CASE("app: a JACK server killed under the app: it falls back to the Virtual loopback and says so",
          "[gui][app][jack]")
{
    wb::test::PrivateJackServer server(256, "app");
    REQUIRE_JACK_SERVER(server);
    ::setenv("JACK_DEFAULT_SERVER", server.serverName().c_str(), 1);
    wb::test::App app(false);
    const auto error = app.engine->openJackDevice();
    INFO(error);
    REQUIRE(error.isEmpty());
    REQUIRE(app.engine->deviceManager().getCurrentAudioDevice()->getTypeName() == "JACK");
    // The device becomes the session's (the device manager's change message) and runs.
    REQUIRE(pumpUntil([&] { return app.engine->deviceSettings().has_value() && app.main->isAudioLive(); }));
    REQUIRE(app.engine->deviceSettings()->type == "JACK");
    app.main->checkDevice();
    auto& gen = app.main->generatorPanel();
    if (!gen.isRunning())
        gen.toggleRunning();
    const auto before = app.engine->callbacks();
    REQUIRE(pumpUntil([&] { return app.engine->callbacks() > before + 10; }));

    server.killNow();
    const auto killedAt = std::chrono::steady_clock::now();
    const bool fellBack = pumpUntil(
        [&] { return app.engine->isVirtualDevice() && app.main->isAudioLive(); }, 20.0);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - killedAt).count();
    INFO(app.main->deviceStatusText() << " after " << took << " s");
    REQUIRE(fellBack);
    CHECK(app.main->deviceStatusText().contains("the JACK server stopped"));
    CHECK(app.main->deviceStatusText().contains("Virtual loopback"));
    // A bound on a hang, not a speed figure (the watch's limit is max(1 s, 8 periods)).
    CHECK(took < 15.0);
    // Audio runs again on the fallback (callbacks move), the generator shows it was stopped.
    const auto onVirtual = app.engine->callbacks();
    CHECK(pumpUntil([&] { return app.engine->callbacks() > onVirtual + 10; }));
    CHECK_FALSE(gen.isRunning());
    // The session keeps JACK as its device.
    const auto saved = app.main->saveSession();
    const auto* device = saved->getChildByName("Device");
    REQUIRE(device != nullptr);
    CHECK(device->getStringAttribute("type") == "JACK");
    ::unsetenv("JACK_DEFAULT_SERVER");
}
