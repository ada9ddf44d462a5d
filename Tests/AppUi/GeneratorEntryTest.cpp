// The generator panel as a sound engineer meets it (issue 19): every signal kind plays, and plays
// what `wavebench render` writes for the same settings; typed values are parsed with units and
// refused with a reason; a typed big level rise ramps; the session comes back stopped; a lost
// device stops the visuals and offers the Virtual loopback. The effect controls' boxes parse and
// refuse the same way, and a typed big rise of a dB control ramps too.
//
// The signal tests drive the engine's own device callback from this thread (as the real-time
// tests do) on an opened, never started Virtual loopback device: every sample the engine writes
// is captured, none is lost to a lossy scope ring, and the message loop runs between blocks so
// the panel's timer (the level ramp) works as in the app.
#include "AppUi/AppFixture.h"

#include "App/ChainPanel.h"
#include "App/GeneratorPanel.h"
#include "App/ValueEntry.h"
#include "Core/Signals/Render.h"
#include "Core/Util/Decibels.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <algorithm>
#include <cmath>
#include <vector>

using wb::app::GeneratorPanel;
using wb::app::ValueEntrySlider;
using wb::test::findById;
using wb::test::pump;
using wb::test::pumpUntil;

namespace
{
constexpr double kRate = 48000.0;
constexpr int kBlock = 256;

/// The engine's callback run by hand, block by block, on an opened (not started) device.
struct DrivenEngine
{
    std::unique_ptr<wb::AudioEngine> engine = wb::AudioEngine::createWithGenerator();
    wb::VirtualLoopbackDevice device{[] {
        wb::VirtualLoopbackConfig c;
        c.bufferSize = kBlock;
        return c;
    }()};
    std::vector<float> in0 = std::vector<float>(kBlock), in1 = std::vector<float>(kBlock);
    std::vector<float> out0 = std::vector<float>(kBlock), out1 = std::vector<float>(kBlock);

    void start()
    {
        juce::BigInteger channels;
        channels.setRange(0, 2, true);
        REQUIRE(device.open(channels, channels, kRate, kBlock).isEmpty());
        engine->deviceCallback().audioDeviceAboutToStart(&device);
    }
    ~DrivenEngine() { engine->deviceCallback().audioDeviceStopped(); }

    /// One block; appends both outputs to `left`/`right` when given.
    void block(std::vector<float>* left = nullptr, std::vector<float>* right = nullptr)
    {
        const float* ins[] = {in0.data(), in1.data()};
        float* outs[] = {out0.data(), out1.data()};
        engine->deviceCallback().audioDeviceIOCallbackWithContext(ins, 2, outs, 2, kBlock, {});
        if (left != nullptr)
            left->insert(left->end(), out0.begin(), out0.end());
        if (right != nullptr)
            right->insert(right->end(), out1.begin(), out1.end());
    }
    void blocks(int n)
    {
        for (int i = 0; i < n; ++i)
            block();
    }
};

/// The panel on the desktop (its text boxes open editors only when showing).
struct ShownPanel
{
    GeneratorPanel panel;
    explicit ShownPanel(wb::AudioEngine& e) : panel(e)
    {
        panel.setSize(330, GeneratorPanel::preferredHeight());
        panel.addToDesktop(juce::ComponentPeer::windowAppearsOnTaskbar);
        panel.setVisible(true);
    }
    ValueEntrySlider& box(const char* id)
    {
        auto* s = findById<ValueEntrySlider>(panel, id);
        REQUIRE(s != nullptr);
        return *s;
    }
};

/// Types `text` into a slider's own text box and presses Return, as a user does.
void typeInto(juce::Slider& slider, const juce::String& text)
{
    juce::Label* box = nullptr;
    for (auto* child : slider.getChildren())
        if (auto* l = dynamic_cast<juce::Label*>(child))
            box = l;
    REQUIRE(box != nullptr);
    box->showEditor();
    auto* editor = box->getCurrentTextEditor();
    REQUIRE(editor != nullptr);
    editor->setText(text, true);
    box->hideEditor(false); // Return: the text is committed
}

float peakOf(const std::vector<float>& x, std::size_t from = 0)
{
    float p = 0.0f;
    for (std::size_t i = from; i < x.size(); ++i)
        p = std::max(p, std::abs(x[i]));
    return p;
}
} // namespace

