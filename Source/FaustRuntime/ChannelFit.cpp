#include "FaustRuntime/ChannelFit.h"

#include <algorithm>
#include <array>
#include <vector>

namespace wb::faustrt
{
std::optional<std::string> stereoFitProblem(int inputs, int outputs)
{
    if ((inputs == 1 || inputs == 2) && (outputs == 1 || outputs == 2))
        return std::nullopt;
    std::string what = std::to_string(inputs) + " input" + (inputs == 1 ? "" : "s") + " and " + std::to_string(outputs)
                       + " output" + (outputs == 1 ? "" : "s");
    if (inputs == 0)
        return "it has " + what + ": a program without inputs is a signal source (use it with "
               "`render --source`), not an effect";
    return "it has " + what + "; an effect in the chain takes 1 or 2 inputs and gives 1 or 2 outputs "
           "(the chain runs in stereo pairs)";
}

namespace
{
/// Every zone of a ::dsp, inputs and bargraphs, in buildUserInterface order.
struct ZoneList final : public UI
{
    std::vector<FAUSTFLOAT*> inputs;

    void openTabBox(const char*) override {}
    void openHorizontalBox(const char*) override {}
    void openVerticalBox(const char*) override {}
    void closeBox() override {}
    void addButton(const char*, FAUSTFLOAT* z) override { inputs.push_back(z); }
    void addCheckButton(const char*, FAUSTFLOAT* z) override { inputs.push_back(z); }
    void addVerticalSlider(const char*, FAUSTFLOAT* z, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) override
    {
        inputs.push_back(z);
    }
    void addHorizontalSlider(const char*, FAUSTFLOAT* z, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) override
    {
        inputs.push_back(z);
    }
    void addNumEntry(const char*, FAUSTFLOAT* z, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) override
    {
        inputs.push_back(z);
    }
    void addHorizontalBargraph(const char*, FAUSTFLOAT*, FAUSTFLOAT, FAUSTFLOAT) override {}
    void addVerticalBargraph(const char*, FAUSTFLOAT*, FAUSTFLOAT, FAUSTFLOAT) override {}
    void addSoundfile(const char*, const char*, Soundfile**) override {}
};

/// A 2-in/2-out ::dsp around a 1/1 (two instances), 1/2 or 2/1 module. compute() never
/// allocates: the 1-in/2-out mixdown goes through a fixed buffer, in chunks.
class StereoFit final : public ::dsp
{
public:
    StereoFit(std::unique_ptr<::dsp> a, std::unique_ptr<::dsp> b) : first(std::move(a)), second(std::move(b))
    {
        ins = first->getNumInputs();
        outs = first->getNumOutputs();
    }

    int getNumInputs() override { return 2; }
    int getNumOutputs() override { return 2; }
    // The host sees (and drives) the first instance's controls and meters only.
    void buildUserInterface(UI* ui) override
    {
        first->buildUserInterface(ui);
        if (second != nullptr)
        {
            ZoneList a, b;
            first->buildUserInterface(&a);
            second->buildUserInterface(&b);
            leader = std::move(a.inputs);
            follower = std::move(b.inputs);
        }
    }
    int getSampleRate() override { return first->getSampleRate(); }
    void init(int rate) override { each([rate](::dsp& d) { d.init(rate); }); }
    void instanceInit(int rate) override { each([rate](::dsp& d) { d.instanceInit(rate); }); }
    void instanceConstants(int rate) override { each([rate](::dsp& d) { d.instanceConstants(rate); }); }
    void instanceResetUserInterface() override { each([](::dsp& d) { d.instanceResetUserInterface(); }); }
    void instanceClear() override { each([](::dsp& d) { d.instanceClear(); }); }
    ::dsp* clone() override
    {
        return new StereoFit(std::unique_ptr<::dsp>(first->clone()),
                             second != nullptr ? std::unique_ptr<::dsp>(second->clone()) : nullptr);
    }
    void metadata(Meta* m) override { first->metadata(m); }
    void compute(int count, FAUSTFLOAT** in, FAUSTFLOAT** out) override
    {
        if (second != nullptr) // dual mono: the second instance follows the first's controls
        {
            for (std::size_t i = 0; i < leader.size() && i < follower.size(); ++i)
                *follower[i] = *leader[i];
            FAUSTFLOAT* l[1] = {in[0]};
            FAUSTFLOAT* lo[1] = {out[0]};
            FAUSTFLOAT* r[1] = {in[1]};
            FAUSTFLOAT* ro[1] = {out[1]};
            first->compute(count, l, lo);
            second->compute(count, r, ro);
            return;
        }
        if (ins == 2) // 2 in / 1 out: the one output on both channels
        {
            FAUSTFLOAT* o[1] = {out[0]};
            first->compute(count, in, o);
            std::copy_n(out[0], count, out[1]);
            return;
        }
        // 1 in / 2 out: the mean of the pair as the input
        for (int done = 0; done < count;)
        {
            const int n = std::min(count - done, static_cast<int>(mono.size()));
            for (int i = 0; i < n; ++i)
                mono[static_cast<std::size_t>(i)] = 0.5f * (in[0][done + i] + in[1][done + i]);
            FAUSTFLOAT* m[1] = {mono.data()};
            FAUSTFLOAT* o[2] = {out[0] + done, out[1] + done};
            first->compute(n, m, o);
            done += n;
        }
    }
    void compute(double, int count, FAUSTFLOAT** in, FAUSTFLOAT** out) override { compute(count, in, out); }

private:
    template <typename F> void each(F f)
    {
        f(*first);
        if (second != nullptr)
            f(*second);
    }
    std::unique_ptr<::dsp> first, second;
    int ins = 0, outs = 0;
    std::vector<FAUSTFLOAT*> leader, follower;
    std::array<FAUSTFLOAT, 256> mono{};
};
} // namespace

std::unique_ptr<::dsp> fitToStereo(std::unique_ptr<::dsp> first, const std::function<std::unique_ptr<::dsp>()>& make)
{
    const int ins = first->getNumInputs(), outs = first->getNumOutputs();
    if (stereoFitProblem(ins, outs))
        return nullptr;
    if (ins == 2 && outs == 2)
        return first;
    auto second = ins == 1 && outs == 1 ? make() : nullptr;
    auto fitted = std::make_unique<StereoFit>(std::move(first), std::move(second));
    if (ins == 1 && outs == 1)
    {
        ZoneList probe; // collect the zones now, on this (message) thread, so compute never does
        fitted->buildUserInterface(&probe);
    }
    return fitted;
}
} // namespace wb::faustrt
