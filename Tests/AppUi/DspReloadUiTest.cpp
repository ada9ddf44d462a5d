// The app's "Load .dsp..." and hot reload (issue 12), as a user meets them: a Faust file loaded
// into the chain is heard at the gain it declares; saving a new version is heard within a second
// or so, with "reloaded hh:mm:ss" under its name; saving a broken version keeps the last good one
// playing and shows Faust's error with the file and line. Levels are read from the Meters panel
// and checked against 20*log10 of the gains the programs declare.
#include "AppUi/AppFixture.h"

#include "App/ChainPanel.h"
#include "App/MonitorPanel.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using wb::test::App;
using wb::test::findById;
using wb::test::pumpUntil;
namespace fs = std::filesystem;

namespace
{
void save(const fs::path& p, const std::string& text)
{
    const auto tmp = p.string() + ".tmp";
    std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
    fs::rename(tmp, p); // as editors save
}
} // namespace

TEST_CASE("app: a loaded .dsp plays, reloads live when saved, and a broken save keeps the last good version",
          "[gui][app][faustrt][hotreload][screenshot]")
{
    App app;
    const auto dir = fs::path(app.settingsDir.dir.getFullPathName().toStdString());
    ::setenv("WAVEBENCH_FAUST_CACHE", (dir / "faust-cache").c_str(), 1);
    auto& gen = app.main->generatorPanel();
    auto& chain = app.main->chainPanel();
    REQUIRE(findById<juce::Button>(chain, wb::app::ChainPanel::kLoadDspButtonId) != nullptr);
    gen.toggleRunning();
    findById<juce::Slider>(gen, wb::app::GeneratorPanel::kLevelId)->setValue(-6.0, juce::sendNotificationSync);
    REQUIRE(app.peakSettlesAt(-6.0));

    const auto dsp = dir / "half.dsp";
    save(dsp, "declare name \"half\";\nprocess = *(0.5), *(0.5);\n");
    chain.loadDspFile(juce::File(dsp.string()));
    REQUIRE(pumpUntil([&] { return chain.numEffects() == 1; }, 20.0));
    const double half = 20.0 * std::log10(0.5);
    REQUIRE(app.peakSettlesAt(-6.0 + half));
    const wb::NodeId first = chain.selectedEffect();
    CHECK_THAT(chain.dspStatus(first).toStdString(), Catch::StartsWith("loaded "));
    auto* heading = findById<juce::Label>(chain, wb::app::ChainPanel::kDescriptionId);
    REQUIRE(heading != nullptr);
    CHECK(heading->getText().contains(juce::String(dsp.string())));

    // Saved as a quarter: heard, and said.
    save(dsp, "declare name \"half\";\nprocess = *(0.25), *(0.25);\n");
    REQUIRE(pumpUntil([&] { return chain.dspStatus(chain.selectedEffect()).startsWith("reloaded "); }, 20.0));
    CHECK(chain.selectedEffect() != first);
    CHECK(chain.numEffects() == 1);
    REQUIRE(app.peakSettlesAt(-6.0 + 20.0 * std::log10(0.25)));
    CHECK(heading->getText().contains("reloaded "));

    // A broken save: the quarter keeps playing; the error names the file and the line.
    save(dsp, "declare name \"half\";\n\nprocess = *(0.25), *(0.25) :;\n");
    REQUIRE(pumpUntil([&] { return chain.message().contains("half.dsp:3"); }, 20.0));
    CHECK(chain.dspStatus(chain.selectedEffect()).contains("half.dsp:3"));
    CHECK(heading->getText().contains("Error: "));
    REQUIRE(app.peakSettlesAt(-6.0 + 20.0 * std::log10(0.25)));
    CHECK(wb::test::saveScreenshot(*app.main, "chain-dsp-error.png").getSize() > 1000);
    // The monitor counts what was compiled here: two versions of half.dsp (the broken save is no
    // module), and the figures fit their column (nothing cut with "...").
    auto* monitor = dynamic_cast<wb::app::MonitorPanel*>(findById(*app.main, "panel.monitor"));
    REQUIRE(monitor != nullptr);
    std::map<juce::String, juce::String> figures;
    for (const auto& f : monitor->figures())
        figures[f.name] = f.value;
    CHECK(figures["Faust modules"].startsWith("2  ("));
    CHECK(figures["Faust compiles"].startsWith("2, last "));
    (void) monitor->createComponentSnapshot(monitor->getLocalBounds()); // paints it now
    INFO("cut: " << monitor->clippedTexts().joinIntoString(" | "));
    CHECK(monitor->clippedTexts().isEmpty());
    // A file that does not compile cannot be added: the chain keeps its one effect.
    const auto broken = dir / "broken.dsp";
    save(broken, "process = ;\n");
    chain.loadDspFile(juce::File(broken.string()));
    REQUIRE(pumpUntil([&] { return chain.message().contains("broken.dsp:1"); }, 20.0));
    CHECK(chain.numEffects() == 1);
}