TEST_CASE("app: every signal kind plays, and equals `render` for the same settings", "[gui][app][generator]")
{
    DrivenEngine d;
    ShownPanel shown(*d.engine);
    auto& panel = shown.panel;
    d.start();
    d.blocks(4);
    // Short sweeps and a fast impulse train, typed as a user would, so one capture holds repeats.
    panel.setKind(wb::SignalKind::sweepLog);
    typeInto(shown.box(GeneratorPanel::kDurationId), "150 ms");
    REQUIRE(shown.box(GeneratorPanel::kDurationId).getValue() == Approx(0.15));
    panel.setKind(wb::SignalKind::impulse);
    typeInto(shown.box(GeneratorPanel::kPeriodId), "10 ms");
    REQUIRE(shown.box(GeneratorPanel::kPeriodId).getValue() == Approx(0.01));

    constexpr int kBlocks = 120; // 0.64 s: four sweeps of 150 ms, 64 impulses
    const std::size_t rampSamples = std::size_t(std::lround(wb::GeneratorNode::kStartStopSeconds * kRate));
    for (int k = 0; k < wb::kNumSignalKinds; ++k)
    {
        const auto kind = static_cast<wb::SignalKind>(k);
        if (kind == wb::SignalKind::silence)
            continue;
        const auto name = std::string(wb::signalKindName(kind));
        INFO("signal " << name);
        panel.setKind(kind);
        panel.toggleRunning();
        REQUIRE(panel.isRunning());
        std::vector<float> left, right;
        for (int b = 0; b < kBlocks; ++b)
            d.block(&left, &right);
        panel.toggleRunning(); // stop, and let the 5 ms ramp to silence finish
        d.blocks(8);

        // Non-silent on the engine's output, at the panel's -20 dBFS peak (noises: about it).
        const float peak = peakOf(left);
        CHECK(peak > 0.05f);
        CHECK(peak < 0.2f);

        // What `render` writes for the same settings (the noise level correction off: the live
        // generator plays the analytic gain; the CLI's exact-level pass only rescales a render).
        wb::RenderConfig config;
        config.sampleRate = kRate;
        config.numChannels = 2;
        config.numFrames = std::int64_t(left.size());
        config.blockSize = 512; // a block size of its own: the output must not depend on it
        config.exactNoiseLevel = false;
        config.routing.enabledMask = 0x3;
        const auto rendered = wb::renderSignal(panel.playedSettings(kRate), config);
        REQUIRE(rendered.channels.size() == 2);
        REQUIRE(rendered.channels[0].size() == left.size());
        // Sweeps and the impulse start at once (from sample 0); the others ramp in over 5 ms at
        // Start, so they are compared after it (and never louder than the render inside it).
        const bool fromFirst = kind == wb::SignalKind::impulse || wb::isSweep(kind);
        const std::size_t from = fromFirst ? 0 : rampSamples;
        double worst = 0.0;
        std::size_t worstAt = 0;
        for (std::size_t i = 0; i < left.size(); ++i)
        {
            const double ref = rendered.channels[0][i];
            if (i < from)
            {
                CHECK(std::abs(double(left[i])) <= std::abs(ref) + 1e-7);
                continue;
            }
            for (const double e : {std::abs(double(left[i]) - ref), std::abs(double(right[i]) - double(rendered.channels[1][i]))})
                if (e > worst)
                {
                    worst = e;
                    worstAt = i;
                }
        }
        INFO("largest difference " << worst << " at sample " << worstAt);
        CHECK(worst <= 1e-6); // float arithmetic in the same order: in practice 0
        if (kind == wb::SignalKind::impulse)
        {
            // The first impulse is sample 0, then one every 480 samples.
            CHECK(left[0] == Approx(0.1f).epsilon(1e-6));
            CHECK(left[480] == Approx(0.1f).epsilon(1e-6));
            CHECK(left[1] == 0.0f);
        }
        if (kind == wb::SignalKind::sweepLog)
        {
            // Repeating: the second sweep (from 7200) starts exactly like the first.
            for (std::size_t i = 0; i < 2000; ++i)
                REQUIRE(left[7200 + i] == left[i]);
        }
    }
}

TEST_CASE("app: typed values in every numeric box: units, refusals with a reason, ranges", "[gui][app][generator]")
{
    auto engine = wb::AudioEngine::createWithGenerator();
    ShownPanel shown(*engine);
    auto& panel = shown.panel;
    auto* message = findById<juce::Label>(panel, GeneratorPanel::kMessageId);
    REQUIRE(message != nullptr);

    struct Box
    {
        wb::SignalKind kind;
        const char* id;
        bool oneKFits;     ///< "1k" lies in the box's range
        const char* range; ///< the range as the refusal says it (null: "k" itself is refused)
    };
    const Box boxes[] = {
        {wb::SignalKind::sine, GeneratorPanel::kFrequencyId, true, "20 Hz .. 20 kHz"},
        {wb::SignalKind::sweepLin, GeneratorPanel::kToId, true, "20 Hz .. 20 kHz"},
        {wb::SignalKind::sine, GeneratorPanel::kLevelId, false, nullptr}, // dB takes no prefix
        {wb::SignalKind::sweepLog, GeneratorPanel::kDurationId, false, "100 ms .. 60 s"},
        {wb::SignalKind::sweepLog, GeneratorPanel::kFadeId, false, "0 s .. 1 s"},
        {wb::SignalKind::impulse, GeneratorPanel::kPeriodId, false, "1 ms .. 10 s"},
        {wb::SignalKind::pink, GeneratorPanel::kSeedId, true, "0 .. 4.295 M"},
    };
    for (const auto& b : boxes)
    {
        INFO("box " << b.id);
        panel.setKind(b.kind);
        auto& box = shown.box(b.id);
        REQUIRE(box.isShowing());
        const double before = box.getValue();
        const auto shownBefore = box.getTextFromValue(before);

        typeInto(box, "abc");
        CHECK(box.getValue() == before);                 // the old value is kept...
        CHECK(message->getText().contains("not a number")); // ...and the reason is shown
        CHECK(message->isShowing());
        CHECK(box.getTextFromValue(box.getValue()) == shownBefore);

        typeInto(box, "1k");
        if (b.oneKFits)
        {
            CHECK(box.getValue() == 1000.0);
            CHECK(message->getText().isEmpty());
        }
        else
        {
            CHECK(box.getValue() == before);
            if (b.range != nullptr)
                CHECK(message->getText().contains(juce::String("is outside ") + b.range));
            else
                CHECK(message->getText().contains("'k' is not understood"));
        }
    }
    // The panel's model (and so the engine) follows the accepted values only.
    CHECK(panel.model().freq == 1000.0);
    CHECK(panel.model().freqTo == 1000.0);
    CHECK(panel.model().seed == 1000u);

    // The issue's own examples: 99999 Hz and -500 dB are refused with the range, not clamped.
    panel.setKind(wb::SignalKind::sine);
    auto& freq = shown.box(GeneratorPanel::kFrequencyId);
    typeInto(freq, "99999");
    CHECK(freq.getValue() == 1000.0);
    CHECK(message->getText() == "99.999 kHz is outside 20 Hz .. 20 kHz");
    auto& level = shown.box(GeneratorPanel::kLevelId);
    typeInto(level, "-500 dB");
    CHECK(level.getValue() == -20.0);
    CHECK(message->getText() == "-500 dB is outside -80 dB .. 0 dB");
    // Units and prefixes are understood.
    typeInto(freq, "1.5 kHz");
    CHECK(freq.getValue() == 1500.0);
    typeInto(level, "-26 dB");
    CHECK(level.getValue() == -26.0);
    panel.setKind(wb::SignalKind::sweepLog);
    typeInto(shown.box(GeneratorPanel::kDurationId), "2500 ms");
    CHECK(shown.box(GeneratorPanel::kDurationId).getValue() == Approx(2.5));
    typeInto(shown.box(GeneratorPanel::kFadeId), "50m s");
    CHECK(shown.box(GeneratorPanel::kFadeId).getValue() == Approx(0.05));
}

