#include "Engine/FaustParameters.h"

namespace wb
{
namespace
{
class Collector final : public ::UI, public ::Meta
{
public:
    explicit Collector(FaustDescription& d) : desc(d) {}

    // Meta
    void declare(const char* key, const char* value) override { desc.meta[key] = value; }

    // UI: groups
    void openTabBox(const char* label) override { groups.emplace_back(label); }
    void openHorizontalBox(const char* label) override { groups.emplace_back(label); }
    void openVerticalBox(const char* label) override { groups.emplace_back(label); }
    void closeBox() override
    {
        if (!groups.empty())
            groups.pop_back();
    }

    // UI: active controls
    void addButton(const char* l, FAUSTFLOAT* z) override { add(FaustControl::Kind::button, l, z, 0, 0, 1, 1); }
    void addCheckButton(const char* l, FAUSTFLOAT* z) override { add(FaustControl::Kind::checkbox, l, z, 0, 0, 1, 1); }
    void addVerticalSlider(const char* l, FAUSTFLOAT* z, FAUSTFLOAT i, FAUSTFLOAT mn, FAUSTFLOAT mx, FAUSTFLOAT s) override
    {
        add(FaustControl::Kind::slider, l, z, i, mn, mx, s);
    }
    void addHorizontalSlider(const char* l, FAUSTFLOAT* z, FAUSTFLOAT i, FAUSTFLOAT mn, FAUSTFLOAT mx, FAUSTFLOAT s) override
    {
        add(FaustControl::Kind::slider, l, z, i, mn, mx, s);
    }
    void addNumEntry(const char* l, FAUSTFLOAT* z, FAUSTFLOAT i, FAUSTFLOAT mn, FAUSTFLOAT mx, FAUSTFLOAT s) override
    {
        add(FaustControl::Kind::entry, l, z, i, mn, mx, s);
    }
    // UI: passive controls
    void addHorizontalBargraph(const char* l, FAUSTFLOAT* z, FAUSTFLOAT mn, FAUSTFLOAT mx) override
    {
        add(FaustControl::Kind::bargraph, l, z, mn, mn, mx, 0);
    }
    void addVerticalBargraph(const char* l, FAUSTFLOAT* z, FAUSTFLOAT mn, FAUSTFLOAT mx) override
    {
        add(FaustControl::Kind::bargraph, l, z, mn, mn, mx, 0);
    }
    void addSoundfile(const char*, const char*, Soundfile**) override {}

    // UI metadata arrives before the control it describes.
    void declare(FAUSTFLOAT* zone, const char* key, const char* value) override
    {
        if (zone != nullptr)
            pending[zone][key] = value;
    }

private:
    void add(FaustControl::Kind kind, const char* label, FAUSTFLOAT* zone, FAUSTFLOAT init,
             FAUSTFLOAT mn, FAUSTFLOAT mx, FAUSTFLOAT step)
    {
        FaustControl c;
        c.kind = kind;
        c.label = label;
        for (const auto& g : groups)
            if (!g.empty() && g != "0x00")
                c.path += g + "/";
        c.path += label;
        c.zone = zone;
        c.init = init;
        c.min = mn;
        c.max = mx;
        c.step = step;
        c.scale = "lin";
        if (auto it = pending.find(zone); it != pending.end())
        {
            auto& m = it->second;
            if (m.count("unit")) c.unit = m["unit"];
            if (m.count("tooltip")) c.tooltip = m["tooltip"];
            if (m.count("scale")) c.scale = m["scale"];
        }
        desc.controls.push_back(std::move(c));
    }

    FaustDescription& desc;
    std::vector<std::string> groups;
    std::map<FAUSTFLOAT*, std::map<std::string, std::string>> pending;
};
} // namespace

FaustDescription describeFaustDsp(::dsp& dsp)
{
    FaustDescription d;
    Collector c(d);
    dsp.metadata(&c);
    dsp.buildUserInterface(&c);
    return d;
}

ParamSpec paramSpecOf(const FaustControl& control)
{
    ParamSpec s;
    s.path = control.path;
    s.label = control.label;
    s.unit = control.unit;
    s.tooltip = control.tooltip;
    s.min = static_cast<double>(control.min);
    s.max = static_cast<double>(control.max);
    s.defaultValue = static_cast<double>(control.init);
    s.step = static_cast<double>(control.step);
    s.scale = control.scale == "log" ? ParamScale::log : ParamScale::linear;
    s.isOutput = control.isOutput();
    return s;
}

std::vector<ParamSpec> paramSpecsOf(const FaustDescription& description)
{
    std::vector<ParamSpec> specs;
    specs.reserve(description.controls.size());
    for (const auto& c : description.controls)
        specs.push_back(paramSpecOf(c));
    return specs;
}
} // namespace wb
