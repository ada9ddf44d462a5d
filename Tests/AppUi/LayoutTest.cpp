// Layout and reachability: at 1024x700 (and at the default 1440x900) every control of every
// built-in effect can be brought into view by scrolling and is then inside the window and inside
// every scrolling area around it; the mouse wheel over an effect's slider scrolls the list (the
// slider keeps its value) unless the slider has the keyboard focus; the Add list shows the
// effects' names; bypassed rows are dimmed; Save Preset keeps a typed extension. Screenshots of
// each panel at both sizes are written to WB_APP_SCREENSHOT_DIR (look at them).
#include "AppUi/AppFixture.h"

#include "Faust/FaustCatalogue.h"

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

using wb::test::App;
using wb::test::findById;
using wb::test::pump;
using wb::test::pumpUntil;

namespace
{
/// Scrolls every viewport around `c` (innermost first) so that `c` is inside its view.
void scrollIntoView(juce::Component& c)
{
    for (auto* p = c.getParentComponent(); p != nullptr; p = p->getParentComponent())
        if (auto* vp = dynamic_cast<juce::Viewport*>(p))
        {
            auto* viewed = vp->getViewedComponent();
            const auto r = viewed->getLocalArea(&c, c.getLocalBounds());
            const auto view = vp->getViewArea();
            if (view.contains(r))
                continue;
            // Put the component's top 4 px below the view's top (or its bottom in view when taller).
            vp->setViewPosition(0, std::max(0, r.getY() - 4));
        }
}

/// `c` is showing, and its screen rectangle lies inside that of each of its ancestors (every
/// viewport and the window): the user sees all of it.
bool fullyVisible(juce::Component& c, juce::String& why)
{
    if (!c.isShowing())
    {
        why = c.getComponentID() + " is not showing";
        return false;
    }
    const auto r = c.getScreenBounds();
    for (auto* p = c.getParentComponent(); p != nullptr; p = p->getParentComponent())
        if (!p->getScreenBounds().contains(r))
        {
            why = c.getComponentID() + " at " + r.toString() + " is cut by " + p->getComponentID() + " ("
                + juce::String(typeid(*p).name()) + ") at " + p->getScreenBounds().toString();
            return false;
        }
    return true;
}

/// A left click at the centre of `c`, through the window's peer (as X would deliver it).
void click(App& app, juce::Component& c)
{
    app.clickAt(c);
}

/// The mouse wheel turned by `deltaY` (negative: towards the user, i.e. scroll down) with the
/// pointer over the centre of `c`, through the window's peer.
void wheel(App& app, juce::Component& c, float deltaY)
{
    auto* peer = app.main->getPeer();
    REQUIRE(peer != nullptr);
    const auto pos = app.main->getLocalPoint(&c, c.getLocalBounds().getCentre()).toFloat();
    const auto t = juce::Time::currentTimeMillis();
    peer->handleMouseEvent(juce::MouseInputSource::InputSourceType::mouse, pos, juce::ModifierKeys(),
                           juce::MouseInputSource::defaultPressure, juce::MouseInputSource::defaultOrientation, t);
    juce::MouseWheelDetails w{};
    w.deltaX = 0.0f;
    w.deltaY = deltaY;
    w.isReversed = false;
    w.isSmooth = false;
    w.isInertial = false;
    peer->handleMouseWheel(juce::MouseInputSource::InputSourceType::mouse, pos, t + 20, w);
    pump(20);
}

/// The `declare name "..."` of every Faust/*.dsp, read from the sources (not through Faust).
std::map<std::string, std::string> declaredNames()
{
    std::map<std::string, std::string> names; // class name (file stem) -> declared name
    const std::regex re(R"re(declare\s+name\s+"([^"]*)")re");
    for (const auto& f : juce::File(WB_FAUST_SOURCE_DIR).findChildFiles(juce::File::findFiles, false, "*.dsp"))
    {
        std::ifstream in(f.getFullPathName().toStdString());
        std::string line;
        while (std::getline(in, line))
        {
            std::smatch m;
            if (std::regex_search(line, m, re))
            {
                names[f.getFileNameWithoutExtension().toStdString()] = m[1];
                break;
            }
        }
    }
    return names;
}

/// Adds every built-in effect to the chain (the worst case for the list's height).
void addEveryEffect(App& app)
{
    for (const auto& e : wb::faust::catalogue())
        REQUIRE(app.main->chainPanel().addEffect(e.id) != 0);
    pump(50);
}
} // namespace

TEST_CASE("app layout: every control of every built-in effect is reachable at 1024x700 and 1440x900", "[gui][app]")
{
    App app;
    const auto [w, h] = GENERATE(std::pair{1024, 700}, std::pair{1440, 900});
    app.main->setSize(w, h);
    pump(50);
    addEveryEffect(app);
    auto& chain = app.main->chainPanel();
    REQUIRE(chain.numEffects() == int(wb::faust::catalogue().size()));
    int controlsChecked = 0;
    const auto slots = app.engine->chain().slotsFromUi(); // a copy: the ids and nodes
    for (const auto& slot : slots)
    {
        INFO(w << "x" << h << ", effect " << slot.effectId);
        // The row is reachable and a click on it selects the effect (its editor shows).
        auto* row = findById(chain, wb::app::ChainPanel::kRowIdPrefix + juce::String(slot.id));
        REQUIRE(row != nullptr);
        scrollIntoView(*row);
        juce::String why;
        INFO(why);
        REQUIRE(fullyVisible(*row, why));
        click(app, *row);
        const auto& d = slot.node->description();
        for (const auto& c : d.controls)
        {
            const juce::String id = (c.isOutput() ? wb::app::ChainPanel::kMeterIdPrefix : wb::app::ChainPanel::kParamIdPrefix)
                                  + juce::String(c.path);
            INFO("control " << id);
            auto* comp = findById(chain, id);
            REQUIRE(comp != nullptr);
            scrollIntoView(*comp);
            juce::String cut;
            const bool visible = fullyVisible(*comp, cut);
            INFO(cut);
            CHECK(visible);
            // Wide enough for fine moves: the slider (with its text box) spans the panel.
            CHECK(comp->getWidth() >= 280);
            ++controlsChecked;
        }
    }
    // The parametric EQ alone has 13 controls: all of them, for every effect, were checked.
    CHECK(controlsChecked >= 13 + int(slots.size()));
}

TEST_CASE("app layout: the wheel over an effect's slider scrolls the list, a focused slider takes it", "[gui][app]")
{
    App app;
    app.main->setSize(1024, 700);
    pump(50);
    auto& chain = app.main->chainPanel();
    const auto fx = chain.addEffect("parametriceq");
    REQUIRE(fx != 0);
    pump(50);
    auto* scroller = findById<juce::Viewport>(chain, wb::app::ChainPanel::kScrollerId);
    REQUIRE(scroller != nullptr);
    REQUIRE(scroller->getViewedComponent()->getHeight() > scroller->getHeight()); // it has to scroll
    const auto& d = app.engine->chain().slotsFromUi().front().node->description();
    // The first slider, and the column scrolled so the whole chain panel is in the window.
    juce::Slider* slider = nullptr;
    for (const auto& c : d.controls)
        if (!c.isOutput() && slider == nullptr)
            slider = findById<juce::Slider>(chain, wb::app::ChainPanel::kParamIdPrefix + juce::String(c.path));
    REQUIRE(slider != nullptr);
    scrollIntoView(*slider);
    juce::String why;
    INFO(why);
    REQUIRE(fullyVisible(*slider, why));
    const double before = slider->getValue();
    const int y0 = scroller->getViewPositionY();

    wheel(app, *slider, -0.5f); // scroll down
    CHECK(scroller->getViewPositionY() > y0);
    CHECK(slider->getValue() == before);

    // Focused (clicked or tabbed to): the wheel moves the value and the list stays.
    scrollIntoView(*slider);
    REQUIRE(fullyVisible(*slider, why));
    // X gives the window the focus asynchronously: ask until the slider has it.
    REQUIRE(pumpUntil([&] {
        if (!slider->hasKeyboardFocus(true))
            slider->grabKeyboardFocus();
        return slider->hasKeyboardFocus(true);
    }));
    const int y1 = scroller->getViewPositionY();
    wheel(app, *slider, 0.5f);
    CHECK(scroller->getViewPositionY() == y1);
    CHECK(slider->getValue() != before);

    // Arrow keys step by 1 % of the range (the control has no step of its own), shift by 0.1 %.
    if (slider->getInterval() == 0.0)
    {
        const double span = slider->getMaximum() - slider->getMinimum();
        slider->setValue(slider->getMinimum() + span / 2, juce::sendNotificationSync);
        const double mid = slider->getValue();
        REQUIRE(slider->keyPressed(juce::KeyPress(juce::KeyPress::rightKey)));
        CHECK(slider->getValue() == Approx(mid + span * 0.01));
        REQUIRE(slider->keyPressed(juce::KeyPress(juce::KeyPress::leftKey, juce::ModifierKeys::shiftModifier, 0)));
        CHECK(slider->getValue() == Approx(mid + span * 0.009));
    }
}

TEST_CASE("app layout: the Add list shows the effects' declared names, and adds the right effect", "[gui][app]")
{
    App app;
    auto& chain = app.main->chainPanel();
    auto* box = findById<juce::ComboBox>(chain, wb::app::ChainPanel::kAddBoxId);
    auto* add = findById<juce::Button>(chain, wb::app::ChainPanel::kAddButtonId);
    REQUIRE(box != nullptr);
    REQUIRE(add != nullptr);
    const auto names = declaredNames();
    REQUIRE(names.size() == wb::faust::catalogue().size());
    REQUIRE(box->getNumItems() == int(wb::faust::catalogue().size()));
    int i = 0;
    for (const auto& e : wb::faust::catalogue())
    {
        INFO(e.id);
        REQUIRE(names.count(e.className) == 1);
        CHECK(box->getItemText(i) == juce::String(names.at(e.className)));
        ++i;
    }
    // "Parametric EQ" in the list adds the parametriceq effect.
    int eq = -1;
    for (int k = 0; k < box->getNumItems(); ++k)
        if (box->getItemText(k) == "Parametric EQ")
            eq = k;
    REQUIRE(eq >= 0);
    box->setSelectedItemIndex(eq, juce::sendNotificationSync);
    add->triggerClick();
    REQUIRE(pumpUntil([&] { return chain.numEffects() == 1; }));
    CHECK(app.engine->chain().slotsFromUi().front().effectId == "parametriceq");
}

TEST_CASE("app layout: a bypassed row is dimmed, and drawn darker", "[gui][app]")
{
    App app;
    auto& chain = app.main->chainPanel();
    const auto a = chain.addEffect("gain");
    const auto b = chain.addEffect("lowpass");
    pump(50);
    auto* rowA = findById(chain, wb::app::ChainPanel::kRowIdPrefix + juce::String(a));
    auto* rowB = findById(chain, wb::app::ChainPanel::kRowIdPrefix + juce::String(b));
    auto* bypassA = findById<juce::Button>(chain, wb::app::ChainPanel::kBypassIdPrefix + juce::String(a));
    REQUIRE(rowA != nullptr);
    REQUIRE(rowB != nullptr);
    REQUIRE(bypassA != nullptr);
    CHECK(rowA->getAlpha() == 1.0f);
    // Row b is selected (added last): compare a with itself before and after, in the window's pixels.
    const auto brightness = [&](juce::Component& row) {
        const auto area = app.main->getLocalArea(&row, row.getLocalBounds());
        const auto img = app.main->createComponentSnapshot(area, true);
        double sum = 0.0;
        for (int y = 0; y < img.getHeight(); ++y)
            for (int x = 0; x < img.getWidth(); ++x)
                sum += double(img.getPixelAt(x, y).getBrightness());
        return sum / double(img.getWidth() * img.getHeight());
    };
    const double lit = brightness(*rowA);
    bypassA->triggerClick();
    REQUIRE(pumpUntil([&] { return app.engine->chain().slotsFromUi().front().bypassed; }));
    CHECK(rowA->getAlpha() == Approx(wb::app::ChainPanel::kBypassedAlpha).margin(1.0 / 255.0)); // stored in 8 bits
    CHECK(rowB->getAlpha() == 1.0f);
    const double dim = brightness(*rowA);
    INFO("mean brightness on " << lit << ", bypassed " << dim);
    CHECK(dim < lit * 0.9);
    // A relayout (e.g. a window resize) keeps it dimmed; back on: full opacity.
    app.main->setSize(1200, 800);
    pump(20);
    CHECK(rowA->getAlpha() == Approx(wb::app::ChainPanel::kBypassedAlpha).margin(1.0 / 255.0)); // stored in 8 bits
    bypassA->triggerClick();
    REQUIRE(pumpUntil([&] { return !app.engine->chain().slotsFromUi().front().bypassed; }));
    CHECK(rowA->getAlpha() == 1.0f);
}

TEST_CASE("app layout: Save Preset keeps a typed extension and adds .wbpreset only when none is given", "[gui][app]")
{
    using wb::app::MainComponent;
    const auto dir = juce::File::getSpecialLocation(juce::File::tempDirectory);
    CHECK(MainComponent::presetFileFor(dir.getChildFile("live")) == dir.getChildFile("live.wbpreset"));
    CHECK(MainComponent::presetFileFor(dir.getChildFile("live.xml")) == dir.getChildFile("live.xml"));
    CHECK(MainComponent::presetFileFor(dir.getChildFile("live.wbpreset")) == dir.getChildFile("live.wbpreset"));
    CHECK(MainComponent::presetFileFor(dir.getChildFile("take.2")) == dir.getChildFile("take.2"));
}

TEST_CASE("app layout: the full effect description is shown (wrapped, not cut) and as a tooltip", "[gui][app]")
{
    App app;
    app.main->setSize(1024, 700);
    auto& chain = app.main->chainPanel();
    for (const auto& e : wb::faust::catalogue())
    {
        chain.clearForTest();
        const auto fx = chain.addEffect(e.id);
        REQUIRE(fx != 0);
        pump(10);
        auto* desc = findById<juce::Label>(chain, wb::app::ChainPanel::kDescriptionId);
        REQUIRE(desc != nullptr);
        const auto& meta = app.engine->chain().slotsFromUi().front().node->description().meta;
        INFO(e.id);
        if (meta.count("description") == 0)
            continue;
        const juce::String full(meta.at("description"));
        CHECK(desc->getText().contains(full));
        CHECK(desc->getTooltip().contains(full));
        // Tall enough for the wrapped text: the lines a word-wrapped layout at this width needs.
        juce::AttributedString s;
        s.append(desc->getText(), desc->getFont());
        s.setWordWrap(juce::AttributedString::byWord);
        juce::TextLayout layout;
        layout.createLayout(s, float(desc->getWidth()));
        CHECK(desc->getHeight() >= int(std::ceil(layout.getHeight())));
    }
}

// [nosan]: the monitor's figures must fit, and under a sanitizer the process's memory (shadow
// memory included) reaches three digits of MB, a width this layout check does not allow for.
TEST_CASE("app layout: screenshots of each panel at 1024x700 and 1440x900", "[gui][app][nosan]")
{
    App app;
    auto& chain = app.main->chainPanel();
    chain.addEffect("parametriceq");
    chain.addEffect("compressor");
    const auto bypassed = chain.addEffect("reverb");
    findById<juce::Button>(chain, wb::app::ChainPanel::kBypassIdPrefix + juce::String(bypassed))->triggerClick();
    app.main->generatorPanel().toggleRunning();
    const juce::File out(WB_APP_SCREENSHOT_DIR);
    REQUIRE(out.createDirectory());
    for (const auto& [w, h] : {std::pair{1024, 700}, std::pair{1440, 900}})
    {
        app.main->setSize(w, h);
        // Both outputs overlaid at the small size (two traces and their legends), output 1 and
        // the peak hold at the default size.
        findById<juce::ComboBox>(*app.main, wb::app::ScopeView::kChannelBoxId)
            ->setSelectedId(int(w == 1024 ? wb::app::ChannelView::both : wb::app::ChannelView::channel1),
                            juce::sendNotificationSync);
        pump(1500); // scope frames, a spectrum, meters and a few monitor samples
        const juce::String size = juce::String(w) + "x" + juce::String(h);
        const auto save = [&](const juce::String& name, juce::Rectangle<int> area) {
            const auto img = app.main->createComponentSnapshot(area, true);
            const auto file = out.getChildFile(name + "_" + size + ".png");
            file.deleteFile();
            juce::FileOutputStream stream(file);
            REQUIRE(stream.openedOk());
            juce::PNGImageFormat png;
            REQUIRE(png.writeImageToStream(img, stream));
            // Drawn, not blank: more than a handful of distinct colours.
            std::set<juce::uint32> colours;
            for (int y = 0; y < img.getHeight(); y += 3)
                for (int x = 0; x < img.getWidth(); x += 3)
                    colours.insert(img.getPixelAt(x, y).getARGB());
            INFO(name << " " << size);
            CHECK(colours.size() > 12);
        };
        save("window", app.main->getLocalBounds());
        save("generator", app.main->getLocalArea(&app.main->generatorPanel(), app.main->generatorPanel().getLocalBounds()));
        save("chain", app.main->getLocalArea(&chain, chain.getLocalBounds()));
        // The left column scrolled to its end (at 1024x700 the chain panel is below the fold).
        auto* column = findById<juce::Viewport>(*app.main, wb::app::MainComponent::kColumnId);
        REQUIRE(column != nullptr);
        column->setViewPosition(0, column->getViewedComponent()->getHeight());
        pump(50);
        save("column_scrolled", column->getBoundsInParent());
        column->setViewPosition(0, 0);
        for (const char* id : {"scope", "spectrum", "meters", "monitor"})
            if (auto* p = findById(*app.main, juce::String("panel.") + id))
                save(id, app.main->getLocalArea(p, p->getLocalBounds()));
            else
                FAIL("no panel." << id);
        // The monitor's labels and figures fit at both sizes (shorter labels, full wording in
        // the tooltips): its last paint (the snapshot above) cut none of them.
        auto* monitor = dynamic_cast<wb::app::MonitorPanel*>(findById(*app.main, "panel.monitor"));
        REQUIRE(monitor != nullptr);
        INFO(size << ": cut " << monitor->clippedTexts().joinIntoString(" | "));
        CHECK(monitor->clippedTexts().isEmpty());
    }
}

TEST_CASE("app layout: every control outside the generator panel has a tooltip, and a tooltip window shows them",
          "[gui][app]")
{
    App app;
    auto& chain = app.main->chainPanel();
    for (const auto& e : wb::faust::catalogue())
        chain.addEffect(e.id); // the last one's editor is shown
    chain.addEffect("parametriceq");
    pump(50);
    int checked = 0;
    std::function<void(juce::Component&)> walk = [&](juce::Component& c) {
        if (&c == &app.main->generatorPanel()) // the generator panel is another change's
            return;
        const bool control = dynamic_cast<juce::Button*>(&c) != nullptr || dynamic_cast<juce::Slider*>(&c) != nullptr
                          || dynamic_cast<juce::ComboBox*>(&c) != nullptr;
        // Scroll bars, the menu bar and the controls JUCE builds inside a slider or a combo box
        // (their text boxes) are not ours to label.
        const bool inner = dynamic_cast<juce::Slider*>(c.getParentComponent()) != nullptr
                        || dynamic_cast<juce::ComboBox*>(c.getParentComponent()) != nullptr;
        if (control && !inner && dynamic_cast<juce::ScrollBar*>(&c) == nullptr)
        {
            auto* tip = dynamic_cast<juce::TooltipClient*>(&c);
            INFO(typeid(c).name() << " '" << c.getComponentID() << "' " << c.getName());
            REQUIRE(tip != nullptr);
            CHECK(tip->getTooltip().isNotEmpty());
            ++checked;
        }
        if (dynamic_cast<juce::MenuBarComponent*>(&c) == nullptr)
            for (auto* child : c.getChildren())
                walk(*child);
    };
    walk(*app.main);
    // The panels that draw their figures and traces themselves answer for what is under the mouse.
    for (juce::Component* panel : {static_cast<juce::Component*>(app.main->scopeView()),
                                   static_cast<juce::Component*>(app.main->spectrumView()),
                                   static_cast<juce::Component*>(app.main->levelMeters()),
                                   findById(*app.main, "panel.monitor")})
    {
        REQUIRE(panel != nullptr);
        auto* tip = dynamic_cast<juce::TooltipClient*>(panel);
        REQUIRE(tip != nullptr);
        CHECK(tip->getTooltip().isNotEmpty());
    }
    // Add, the catalogue box, every row's 4 buttons, the 13 EQ sliders, 2 channel boxes, span, latency.
    CHECK(checked >= 2 + 4 * int(wb::faust::catalogue().size()) + 13 + 4);
    bool hasTooltipWindow = false;
    for (auto* child : app.main->getChildren())
        hasTooltipWindow = hasTooltipWindow || dynamic_cast<juce::TooltipWindow*>(child) != nullptr;
    CHECK(hasTooltipWindow);
}

TEST_CASE("app: the chain panel keeps no values: its sliders show and write the chain model's", "[gui][app][chain]")
{
    App app(false);
    auto& chain = app.main->chainPanel();
    const auto lp = chain.addEffect("lowpass");
    const auto gain = chain.addEffect("gain"); // selected now: the lowpass's editor is gone
    REQUIRE(lp != 0);
    REQUIRE(gain != 0);
    const auto& node = *app.engine->chain().slotsFromUi()[0].node;
    const int cutoff = node.findControl("cutoff");
    REQUIRE(cutoff >= 0);
    const auto sliderId = wb::app::ChainPanel::kParamIdPrefix + juce::String(node.description().controls[size_t(cutoff)].path);
    REQUIRE(findById(chain, sliderId) == nullptr);
    // A change made through the model, not through the panel (as a loaded preset would).
    REQUIRE(app.engine->chain().setParameterFromUi(lp, cutoff, 750.0f));
    auto* row = findById(chain, wb::app::ChainPanel::kRowIdPrefix + juce::String(lp));
    REQUIRE(row != nullptr);
    click(app, *row);
    auto* slider = findById<juce::Slider>(chain, sliderId);
    REQUIRE(slider != nullptr);
    CHECK(slider->getValue() == Approx(750.0));
    // The slider writes the model, which the saved session reads.
    slider->setValue(1500.0, juce::sendNotificationSync);
    CHECK(app.engine->chain().slotsFromUi()[0].values[size_t(cutoff)] == Approx(1500.0f));
    bool saved = false;
    const auto session = app.main->saveSession();
    for (auto* p : session->getChildByName("Chain")->getChildElement(0)->getChildWithTagNameIterator("Param"))
        if (p->getStringAttribute("path").endsWith("cutoff"))
            saved = p->getDoubleAttribute("value") == Approx(1500.0);
    CHECK(saved);
}