// [notsan]: the rise per block is bounded by the time between two blocks; under ThreadSanitizer a
// late block once measured 1.53 dB against the 1.5 dB bound (fresh clone of cab6281). The release
// stage checks it.
TEST_CASE("app: a typed big level rise ramps on the output, it never jumps", "[gui][app][generator][notsan]")
{
    DrivenEngine d;
    ShownPanel shown(*d.engine);
    auto& panel = shown.panel;
    auto& level = shown.box(GeneratorPanel::kLevelId);
    panel.setLevelDb(-60.0);
    d.start();
    panel.toggleRunning();
    d.blocks(20);

    typeInto(level, "-6");
    CHECK(level.getValue() == -60.0); // not applied at once
    CHECK(panel.isLevelRamping());
    CHECK(panel.message().contains("Ramping to -6 dB"));

    // Block by block, with the message loop running between blocks as in the app.
    std::vector<double> blockPeakDb;
    int after = 0; // blocks after the ramp ended (the generator's last 10 ms step, and steady)
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until && after < 10)
    {
        pump(2);
        std::vector<float> left;
        d.block(&left);
        blockPeakDb.push_back(wb::gainToDb(peakOf(left)));
        if (!panel.isLevelRamping())
            ++after;
    }
    REQUIRE_FALSE(panel.isLevelRamping());
    CHECK(level.getValue() == -6.0);
    REQUIRE(blockPeakDb.size() > 10);
    CHECK(blockPeakDb.back() == Approx(-6.0).margin(0.05));
    double maxStep = 0.0;
    for (std::size_t i = 1; i < blockPeakDb.size(); ++i)
        maxStep = std::max(maxStep, blockPeakDb[i] - blockPeakDb[i - 1]);
    INFO("largest block-to-block rise " << maxStep << " dB over " << blockPeakDb.size() << " blocks");
    // 20 dB/s is 0.11 dB per 5.3 ms block; the timer's steps (~16 ms) bunch it to ~0.35 dB. A jump
    // of 54 dB would spread over the generator's 10 ms ramp: ~27 dB per block.
    CHECK(maxStep < 1.5);
    // Rising 54 dB at 20 dB/s takes 2.7 s of wall time: at least ~1 s of audio went by here.
    CHECK(blockPeakDb.size() * kBlock > std::size_t(kRate));

    // A small typed rise (<= 6 dB, staying at or below -6 dBFS) applies at once; so does any fall.
    typeInto(level, "-30");
    CHECK(level.getValue() == -30.0);
    typeInto(level, "-26");
    CHECK(level.getValue() == -26.0);
    CHECK_FALSE(panel.isLevelRamping());
}

TEST_CASE("app: a session saved while running comes back stopped (unless asked)", "[gui][app][generator]")
{
    wb::test::App app;
    auto& gen = app.main->generatorPanel();
    gen.setKind(wb::SignalKind::saw);
    gen.setLevelDb(-12.0);
    gen.toggleRunning();
    REQUIRE(gen.isRunning());
    REQUIRE(pumpUntil([&] { return app.engine->generator()->isRunningFromUi(); }));

    app.main.reset(); // quit: the session is saved (running)
    app.createMain();
    auto& back = app.main->generatorPanel();
    CHECK_FALSE(back.isRunning());
    CHECK(back.restoredWasRunning());
    CHECK(back.model().kind == wb::SignalKind::saw);
    CHECK(back.model().levelDb == -12.0);
    // The engine plays nothing: its generator is stopped and the meter stays at silence.
    const auto before = app.engine->callbacks();
    REQUIRE(pumpUntil([&] { return app.engine->callbacks() > before + 20; }));
    CHECK_FALSE(app.engine->generator()->isRunningFromUi());
    CHECK(app.peakStaysBelow(-100.0));

    // "Start Audio on Launch" on: a session saved running starts again.
    app.settings->file().setValue(wb::app::MainComponent::kStartOnLaunchKey, true);
    back.toggleRunning();
    app.main.reset();
    app.createMain();
    CHECK(app.main->generatorPanel().isRunning());
    CHECK(app.peakSettlesAt(-12.0, 0.2));
}

