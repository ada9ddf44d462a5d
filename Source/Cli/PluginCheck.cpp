// The checks of `wavebench check`, in the child process (see PluginCheck.h).
#include "Cli/PluginCheck.h"

#include "Cli/ChildProcess.h"
#include "Cli/Cli.h"
#include "Core/Signals/Pcg32.h"
#include "Engine/PluginHost.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <dlfcn.h>
#include <functional>
#include <vector>

namespace wb::cli
{
namespace
{
using Signal = std::vector<std::vector<float>>; // [channel][sample]

/// The preloaded guard's C face (Tests/Support/RealtimeGuard.cpp), or nulls.
struct GuardApi
{
    void (*enter)() = nullptr;
    void (*leave)() = nullptr;
    void (*totals)(std::uint64_t*) = nullptr;

    GuardApi()
    {
        enter = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "wb_rtguard_enter"));
        leave = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "wb_rtguard_leave"));
        totals = reinterpret_cast<void (*)(std::uint64_t*)>(dlsym(RTLD_DEFAULT, "wb_rtguard_totals"));
    }
    [[nodiscard]] bool available() const noexcept { return enter != nullptr && leave != nullptr && totals != nullptr; }
};

/// What the guard counted over a step's process calls.
struct RealtimeTally
{
    std::uint64_t calls = 0, callsWithViolations = 0;
    std::uint64_t allocations = 0, frees = 0, locks = 0, sleeps = 0;
    std::uint64_t worstCall = 0; ///< the most violations in one call

    [[nodiscard]] std::uint64_t total() const noexcept { return allocations + frees + locks + sleeps; }
};

class Checker
{
public:
    Checker(PluginHost& host, juce::PluginDescription description, const CheckPlan& plan)
        : host_(host), description_(std::move(description)), plan_(plan), rng_(plan.seed)
    {
    }

    /// One instance, prepared; nullptr (and the reason in `error`) when it could not be made.
    std::unique_ptr<juce::AudioPluginInstance> make(double rate, int maxBlock, std::string& error)
    {
        auto instance = host_.instantiate(description_, rate, maxBlock, error);
        if (instance != nullptr)
            instance->prepareToPlay(rate, maxBlock);
        return instance;
    }

    int channels(const juce::AudioPluginInstance& p) const
    {
        return std::max(1, std::max(p.getTotalNumInputChannels(), p.getTotalNumOutputChannels()));
    }

    Signal noise(int chans, int samples, double level)
    {
        Signal s(static_cast<size_t>(chans), std::vector<float>(static_cast<size_t>(samples)));
        for (auto& ch : s)
            for (auto& x : ch)
                x = static_cast<float>(level * rng_.nextBipolar());
        return s;
    }

    /// Runs `input` through `p` in blocks whose sizes `nextBlock()` gives (each <= maxBlock),
    /// counting each processBlock call with the guard. Returns the output (as many channels as
    /// the input; channels the plugin does not write stay as the host left them, like a DAW).
    Signal run(juce::AudioPluginInstance& p, const Signal& input, int maxBlock, const std::function<int()>& nextBlock,
               RealtimeTally& tally)
    {
        const int chans = static_cast<int>(input.size());
        const int total = static_cast<int>(input.front().size());
        Signal out(input.size(), std::vector<float>(static_cast<size_t>(total)));
        juce::AudioBuffer<float> buffer(chans, maxBlock);
        juce::MidiBuffer midi;
        midi.ensureSize(1024);
        for (int pos = 0; pos < total;)
        {
            const int n = std::min({nextBlock(), maxBlock, total - pos});
            buffer.setSize(chans, n, false, false, true); // no reallocation: n <= maxBlock
            for (int c = 0; c < chans; ++c)
                std::copy_n(input[static_cast<size_t>(c)].data() + pos, n, buffer.getWritePointer(c));
            midi.clear();
            std::uint64_t before[4] = {}, after[4] = {};
            if (guard_.available())
            {
                guard_.totals(before);
                guard_.enter();
            }
            p.processBlock(buffer, midi);
            if (guard_.available())
            {
                guard_.leave();
                guard_.totals(after);
                const std::uint64_t d[4] = {after[0] - before[0], after[1] - before[1], after[2] - before[2],
                                            after[3] - before[3]};
                tally.allocations += d[0];
                tally.frees += d[1];
                tally.locks += d[2];
                tally.sleeps += d[3];
                const auto sum = d[0] + d[1] + d[2] + d[3];
                tally.callsWithViolations += sum > 0 ? 1 : 0;
                tally.worstCall = std::max(tally.worstCall, sum);
            }
            ++tally.calls;
            for (int c = 0; c < chans; ++c)
                std::copy_n(buffer.getReadPointer(c), n, out[static_cast<size_t>(c)].data() + pos);
            pos += n;
        }
        return out;
    }

