// Scope and spectrum channel choice and the correlation meter, through the app's own controls:
// with output 1 silent (the generator's Left off) the scope shows output 2 when the user picks it
// (and a flat line for output 1); both overlaid give two traces; L - R gives the difference; the
// correlation reads +1 for the same sine on both outputs, -1 with Invert R (analytic answers for
// identical and inverted channels) and nothing while one output is silent.
#include "AppUi/AppFixture.h"

using wb::test::App;
using wb::test::findById;
using wb::test::pump;
using wb::test::pumpUntil;

namespace
{
juce::ToggleButton* toggleNamed(juce::Component& root, const juce::String& text)
{
    for (auto* c : root.getChildren())
    {
        if (auto* t = dynamic_cast<juce::ToggleButton*>(c); t != nullptr && t->getButtonText() == text)
            return t;
        if (auto* found = toggleNamed(*c, text))
            return found;
    }
    return nullptr;
}

/// Waits until `get()` stays within `tol` of `want` for ~300 ms (several scope ticks).
template <typename F>
bool settles(F get, double want, double tol)
{
    int inside = 0;
    return pumpUntil([&] {
        inside = std::abs(get() - want) <= tol ? inside + 1 : 0;
        return inside >= 30;
    });
}
} // namespace

TEST_CASE("app scope: channel choice shows output 2 when output 1 is silent, both, and L - R", "[gui][app]")
{
    App app;
    auto* scope = app.main->scopeView();
    REQUIRE(scope != nullptr);
    REQUIRE(app.main->spectrumView() != nullptr);
    auto* box = findById<juce::ComboBox>(*scope, wb::app::ScopeView::kChannelBoxId);
    auto* spectrumBox = findById<juce::ComboBox>(*app.main->spectrumView(), wb::app::SpectrumView::kChannelBoxId);
    REQUIRE(box != nullptr);
    REQUIRE(spectrumBox != nullptr);
    auto& gen = app.main->generatorPanel();
    auto* left = toggleNamed(gen, "Left");
    REQUIRE(left != nullptr);
    REQUIRE(left->getToggleState());
    left->triggerClick(); // output 1 silent; output 2 plays the -20 dBFS peak sine (amplitude 0.1)
    REQUIRE(pumpUntil([&] { return !left->getToggleState(); }));
    gen.toggleRunning();
    REQUIRE(gen.isRunning());

    // Output 1 (the default): a flat line.
    CHECK(box->getSelectedId() == int(wb::app::ChannelView::channel1));
    CHECK(settles([&] { return double(scope->traceMaxAbs(0)); }, 0.0, 1e-6));

    // Output 2, chosen in the scope's box: the sine, peak 0.1; the spectrum's box follows.
    box->setSelectedId(int(wb::app::ChannelView::channel2), juce::sendNotificationSync);
    CHECK(spectrumBox->getSelectedId() == int(wb::app::ChannelView::channel2));
    CHECK(app.main->channelViewShown() == wb::app::ChannelView::channel2);
    CHECK(settles([&] { return double(scope->traceMaxAbs(0)); }, 0.1, 1e-3));

    // Both: the first trace flat (output 1), the second the sine.
    box->setSelectedId(int(wb::app::ChannelView::both), juce::sendNotificationSync);
    CHECK(settles([&] { return double(scope->traceMaxAbs(1)); }, 0.1, 1e-3));
    CHECK(scope->traceMaxAbs(0) < 1e-6f);

    // L - R = 0 - R: the sine's amplitude again (inverted).
    box->setSelectedId(int(wb::app::ChannelView::difference), juce::sendNotificationSync);
    CHECK(settles([&] { return double(scope->traceMaxAbs(0)); }, 0.1, 1e-3));
    CHECK(scope->traceMaxAbs(1) == 0.0f);

    // Output 1 silent: no correlation to show.
    CHECK(pumpUntil([&] { return !scope->shownCorrelation().has_value(); }));
}

TEST_CASE("app scope: the correlation meter reads +1 for identical outputs and -1 with Invert R", "[gui][app]")
{
    App app;
    auto* scope = app.main->scopeView();
    REQUIRE(scope != nullptr);
    auto& gen = app.main->generatorPanel();
    auto* invert = toggleNamed(gen, "Invert R");
    REQUIRE(invert != nullptr);
    REQUIRE_FALSE(invert->getToggleState());
    gen.toggleRunning();
    const auto corr = [&] { return scope->shownCorrelation().value_or(0.0); };
    // The same sine on both outputs: r = 1 exactly (float samples identical).
    CHECK(settles(corr, 1.0, 1e-6));
    // Output 2 = -output 1: r = -1 (once the window has only inverted pairs).
    invert->triggerClick();
    REQUIRE(pumpUntil([&] { return invert->getToggleState(); }));
    CHECK(settles(corr, -1.0, 1e-6));
    // L - R of inverted channels is twice the signal: 0.2 peak.
    findById<juce::ComboBox>(*scope, wb::app::ScopeView::kChannelBoxId)
        ->setSelectedId(int(wb::app::ChannelView::difference), juce::sendNotificationSync);
    CHECK(settles([&] { return double(scope->traceMaxAbs(0)); }, 0.2, 2e-3));
}