TEST_CASE("app: a device that fails stops the visuals, says no device, offers the Virtual loopback",
          "[gui][app][generator][device]")
{
    wb::test::App app;
    auto& gen = app.main->generatorPanel();
    gen.setLevelDb(-20.0);
    gen.toggleRunning();
    REQUIRE(app.peakSettlesAt(-20.0, 0.2));
    REQUIRE(app.main->isAudioLive());
    CHECK_FALSE(app.main->virtualFallbackButton().isVisible());

    // Switch to a device that cannot open (as the Audio Settings dialog would).
    auto& manager = app.engine->deviceManager();
    juce::AudioDeviceManager::AudioDeviceSetup setup;
    manager.getAudioDeviceSetup(setup);
    setup.outputDeviceName = "No such device";
    setup.inputDeviceName = "No such device";
    const auto error = manager.setAudioDeviceSetup(setup, true);
    CHECK(error.isNotEmpty());

    REQUIRE(pumpUntil([&] { return !app.main->isAudioLive(); }));
    CHECK(app.main->deviceStatusText().startsWith("No device"));
    CHECK_FALSE(gen.isRunning());
    CHECK(gen.saveState()->getBoolAttribute("running") == false);
    // The visuals are cleared, not frozen: the meters hold no data, and stay so.
    pump(300);
    REQUIRE(app.main->levelMeters() != nullptr);
    CHECK_FALSE(app.main->levelMeters()->hasData());
    CHECK(app.main->virtualFallbackButton().isVisible());
    wb::test::saveScreenshot(*app.main, "main-no-device.png");

    // The offer: back to the Virtual loopback, and the generator can play again.
    app.main->virtualFallbackButton().triggerClick();
    REQUIRE(pumpUntil([&] { return app.main->isAudioLive(); }));
    CHECK(app.main->deviceStatusText().startsWith("Audio device:"));
    CHECK_FALSE(app.main->virtualFallbackButton().isVisible());
    gen.toggleRunning();
    CHECK(app.peakSettlesAt(-20.0, 0.2));

    SECTION("a running device that stops")
    {
        app.engine->deviceManager().getCurrentAudioDevice()->stop();
        REQUIRE(pumpUntil([&] { return !app.main->isAudioLive(); }));
        CHECK(app.main->deviceStatusText().startsWith("No device"));
        CHECK_FALSE(gen.isRunning());
        CHECK_FALSE(app.main->levelMeters()->hasData());
        CHECK(app.main->virtualFallbackButton().isVisible());
    }
    SECTION("a running device that reports an error")
    {
        app.engine->deviceCallback().audioDeviceError("the server went away");
        REQUIRE(pumpUntil([&] { return !app.main->isAudioLive(); }));
        CHECK(app.main->deviceStatusText().contains("reported an error"));
        CHECK_FALSE(gen.isRunning());
        CHECK_FALSE(app.main->levelMeters()->hasData());
        app.main->virtualFallbackButton().triggerClick();
        REQUIRE(pumpUntil([&] { return app.main->isAudioLive(); }));
    }
}

TEST_CASE("app: screenshot of the generator panel for a sweep", "[gui][app][generator][screenshot]")
{
    wb::test::App app;
    auto& gen = app.main->generatorPanel();
    gen.setKind(wb::SignalKind::sweepLog);
    typeInto(*findById<ValueEntrySlider>(gen, GeneratorPanel::kLevelId), "abc"); // the message line
    pump(100);
    const auto image = gen.createComponentSnapshot(gen.getLocalBounds(), true, 1.0f);
    const auto dir = juce::File::getCurrentWorkingDirectory().getChildFile("output/screenshots");
    REQUIRE(dir.createDirectory());
    const auto file = dir.getChildFile("generator-sweep.png");
    file.deleteFile();
    juce::PNGImageFormat png;
    {
        juce::FileOutputStream out(file);
        REQUIRE(out.openedOk());
        REQUIRE(png.writeImageToStream(image, out));
    }
    CHECK(file.getSize() > 1000);
    // The other kinds' layouts too (their own controls, inside the panel).
    for (auto [kind, id] : {std::pair{wb::SignalKind::impulse, GeneratorPanel::kPeriodId},
                            std::pair{wb::SignalKind::pink, GeneratorPanel::kSeedId},
                            std::pair{wb::SignalKind::sine, GeneratorPanel::kFrequencyId}})
    {
        gen.setKind(kind);
        pump(50);
        auto* c = findById(gen, id);
        REQUIRE(c != nullptr);
        CHECK(c->isVisible());
        CHECK(gen.getLocalBounds().contains(c->getBounds()));
        const auto other = dir.getChildFile("generator-" + juce::String(std::string(wb::signalKindName(kind))) + ".png");
        juce::FileOutputStream out(other);
        REQUIRE(out.setPosition(0));
        REQUIRE(out.truncate().wasOk());
        REQUIRE(png.writeImageToStream(gen.createComponentSnapshot(gen.getLocalBounds(), true, 1.0f), out));
    }
    gen.setKind(wb::SignalKind::sweepLog);
    // Every control of the sweep is inside the panel.
    for (const char* id : {GeneratorPanel::kFrequencyId, GeneratorPanel::kToId, GeneratorPanel::kDurationId,
                           GeneratorPanel::kFadeId, GeneratorPanel::kRepeatId, GeneratorPanel::kLevelId,
                           GeneratorPanel::kStartId, GeneratorPanel::kMessageId})
    {
        auto* c = findById(gen, id);
        REQUIRE(c != nullptr);
        INFO(id);
        CHECK(c->isVisible());
        CHECK(gen.getLocalBounds().contains(c->getBounds()));
    }
}

TEST_CASE("app: every control of the generator panel has a tooltip", "[gui][app][generator]")
{
    auto engine = wb::AudioEngine::createWithGenerator();
    GeneratorPanel panel(*engine);
    int checked = 0;
    for (auto* child : panel.getChildren())
        if (auto* tip = dynamic_cast<juce::SettableTooltipClient*>(child))
            if (dynamic_cast<juce::Label*>(child) == nullptr) // labels name controls; they are not controls
            {
                INFO(child->getComponentID() << " " << child->getName());
                CHECK(tip->getTooltip().isNotEmpty());
                ++checked;
            }
    CHECK(checked >= 14); // kind, mode, 7 boxes, repeat, left, right, invert, start
}