    std::function<int()> fixedBlocks(int n) const
    {
        return [n] { return n; };
    }
    std::function<int()> randomBlocks(int maxBlock)
    {
        return [this, maxBlock] { return 1 + static_cast<int>(rng_.next() % static_cast<std::uint32_t>(maxBlock)); };
    }

    /// Sets every parameter to a seeded random value (normalised 0..1).
    void randomParameters(juce::AudioPluginInstance& p)
    {
        for (auto* param : p.getParameters())
            param->setValue(static_cast<float>(rng_.next() % 1000001u) / 1.0e6f);
    }

    PluginHost& host_;
    juce::PluginDescription description_;
    CheckPlan plan_;
    signals::Pcg32 rng_;
    GuardApi guard_;
};

// ---- verdict helpers -------------------------------------------------------------------------

struct Finite
{
    bool ok = true;
    size_t channel = 0, sample = 0;
    float value = 0.0f;
};

Finite findNonFinite(const Signal& s, size_t from = 0, size_t to = SIZE_MAX)
{
    for (size_t c = 0; c < s.size(); ++c)
        for (size_t i = from; i < std::min(to, s[c].size()); ++i)
            if (!std::isfinite(s[c][i]))
                return {false, c, i, s[c][i]};
    return {};
}

float peakOf(const Signal& s, size_t from, size_t to)
{
    float peak = 0.0f;
    for (const auto& ch : s)
        for (size_t i = from; i < std::min(to, ch.size()); ++i)
            peak = std::max(peak, std::abs(ch[i]));
    return peak;
}

/// The largest |a - b| (infinite when either holds a non-finite sample).
double maxDifference(const Signal& a, const Signal& b)
{
    double worst = 0.0;
    for (size_t c = 0; c < std::min(a.size(), b.size()); ++c)
        for (size_t i = 0; i < std::min(a[c].size(), b[c].size()); ++i)
        {
            const double d = std::abs(static_cast<double>(a[c][i]) - static_cast<double>(b[c][i]));
            if (!std::isfinite(d))
                return INFINITY;
            worst = std::max(worst, d);
        }
    return worst;
}

std::string dbfs(double linear)
{
    return linear <= 0.0 ? std::string("-inf dBFS") : fmt::format("{:.1f} dBFS", 20.0 * std::log10(linear));
}

nlohmann::json tallyJson(const RealtimeTally& t, bool measured)
{
    return {{"measured", measured},         {"calls", t.calls},     {"calls_with_violations", t.callsWithViolations},
            {"allocations", t.allocations}, {"frees", t.frees},     {"locks", t.locks},
            {"sleeps", t.sleeps},           {"worst_call", t.worstCall}};
}