namespace
{
/// What a slider's own text box shows.
juce::String boxText(juce::Slider& slider)
{
    for (auto* child : slider.getChildren())
        if (auto* l = dynamic_cast<juce::Label*>(child))
            return l->getText();
    FAIL("no text box");
    return {};
}

/// The chain panel on the desktop (its text boxes open editors only when showing).
struct ShownChain
{
    wb::app::ChainPanel panel;
    explicit ShownChain(wb::AudioEngine& e) : panel(e)
    {
        panel.setSize(330, 900);
        panel.addToDesktop(juce::ComponentPeer::windowAppearsOnTaskbar);
        panel.setVisible(true);
    }
    /// The text-entry slider of control `name` (its label) of effect `fx` (the selected one).
    ValueEntrySlider& box(wb::AudioEngine& e, wb::NodeId fx, const char* name)
    {
        const int slot = e.chain().indexOfFromUi(fx);
        REQUIRE(slot >= 0);
        const auto& node = *e.chain().slotsFromUi()[size_t(slot)].node;
        const int index = node.findControl(name);
        REQUIRE(index >= 0);
        const auto id = wb::app::ChainPanel::kParamIdPrefix + juce::String(node.description().controls[size_t(index)].path);
        auto* s = findById<ValueEntrySlider>(panel, id);
        REQUIRE(s != nullptr);
        return *s;
    }
    /// The value of the control at `path` in the panel's model (what a preset saves, and what was
    /// sent to the engine); the chain holds one effect here.
    double modelValue(const juce::String& path)
    {
        const auto xml = panel.saveState();
        for (auto* effect : xml->getChildWithTagNameIterator("Effect"))
                for (auto* p : effect->getChildWithTagNameIterator("Param"))
                    if (p->getStringAttribute("path") == path)
                        return p->getDoubleAttribute("value");
        FAIL("no parameter " << path);
        return 0.0;
    }
};
} // namespace

TEST_CASE("app: typed values in the effect controls: units, refusals with a reason, ranges", "[gui][app][chain]")
{
    auto engine = wb::AudioEngine::createWithGenerator();
    ShownChain shown(*engine);
    auto& chain = shown.panel;

    // A control in Hz: "1k" is 1000 Hz; "abc" and an out-of-range value keep the old value and say why.
    const auto lp = chain.addEffect("lowpass");
    auto& cutoff = shown.box(*engine, lp, "cutoff");
    const auto cutoffPath = cutoff.getComponentID().fromFirstOccurrenceOf(wb::app::ChainPanel::kParamIdPrefix, false, false);
    REQUIRE(cutoff.unit() == wb::ValueUnit::hertz);
    const double before = cutoff.getValue();
    REQUIRE(before == Approx(12000.0));
    typeInto(cutoff, "abc");
    CHECK(cutoff.getValue() == before);
    CHECK(shown.modelValue(cutoffPath) == Approx(before));
    CHECK(chain.message().startsWith("cutoff: "));
    CHECK(chain.message().contains("'abc' is not a number"));
    CHECK(boxText(cutoff) == "12 kHz"); // the box shows the old value again
    typeInto(cutoff, "1k");
    CHECK(cutoff.getValue() == Approx(1000.0));
    CHECK(shown.modelValue(cutoffPath) == Approx(1000.0));
    CHECK(chain.message().isEmpty());
    typeInto(cutoff, "99999");
    CHECK(cutoff.getValue() == Approx(1000.0));
    CHECK(chain.message().contains("outside 10 Hz .. 20 kHz"));
    // For the eye: where the reason shows (beside the title).
    wb::test::saveScreenshot(chain, "chain-refusal.png", chain.getLocalBounds().withHeight(200));
    typeInto(cutoff, "1.5 kHz");
    CHECK(cutoff.getValue() == Approx(1500.0));

    // A control in ms (a plain number with its unit shown): "250 ms" and "250" alike; "1k" is
    // outside its range (the reason names the control and its unit); "5 s" is not its unit.
    chain.clearForTest();
    const auto dl = chain.addEffect("delay");
    auto& time = shown.box(*engine, dl, "time");
    REQUIRE(time.unit() == wb::ValueUnit::none);
    typeInto(time, "125 ms");
    CHECK(time.getValue() == Approx(125.0));
    CHECK(boxText(time) == "125 ms");
    typeInto(time, "abc");
    CHECK(time.getValue() == Approx(125.0));
    CHECK(chain.message().contains("not a number"));
    typeInto(time, "3k");
    CHECK(time.getValue() == Approx(125.0));
    CHECK(chain.message().startsWith("time (ms): "));
    CHECK(chain.message().contains("is outside 0 .. 2"));
    typeInto(time, "5 s");
    CHECK(time.getValue() == Approx(125.0));
    CHECK(chain.message().isNotEmpty());

    // A dB control: "-6 dB" works, a prefix does not ("1k dB").
    chain.clearForTest();
    const auto eq = chain.addEffect("parametriceq");
    auto& peakGain = shown.box(*engine, eq, "peak 1 gain");
    REQUIRE(peakGain.unit() == wb::ValueUnit::decibel);
    typeInto(peakGain, "-6 dB");
    CHECK(peakGain.getValue() == Approx(-6.0));
    typeInto(peakGain, "1k dB");
    CHECK(peakGain.getValue() == Approx(-6.0));
    CHECK(chain.message().isNotEmpty());
    typeInto(peakGain, "-30");
    CHECK(peakGain.getValue() == Approx(-6.0));
    CHECK(chain.message().contains("outside -24 dB .. 24 dB"));
    // A rise of 18 dB is not applied at once: it ramps (the output test below measures the ramp).
    typeInto(peakGain, "12");
    CHECK(peakGain.getValue() == Approx(-6.0));
    CHECK(chain.isRamping());
    CHECK(chain.message().contains("Ramping to 12 dB"));
    REQUIRE(pumpUntil([&] { return !chain.isRamping(); }, 10.0));
    CHECK(peakGain.getValue() == Approx(12.0));
}

TEST_CASE("app: a typed big gain rise in an effect ramps on the output, it never jumps", "[gui][app][chain]")
{
    DrivenEngine d;
    ShownPanel generator(*d.engine);
    generator.panel.setLevelDb(-40.0); // a 1 kHz sine
    ShownChain shown(*d.engine);
    auto& chain = shown.panel;
    const auto fx = chain.addEffect("gain");
    auto& gain = shown.box(*d.engine, fx, "gain");
    d.start();
    generator.panel.toggleRunning();
    d.blocks(40); // the effect's fade-in and the generator's start are over

    typeInto(gain, "24");
    CHECK(gain.getValue() == Approx(0.0).margin(1e-4)); // not applied at once
    CHECK(chain.isRamping());

    std::vector<double> blockPeakDb;
    int after = 0; // blocks after the ramp ended (the node's last smoothing step, and steady)
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until && after < 10)
    {
        pump(2);
        std::vector<float> left;
        d.block(&left);
        blockPeakDb.push_back(wb::gainToDb(peakOf(left)));
        if (!chain.isRamping())
            ++after;
    }
    REQUIRE_FALSE(chain.isRamping());
    CHECK(gain.getValue() == Approx(24.0));
    REQUIRE(blockPeakDb.size() > 10);
    CHECK(blockPeakDb.front() == Approx(-40.0).margin(0.05));
    CHECK(blockPeakDb.back() == Approx(-16.0).margin(0.05));
    double maxStep = 0.0;
    for (std::size_t i = 1; i < blockPeakDb.size(); ++i)
        maxStep = std::max(maxStep, blockPeakDb[i] - blockPeakDb[i - 1]);
    INFO("largest block-to-block rise " << maxStep << " dB over " << blockPeakDb.size() << " blocks");
    // 20 dB/s is 0.11 dB per 5.3 ms block; the timer's ~16 ms steps bunch it to ~0.35 dB. A jump of
    // 24 dB would pass through the node's own 20 ms smoothing in ~4 blocks: ~6 dB per block.
    CHECK(maxStep < 1.5);
    // 24 dB at 20 dB/s is 1.2 s of wall time; at least ~0.5 s of audio went by here.
    CHECK(blockPeakDb.size() * kBlock > std::size_t(kRate / 2));

    // A small typed rise (<= 6 dB) applies at once; so does any fall.
    typeInto(gain, "-10");
    CHECK(gain.getValue() == Approx(-10.0));
    typeInto(gain, "-5");
    CHECK(gain.getValue() == Approx(-5.0));
    CHECK_FALSE(chain.isRamping());

    // Why the panel ramps rather than rely on the node: a value set at once (as a drag's end can)
    // passes the node's own smoothing as a step this measurement sees (many dB in one block).
    d.blocks(20);
    std::vector<double> jumpPeakDb;
    std::vector<float> left;
    d.block(&left);
    jumpPeakDb.push_back(wb::gainToDb(peakOf(left)));
    gain.setValue(19.0, juce::sendNotificationSync);
    for (int i = 0; i < 10; ++i)
    {
        left.clear();
        d.block(&left);
        jumpPeakDb.push_back(wb::gainToDb(peakOf(left)));
    }
    double jumpStep = 0.0;
    for (std::size_t i = 1; i < jumpPeakDb.size(); ++i)
        jumpStep = std::max(jumpStep, jumpPeakDb[i] - jumpPeakDb[i - 1]);
    INFO("an untyped 24 dB step: largest block-to-block rise " << jumpStep << " dB");
    CHECK(jumpStep > 3.0);
    CHECK(jumpPeakDb.back() == Approx(-21.0).margin(0.05));
}

// [notsan]: the test must see the 300 ms one-shot running between two turns of the message loop.
// Under ThreadSanitizer on a loaded machine one turn (pump(10)) took over 1.7 s (the panels'
// repaints pile up): Start toggled at +64 ms, GeneratorFinished came at +1.7 s, and the loop
// never looked in between (5 of 6 runs failed at load ~5-7; none alone at load ~2). The same path
// across threads (start, one-shot end, GeneratorFinished, the published running flag) runs under
// TSAN in GeneratorNodeTest.
TEST_CASE("app: a one-shot sweep or impulse ends and the Start button shows Start again",
          "[gui][app][generator][notsan]")
{
    wb::test::App app;
    auto& gen = app.main->generatorPanel();
    auto* start = findById<juce::TextButton>(gen, GeneratorPanel::kStartId);
    auto* repeat = findById<juce::ToggleButton>(gen, GeneratorPanel::kRepeatId);
    REQUIRE(start != nullptr);
    REQUIRE(repeat != nullptr);
    gen.setLevelDb(-20.0);
    gen.setKind(wb::SignalKind::sweepLog);
    auto* duration = findById<ValueEntrySlider>(gen, GeneratorPanel::kDurationId);
    REQUIRE(duration != nullptr);
    REQUIRE(duration->enterText("300 ms"));
    REQUIRE(repeat->getToggleState()); // a sweep repeats by default
    repeat->triggerClick();
    REQUIRE(pumpUntil([&] { return !repeat->getToggleState(); }));

    // Started, it plays (the meter sees the sweep), then ends: the button says Start again, the
    // engine's generator is stopped, the meter falls to silence.
    for (int round = 0; round < 2; ++round)
    {
        start->triggerClick();
        REQUIRE(pumpUntil([&] { return gen.isRunning(); }));
        CHECK(start->getButtonText() == "Stop");
        REQUIRE(pumpUntil([&] { return app.displayedPeakDb() > -30.0; }));
        REQUIRE(pumpUntil([&] { return !gen.isRunning(); }, 10.0));
        CHECK(start->getButtonText() == "Start");
        CHECK_FALSE(app.engine->generator()->isRunningFromUi());
        CHECK(app.peakStaysBelow(-100.0));
    }

    // A repeating sweep keeps going: after four of its durations the button still says Stop.
    repeat->triggerClick();
    REQUIRE(pumpUntil([&] { return repeat->getToggleState(); }));
    start->triggerClick();
    const auto callbacksAtStart = app.engine->callbacks();
    const double rate = app.engine->deviceManager().getCurrentAudioDevice()->getCurrentSampleRate();
    const int period = app.engine->deviceManager().getCurrentAudioDevice()->getCurrentBufferSizeSamples();
    REQUIRE(pumpUntil([&] { return double(app.engine->callbacks() - callbacksAtStart) * period > 4 * 0.3 * rate; }, 20.0));
    CHECK(gen.isRunning());
    CHECK(start->getButtonText() == "Stop");
    start->triggerClick();

    // A single impulse (Repeat off): Start plays one impulse and the button comes back to Start.
    gen.setKind(wb::SignalKind::impulse);
    REQUIRE(pumpUntil([&] { return app.peakStaysBelow(-100.0); }));
    if (repeat->getToggleState())
        repeat->triggerClick();
    REQUIRE(pumpUntil([&] { return !repeat->getToggleState(); }));
    gen.toggleRunning(); // what the button's click does, synchronously (triggerClick is posted)
    CHECK(gen.isRunning());
    CHECK(start->getButtonText() == "Stop"); // the impulse ends within a period: no pump before this
    REQUIRE(pumpUntil([&] { return !gen.isRunning(); }, 10.0));
    CHECK(start->getButtonText() == "Start");
    CHECK_FALSE(app.engine->generator()->isRunningFromUi());
}