/// A step's verdict line. A real-time violation fails the step and says so.
nlohmann::json verdict(const std::string& name, std::vector<std::string> problems, const RealtimeTally& t,
                       bool measured, const std::string& note = {})
{
    if (measured && t.total() > 0)
        problems.push_back(fmt::format("the plugin's process is not real-time safe: {} allocation(s), {} free(s), "
                                       "{} lock(s), {} sleep(s) in {} of {} calls (worst call: {})",
                                       t.allocations, t.frees, t.locks, t.sleeps, t.callsWithViolations, t.calls,
                                       t.worstCall));
    std::string detail;
    for (const auto& p : problems)
        detail += (detail.empty() ? "" : "; ") + p;
    if (detail.empty())
        detail = note;
    return {{"name", name}, {"passed", problems.empty()}, {"detail", detail}, {"realtime", tallyJson(t, measured)}};
}

std::vector<double> ratesFor(int strictness)
{
    if (strictness <= 2)
        return {48000.0};
    if (strictness <= 4)
        return {44100.0, 48000.0};
    return {44100.0, 48000.0, 96000.0};
}

std::vector<int> blocksFor(int strictness)
{
    if (strictness <= 2)
        return {64, 512};
    if (strictness <= 4)
        return {1, 64, 512, 4096};
    return {1, 16, 64, 512, 4096};
}

int randomRunsFor(int strictness)
{
    return strictness <= 2 ? 0 : strictness <= 7 ? 1 : 3;
}
} // namespace