TEST_CASE("app: a device picked in Audio Settings that cannot open: the header gives JUCE's reason",
          "[gui][app][device]")
{
    wb::test::App app;
    REQUIRE(pumpUntil([&] { return app.main->isAudioLive(); }));
    app.main->showAudioSettings();
    juce::DialogWindow* dialog = nullptr;
    REQUIRE(pumpUntil([&] {
        for (int i = 0; i < juce::TopLevelWindow::getNumTopLevelWindows(); ++i)
            if (auto* d = dynamic_cast<juce::DialogWindow*>(juce::TopLevelWindow::getTopLevelWindow(i)))
                dialog = d;
        return dialog != nullptr;
    }));
    // The selector's device box, found by the label JUCE attaches to it ("Output:" or "Device:").
    std::function<juce::ComboBox*(juce::Component&)> deviceBox = [&](juce::Component& root) -> juce::ComboBox* {
        for (auto* child : root.getChildren())
        {
            if (auto* label = dynamic_cast<juce::Label*>(child))
                if (label->getText() == "Output:" || label->getText() == "Device:")
                    if (auto* box = dynamic_cast<juce::ComboBox*>(label->getAttachedComponent()))
                        return box;
            if (auto* found = deviceBox(*child))
                return found;
        }
        return nullptr;
    };
    juce::ComboBox* box = nullptr;
    REQUIRE(pumpUntil([&] { return (box = deviceBox(*dialog)) != nullptr; }));
    pump(300); // the dialog's holder starts watching the boxes

    // The user picks a device that is not there (as a device unplugged since the list was made).
    box->setText("Gone Device", juce::sendNotificationAsync);
    REQUIRE(pumpUntil([&] { return !app.main->isAudioLive(); }));
    REQUIRE(pumpUntil([&] { return app.main->deviceStatusText().contains("Gone Device"); }));
    // The reason is the device manager's own for that device (asked here directly, afterwards).
    juce::AudioDeviceManager::AudioDeviceSetup setup;
    app.engine->deviceManager().getAudioDeviceSetup(setup);
    setup.outputDeviceName = setup.inputDeviceName = "Gone Device";
    const auto juceReason = app.engine->deviceManager().setAudioDeviceSetup(setup, false);
    REQUIRE(juceReason.isNotEmpty());
    INFO("status: " << app.main->deviceStatusText() << "; JUCE: " << juceReason);
    CHECK(app.main->deviceStatusText().startsWith("No device"));
    CHECK(app.main->deviceStatusText().contains(juceReason));
    pump(200);
    CHECK(app.main->deviceStatusText().contains(juceReason)); // it stays after the retries' messages

    juce::ModalComponentManager::getInstance()->cancelAllModalComponents(); // the dialog, JUCE's alert
    pump(100);
    app.main->virtualFallbackButton().triggerClick();
    REQUIRE(pumpUntil([&] { return app.main->isAudioLive(); }));
    CHECK(app.main->deviceStatusText().startsWith("Audio device:"));
}

TEST_CASE("app: a sweep starts from its own From (20 Hz by default), remembered apart from the tone's frequency",
          "[gui][app][generator]")
{
    DrivenEngine d;
    ShownPanel shown(*d.engine);
    auto& panel = shown.panel;
    auto& freq = shown.box(GeneratorPanel::kFrequencyId);
    auto& to = shown.box(GeneratorPanel::kToId);
    d.start();
    REQUIRE(panel.model().kind == wb::SignalKind::sine);
    REQUIRE(freq.getValue() == 1000.0);

    panel.setKind(wb::SignalKind::sweepLog);
    CHECK(freq.getValue() == 20.0);
    CHECK(to.getValue() == 20000.0);
    CHECK(panel.model().freq == 20.0);
    panel.toggleRunning();
    std::vector<float> left;
    const int blocks = int(0.25 * kRate) / kBlock;
    for (int i = 0; i < blocks; ++i)
        d.block(&left);
    CHECK(d.engine->generator()->settingsOnAudio().freq == 20.0); // this thread runs the callback
    // A log sweep 20 Hz -> 20 kHz over 2 s makes 20 (1000^(t/2) - 1) / (ln(1000) / 2) cycles by t:
    // 7.9 in its first 0.25 s (from 1 kHz it would make several hundred).
    int crossings = 0;
    for (std::size_t i = 1; i < left.size(); ++i)
        crossings += (left[i - 1] < 0.0f) != (left[i] < 0.0f) ? 1 : 0;
    const double t = double(left.size()) / kRate;
    const double cycles = 20.0 * (std::pow(1000.0, t / 2.0) - 1.0) / (std::log(1000.0) / 2.0);
    INFO(crossings << " zero crossings in " << t << " s; expected about " << 2.0 * cycles);
    CHECK(std::abs(crossings - 2.0 * cycles) <= 2.0);

    // Each kind keeps its own: From typed for the sweep, the tone's frequency for the sine.
    typeInto(freq, "100");
    panel.setKind(wb::SignalKind::sine);
    CHECK(freq.getValue() == 1000.0);
    d.blocks(2);
    CHECK(d.engine->generator()->settingsOnAudio().freq == 1000.0);
    typeInto(freq, "440");
    panel.setKind(wb::SignalKind::sweepLin);
    CHECK(freq.getValue() == 100.0);
    d.blocks(2);
    CHECK(d.engine->generator()->settingsOnAudio().freq == 100.0);

    // Both are saved and come back; a preset written before (only "freq", here a sweep's) gives
    // the sweep that start and keeps the tone's frequency.
    const auto xml = panel.saveState();
    CHECK(xml->getDoubleAttribute("toneFreq") == 440.0);
    CHECK(xml->getDoubleAttribute("sweepFrom") == 100.0);
    ShownPanel other(*d.engine);
    REQUIRE(other.panel.restoreState(*xml));
    CHECK(other.box(GeneratorPanel::kFrequencyId).getValue() == 100.0);
    other.panel.setKind(wb::SignalKind::saw);
    CHECK(other.box(GeneratorPanel::kFrequencyId).getValue() == 440.0);
    // (A copy of what `panel` saved: the panels share the engine's one model, which `other` has
    // since set to a saw.)
    auto old = std::make_unique<juce::XmlElement>(*xml);
    old->removeAttribute("toneFreq");
    old->removeAttribute("sweepFrom");
    old->setAttribute("freq", 50.0);
    ShownPanel third(*d.engine);
    REQUIRE(third.panel.restoreState(*old));
    CHECK(third.box(GeneratorPanel::kFrequencyId).getValue() == 50.0);
    third.panel.setKind(wb::SignalKind::sine);
    CHECK(third.box(GeneratorPanel::kFrequencyId).getValue() == 1000.0);
}

TEST_CASE("app: the generator's model clamps and records and sends each change and the panel shows its values",
          "[gui][app][generator][session]")
{
    DrivenEngine d;
    d.start();
    auto& model = d.engine->generatorModel();
    ShownPanel shown(*d.engine);
    const auto& played = d.engine->generator()->settingsOnAudio();

    // Out of range: clamped to the GeneratorParams range, recorded, shown, played.
    model.setLevelDb(12.0);
    CHECK(model.state().levelDb == 0.0);
    CHECK(shown.box(GeneratorPanel::kLevelId).getValue() == 0.0);
    model.setFrequency(5.0);
    CHECK(model.state().toneHz == 20.0);
    CHECK(shown.box(GeneratorPanel::kFrequencyId).getValue() == 20.0);
    model.setSeed(1.0e12);
    CHECK(model.state().seed == 4294967295u);
    model.setSeed(7.4);
    CHECK(model.state().seed == 7u);
    model.setSweepSeconds(60.0);
    model.setFadeSeconds(5.0);
    CHECK(model.state().fadeSeconds == 1.0);
    model.setSweepSeconds(0.5); // the fade follows: at most half the sweep
    CHECK(model.state().fadeSeconds == 0.25);
    model.setKind(wb::SignalKind::sweepLog);
    CHECK(model.state().freq() == 20.0); // the sweep's own From, not the tone's
    CHECK(shown.box(GeneratorPanel::kFadeId).getValue() == 0.25);
    d.blocks(2);
    CHECK(played.kind == wb::SignalKind::sweepLog);
    CHECK(played.duration == 0.5);
    CHECK(played.fadeIn == 0.25);
    CHECK(played.seed == 7u);

    // A state out of range is refused with its reason and changes nothing.
    const wb::GeneratorState before = model.state();
    for (auto damage : std::initializer_list<std::pair<const char*, void (*)(wb::GeneratorState&)>>{
             {"level -300", [](wb::GeneratorState& g) { g.levelDb = -300.0; }},
             {"level nan", [](wb::GeneratorState& g) { g.levelDb = std::nan(""); }},
             {"fade 0.3", [](wb::GeneratorState& g) { g.fadeSeconds = 0.3; }}, // sweep 0.5 s
             {"impulse period 20", [](wb::GeneratorState& g) { g.impulsePeriodSeconds = 20.0; }},
             {"sweep end 5", [](wb::GeneratorState& g) { g.freqTo = 5.0; }}})
    {
        wb::GeneratorState bad = before;
        damage.second(bad);
        std::string error;
        CHECK_FALSE(model.restore(bad, error));
        INFO(error);
        CHECK(error.find(damage.first) != std::string::npos);
        CHECK(model.state() == before);
    }

    // A change reaches the output: a 1 kHz sine at -6 dBFS peak on the left, the right inverted;
    // the peak is the analytic 10^(-6/20).
    model.setKind(wb::SignalKind::sine);
    model.setFrequency(1000.0);
    model.setLevelDb(-6.0);
    model.setRouting(0x3, 0x2);
    model.setRunning(true);
    CHECK(shown.panel.isRunning());
    d.blocks(40); // past the level's smoothing
    std::vector<float> left, right;
    for (int i = 0; i < 20; ++i)
        d.block(&left, &right);
    CHECK(peakOf(left) == Approx(std::pow(10.0, -6.0 / 20.0)).epsilon(1e-3));
    float worst = 0.0f;
    for (std::size_t i = 0; i < left.size(); ++i)
        worst = std::max(worst, std::abs(left[i] + right[i]));
    CHECK(worst == 0.0f);
    // Left only: the right output is silent.
    model.setRouting(0x1, 0x0);
    d.blocks(4);
    left.clear();
    right.clear();
    for (int i = 0; i < 4; ++i)
        d.block(&left, &right);
    CHECK(peakOf(right) == 0.0f);
    CHECK(peakOf(left) > 0.4f);
}