int runPluginCheckChild(const std::string& pluginRef, const CheckPlan& plan)
{
    const juce::ScopedJuceInitialiser_GUI juceInit;
    const juce::ScopedNoDenormals noDenormals; // as every audio path of ours (the host's flush scope)
    std::string error;
    const auto ref = parsePluginRef(pluginRef, error);
    if (!ref)
    {
        writeReportLine("load-failed " + nlohmann::json(error).dump());
        return kUntrustworthy;
    }
    PluginHost host;
    const auto description = host.describe(*ref, error);
    if (!description)
    {
        writeReportLine("load-failed " + nlohmann::json(error).dump());
        return kUntrustworthy;
    }
    Checker checker(host, *description, plan);
    {
        writeReportLine("step " + nlohmann::json("load").dump());
        auto probe = checker.make(48000.0, 512, error);
        if (probe == nullptr)
        {
            writeReportLine("load-failed " + nlohmann::json(error).dump());
            return kUntrustworthy;
        }
        writeReportLine("loaded " + nlohmann::json{{"format", ref->format},
                                                   {"id", ref->spelled()},
                                                   {"name", description->name.toStdString()},
                                                   {"vendor", description->manufacturerName.toStdString()},
                                                   {"inputs", probe->getTotalNumInputChannels()},
                                                   {"outputs", probe->getTotalNumOutputChannels()},
                                                   {"parameters", probe->getParameters().size()},
                                                   {"latency_samples", probe->getLatencySamples()},
                                                   {"tail_seconds", probe->getTailLengthSeconds()},
                                                   {"realtime_measured", checker.guard_.available()}}
                                        .dump());
    }
    const bool measured = checker.guard_.available();
    bool allPassed = true;
    auto report = [&](nlohmann::json v, double rate, int block)
    {
        v["rate"] = rate;
        v["block"] = block;
        allPassed = allPassed && v.value("passed", false);
        writeReportLine("result " + v.dump());
    };
    auto fail = [&](const std::string& name, const std::string& why, double rate, int block)
    { report(verdict(name, {why}, {}, measured), rate, block); };

    // 1. Every rate x block size (and random sizes): finite output, silence after the tail,
    //    denormal-prone input, real-time counts.
    for (const double rate : ratesFor(plan.strictness))
    {
        std::vector<int> blocks = blocksFor(plan.strictness);
        for (int r = 0; r < randomRunsFor(plan.strictness); ++r)
            blocks.push_back(-1); // random sizes 1..4096
        for (const int block : blocks)
        {
            const std::string name = fmt::format("process {} Hz, block {}", rate, block < 0 ? "random" : std::to_string(block));
            writeReportLine("step " + nlohmann::json(name).dump());
            const int maxBlock = block < 0 ? 4096 : block;
            auto p = checker.make(rate, maxBlock, error);
            if (p == nullptr)
            {
                fail(name, "could not instantiate: " + error, rate, block);
                continue;
            }
            const int chans = checker.channels(*p);
            const int signalLength = static_cast<int>(0.5 * rate);
            const double tail = std::clamp(p->getTailLengthSeconds(), 0.0, 10.0);
            const int silenceLength = static_cast<int>((tail + 0.5) * rate);
            const int denormalLength = static_cast<int>(0.1 * rate);
            Signal input = checker.noise(chans, signalLength + silenceLength + denormalLength, 0.25);
            for (auto& ch : input)
            {
                std::fill(ch.begin() + signalLength, ch.begin() + signalLength + silenceLength, 0.0f);
                // Denormal-prone: a decaying signal that crosses into subnormal floats (below
                // 1.2e-38) after ~1400 samples and decays through them to zero.
                float x = 1.0e-35f;
                for (int i = signalLength + silenceLength; i < static_cast<int>(ch.size()); ++i, x *= 0.995f)
                    ch[static_cast<size_t>(i)] = (i % 2 == 0 ? x : -x);
            }
            RealtimeTally tally;
            const auto out = checker.run(*p, input, maxBlock, block < 0 ? checker.randomBlocks(maxBlock) : checker.fixedBlocks(block), tally);
            std::vector<std::string> problems;
            if (const auto nf = findNonFinite(out); !nf.ok)
                problems.push_back(fmt::format("output not finite: {} at channel {}, sample {}", nf.value, nf.channel, nf.sample));
            const size_t silentFrom = static_cast<size_t>(signalLength + silenceLength) - static_cast<size_t>(0.1 * rate);
            const float tailPeak = peakOf(out, silentFrom, static_cast<size_t>(signalLength + silenceLength));
            if (!(tailPeak <= 1.0e-5f) && findNonFinite(out).ok)
                problems.push_back(fmt::format("silence in did not give silence out {:.2f} s after the input stopped "
                                               "(reported tail {:.2f} s): {}", tail + 0.4, tail, dbfs(tailPeak)));
            report(verdict(name, problems, tally, measured), rate, block);
        }
    }

    constexpr double kRate = 48000.0;
    constexpr int kBlock = 512;
    const auto compare = [&](const std::string& name, const Signal& a, const Signal& b, double tolerance,
                             const std::string& what, const RealtimeTally& t, bool judged = true)
    {
        const double d = maxDifference(a, b);
        std::vector<std::string> problems;
        if (!judged && std::isfinite(d))
        {
            report(verdict(name, problems, t, measured,
                           fmt::format("largest difference {} (judged against {} from strictness 6)", dbfs(d), dbfs(tolerance))),
                   kRate, kBlock);
            return;
        }
        if (!(d <= tolerance))
            problems.push_back(fmt::format("{}: outputs differ by up to {} (tolerance {})", what,
                                           std::isfinite(d) ? dbfs(d) : std::string("a non-finite sample"), dbfs(tolerance)));
        report(verdict(name, problems, t, measured, fmt::format("largest difference {}", dbfs(d))), kRate, kBlock);
    };

    // 2. Extreme and seeded random parameter values: the output stays finite.
    {
        const std::string name = "parameters: extremes and seeded random values";
        writeReportLine("step " + nlohmann::json(name).dump());
        if (auto p = checker.make(kRate, kBlock, error))
        {
            RealtimeTally tally;
            std::vector<std::string> problems;
            const int sets = 2 + 2 * plan.strictness;
            for (int s = 0; s < sets && problems.empty(); ++s)
            {
                std::string setting;
                if (s < 2)
                {
                    for (auto* param : p->getParameters())
                        param->setValue(static_cast<float>(s));
                    setting = s == 0 ? "every parameter at its minimum" : "every parameter at its maximum";
                }
                else
                {
                    checker.randomParameters(*p);
                    setting = fmt::format("random set {} (seed {})", s - 1, plan.seed);
                }
                const auto out = checker.run(*p, checker.noise(checker.channels(*p), static_cast<int>(0.1 * kRate), 0.5),
                                             kBlock, checker.fixedBlocks(kBlock), tally);
                if (const auto nf = findNonFinite(out); !nf.ok)
                    problems.push_back(fmt::format("output not finite with {}: {} at channel {}, sample {}", setting,
                                                   nf.value, nf.channel, nf.sample));
            }
            report(verdict(name, problems, tally, measured, fmt::format("{} settings", sets)), kRate, kBlock);
        }
        else
            fail(name, "could not instantiate: " + error, kRate, kBlock);
    }

    // 3. State: save from an instance with random parameters, load into a fresh one: the same
    //    input gives the same output.
    {
        const std::string name = "state save -> load gives identical output";
        writeReportLine("step " + nlohmann::json(name).dump());
        auto a = checker.make(kRate, kBlock, error);
        auto b = a != nullptr ? checker.make(kRate, kBlock, error) : nullptr;
        if (b != nullptr)
        {
            // A block of silence after the change on both sides: a host writes parameter values
            // to an LV2 plugin's ports in process, and the state is read from the ports.
            const int chans = checker.channels(*a);
            const Signal silentBlock(static_cast<size_t>(chans), std::vector<float>(kBlock, 0.0f));
            RealtimeTally tally;
            checker.randomParameters(*a);
            (void)checker.run(*a, silentBlock, kBlock, checker.fixedBlocks(kBlock), tally);
            juce::MemoryBlock state;
            a->getStateInformation(state);
            b->setStateInformation(state.getData(), static_cast<int>(state.getSize()));
            (void)checker.run(*b, silentBlock, kBlock, checker.fixedBlocks(kBlock), tally);
            const auto input = checker.noise(chans, static_cast<int>(0.3 * kRate), 0.25);
            const auto outA = checker.run(*a, input, kBlock, checker.fixedBlocks(kBlock), tally);
            const auto outB = checker.run(*b, input, kBlock, checker.fixedBlocks(kBlock), tally);
            compare(name, outA, outB, 1.0e-6, fmt::format("after loading a state of {} bytes", state.getSize()), tally);
        }
        else
            fail(name, "could not instantiate: " + error, kRate, kBlock);
    }

    // 4. A reset gives what a fresh instance gives. VST3: reset(). LV2 has no reset but
    //    deactivate / activate, and JUCE 7.0.5's LV2 instance leaves reset() empty: the host's
    //    reset is releaseResources() (deactivate) then prepareToPlay() (JUCE instantiates again
    //    and restores the state, as REAPER does).
    {
        const std::string name = "reset gives the output of a fresh instance";
        writeReportLine("step " + nlohmann::json(name).dump());
        auto a = checker.make(kRate, kBlock, error);
        auto b = a != nullptr ? checker.make(kRate, kBlock, error) : nullptr;
        if (b != nullptr)
        {
            const int chans = checker.channels(*a);
            RealtimeTally tally;
            (void)checker.run(*a, checker.noise(chans, static_cast<int>(0.3 * kRate), 0.25), kBlock,
                              checker.fixedBlocks(kBlock), tally);
            if (description->pluginFormatName == "LV2")
            {
                a->releaseResources();
                a->prepareToPlay(kRate, kBlock);
            }
            else
                a->reset();
            const auto input = checker.noise(chans, static_cast<int>(0.3 * kRate), 0.25);
            const auto outA = checker.run(*a, input, kBlock, checker.fixedBlocks(kBlock), tally);
            const auto outB = checker.run(*b, input, kBlock, checker.fixedBlocks(kBlock), tally);
            compare(name, outA, outB, 1.0e-6, "after reset()", tally);
        }
        else
            fail(name, "could not instantiate: " + error, kRate, kBlock);
    }

    // 5. Block-size invariance: 512-sample blocks against seeded random sizes 1..512.
    {
        const std::string name = "block-size invariance (512 vs random 1..512)";
        writeReportLine("step " + nlohmann::json(name).dump());
        auto a = checker.make(kRate, kBlock, error);
        auto b = a != nullptr ? checker.make(kRate, kBlock, error) : nullptr;
        if (b != nullptr)
        {
            const auto input = checker.noise(checker.channels(*a), static_cast<int>(0.5 * kRate), 0.25);
            RealtimeTally tally;
            auto outA = checker.run(*a, input, kBlock, checker.fixedBlocks(kBlock), tally);
            auto outB = checker.run(*b, input, kBlock, checker.randomBlocks(kBlock), tally);
            // From 0.1 s on: many LV2 plugins (x42's among them) glide from their initial
            // settings once per run call, so the first milliseconds depend on the block size.
            for (auto* out : {&outA, &outB})
                for (auto& ch : *out)
                    ch.erase(ch.begin(), ch.begin() + static_cast<long>(0.1 * kRate));
            // Judged from strictness 6: x42's EQ, well-behaved otherwise, differs by -60 to -65 dBFS
            // (its settings glide once per call); pluginval has no such test at all.
            compare(name, outA, outB, 1.0e-5, "split into random blocks (compared from 0.1 s on)", tally,
                    plan.strictness >= 6);
        }
        else
            fail(name, "could not instantiate: " + error, kRate, kBlock);
    }

    // 6. Latency: reported against measured. An impulse after 0.1 s of silence; the measured
    //    latency is where the output's largest sample lands. It is a verdict only when that
    //    sample holds most of the response's energy (a delay-like response); otherwise noted.
    {
        const std::string name = "latency: reported vs measured with an impulse";
        writeReportLine("step " + nlohmann::json(name).dump());
        if (auto p = checker.make(kRate, kBlock, error))
        {
            const int chans = checker.channels(*p);
            const int at = static_cast<int>(0.1 * kRate);
            Signal input(static_cast<size_t>(chans), std::vector<float>(static_cast<size_t>(kRate), 0.0f));
            for (auto& ch : input)
                ch[static_cast<size_t>(at)] = 0.5f;
            RealtimeTally tally;
            const auto out = checker.run(*p, input, kBlock, checker.fixedBlocks(kBlock), tally);
            const int reported = p->getLatencySamples();
            size_t peakIndex = 0;
            double peak = 0.0, energy = 0.0;
            for (size_t i = 0; i < out.front().size(); ++i)
            {
                const double x = std::abs(static_cast<double>(out.front()[i]));
                energy += x * x;
                if (x > peak)
                {
                    peak = x;
                    peakIndex = i;
                }
            }
            const long measuredLatency = static_cast<long>(peakIndex) - at;
            std::vector<std::string> problems;
            std::string note;
            const bool delayLike = std::isfinite(energy) && energy > 0.0 && peak * peak >= 0.5 * energy && peak > 1.0e-3;
            if (const auto nf = findNonFinite(out); !nf.ok)
                problems.push_back(fmt::format("output not finite: {} at channel {}, sample {}", nf.value, nf.channel, nf.sample));
            else if (delayLike && std::labs(measuredLatency - reported) > 1)
                problems.push_back(fmt::format("reports {} samples of latency, the impulse comes out {} samples late",
                                               reported, measuredLatency));
            else if (delayLike)
                note = fmt::format("reported {} samples, measured {}", reported, measuredLatency);
            else
                note = fmt::format("reported {} samples; not measured (the impulse response is not delay-like: its "
                                   "largest sample holds {:.0f} % of its energy)",
                                   reported, energy > 0.0 && std::isfinite(energy) ? 100.0 * peak * peak / energy : 0.0);
            auto v = verdict(name, problems, tally, measured, note);
            v["latency_reported"] = reported;
            if (delayLike)
                v["latency_measured"] = measuredLatency;
            report(v, kRate, kBlock);
        }
        else
            fail(name, "could not instantiate: " + error, kRate, kBlock);
    }
    writeReportLine("done");
    return allPassed ? kOk : kFailure;
}
} // namespace wb::cli
