#include "Core/Analysis/Loudness.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wb
{
namespace
{
/// BS.1770's absolute gate: a short-term block below it does not count towards the range.
constexpr double kAbsoluteGateLufs = -70.0;
constexpr int kMomentarySteps = 4;  // 400 ms
constexpr int kShortTermSteps = 30; // 3 s

std::optional<double> finiteOrNone(double v)
{
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::optional<double> peakDb(double linear)
{
    return linear > 0.0 ? std::optional<double>(20.0 * std::log10(linear)) : std::nullopt;
}

std::optional<double> maxOf(std::optional<double> a, std::optional<double> b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return std::max(*a, *b);
}

/// A libebur128 state with every figure this wrapper reads, and the channel map set in full
/// rather than left to the library's defaults (which weight channels 3, 4 and 7+ in ways
/// BS.1770 does not define for those counts). nullptr when out of memory.
ebur128_state* openState(int numChannels, unsigned long rate, bool truePeak)
{
    const int mode = EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK |
                     (truePeak ? EBUR128_MODE_TRUE_PEAK : 0);
    ebur128_state* st = ebur128_init(static_cast<unsigned>(numChannels), rate, mode);
    if (st == nullptr)
        return nullptr;
    static constexpr int k50[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_LEFT_SURROUND,
                                  EBUR128_RIGHT_SURROUND};
    static constexpr int k51[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_UNUSED,
                                  EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND};
    for (int ch = 0; ch < numChannels; ++ch)
    {
        int role = EBUR128_UNUSED;
        if (numChannels <= 2)
            role = ch == 0 ? EBUR128_LEFT : EBUR128_RIGHT;
        else if (numChannels == 5)
            role = k50[ch];
        else if (numChannels == 6)
            role = k51[ch];
        ebur128_set_channel(st, static_cast<unsigned>(ch), role);
    }
    return st;
}
} // namespace

bool loudnessLayoutKnown(int numChannels) noexcept
{
    return numChannels == 1 || numChannels == 2 || numChannels == 5 || numChannels == 6;
}

const char* loudnessLayoutName(int numChannels) noexcept
{
    switch (numChannels)
    {
    case 1: return "mono";
    case 2: return "stereo";
    case 5: return "5.0";
    case 6: return "5.1";
    default: return "unsupported";
    }
}

std::string loudnessLibraryVersion()
{
    int major = 0;
    int minor = 0;
    int patch = 0;
    ebur128_get_version(&major, &minor, &patch);
    return "libebur128 " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

struct LoudnessMeter::State
{
    ebur128_state* st = nullptr;
    ~State()
    {
        if (st != nullptr) // ebur128_destroy does not accept a null state
            ebur128_destroy(&st);
    }
};

LoudnessMeter::LoudnessMeter(int numChannels, double sampleRate, bool truePeak)
    : state_(std::make_unique<State>()), numChannels_(numChannels), sampleRate_(sampleRate), truePeak_(truePeak),
      measurable_(loudnessLayoutKnown(numChannels))
{
    if (numChannels < 1 || numChannels > 64)
        throw std::invalid_argument("loudness: channel count must be 1..64, not " + std::to_string(numChannels));
    if (!(sampleRate >= 8000.0 && sampleRate <= 768000.0) || sampleRate != std::round(sampleRate))
        throw std::invalid_argument("loudness: the sample rate must be a whole number of Hz in 8000..768000");
    state_->st = openState(numChannels, static_cast<unsigned long>(sampleRate), truePeak);
    if (state_->st == nullptr)
        throw std::bad_alloc();
    const auto rate = static_cast<std::int64_t>(sampleRate);
    // libebur128's own 100 ms step, (rate + 5) / 10 frames: the maxima are taken on its grid.
    stepFrames_ = (rate + 5) / 10;
    interleaved_.resize(static_cast<std::size_t>(stepFrames_ * numChannels));
}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::add(const float* const* channels, std::int64_t numFrames) noexcept
{
    std::int64_t done = 0;
    while (done < numFrames)
    {
        const std::int64_t n = std::min(numFrames - done, stepFrames_ - sinceStep_);
        for (std::int64_t i = 0; i < n; ++i)
            for (int ch = 0; ch < numChannels_; ++ch)
                interleaved_[static_cast<std::size_t>(i * numChannels_ + ch)] = channels[ch][done + i];
        ebur128_add_frames_float(state_->st, interleaved_.data(), static_cast<std::size_t>(n));
        done += n;
        frames_ += n;
        sinceStep_ += n;
        if (sinceStep_ == stepFrames_)
        {
            sinceStep_ = 0;
            step();
        }
    }
}

void LoudnessMeter::step() noexcept
{
    if (!measurable_)
        return;
    const std::int64_t steps = frames_ / stepFrames_;
    double v = 0.0;
    if (steps >= kMomentarySteps && ebur128_loudness_momentary(state_->st, &v) == EBUR128_SUCCESS)
    {
        momentary_ = finiteOrNone(v);
        momentaryMax_ = maxOf(momentaryMax_, momentary_);
    }
    if (steps >= kShortTermSteps && ebur128_loudness_shortterm(state_->st, &v) == EBUR128_SUCCESS)
    {
        shortTerm_ = finiteOrNone(v);
        shortTermMax_ = maxOf(shortTermMax_, shortTerm_);
    }
}

void LoudnessMeter::reset()
{
    // libebur128 has no reset: a fresh state with the same settings replaces the old one.
    ebur128_state* fresh = openState(numChannels_, state_->st->samplerate, truePeak_);
    if (fresh == nullptr)
        throw std::bad_alloc();
    ebur128_destroy(&state_->st);
    state_->st = fresh;
    frames_ = 0;
    sinceStep_ = 0;
    momentary_.reset();
    shortTerm_.reset();
    momentaryMax_.reset();
    shortTermMax_.reset();
}

std::optional<double> LoudnessMeter::integratedLufs() const
{
    if (!measurable_)
        return std::nullopt;
    double v = 0.0;
    if (ebur128_loudness_global(state_->st, &v) != EBUR128_SUCCESS)
        return std::nullopt;
    return finiteOrNone(v);
}

std::optional<double> LoudnessMeter::rangeLu() const
{
    // libebur128 answers 0 LU when it has no short-term block above the gate: that is no
    // measurement, so it is not asked then.
    if (!measurable_ || !integratedLufs() || !shortTermMax_ || *shortTermMax_ < kAbsoluteGateLufs)
        return std::nullopt;
    double v = 0.0;
    if (ebur128_loudness_range(state_->st, &v) != EBUR128_SUCCESS)
        return std::nullopt;
    return finiteOrNone(v);
}

std::optional<double> LoudnessMeter::truePeakDbtp() const noexcept
{
    std::optional<double> loudest;
    double v = 0.0;
    for (int ch = 0; truePeak_ && ch < numChannels_; ++ch)
        if (ebur128_true_peak(state_->st, static_cast<unsigned>(ch), &v) == EBUR128_SUCCESS)
            loudest = maxOf(loudest, peakDb(v));
    return loudest;
}

LoudnessSummary LoudnessMeter::summary() const
{
    LoudnessSummary s;
    s.layoutMeasurable = measurable_;
    s.frames = frames_;
    s.integratedLufs = integratedLufs();
    s.rangeLu = rangeLu();
    s.momentaryMaxLufs = momentaryMax_;
    s.shortTermMaxLufs = shortTermMax_;
    for (int ch = 0; ch < numChannels_; ++ch)
    {
        double v = 0.0;
        std::optional<double> sample;
        std::optional<double> truePeak;
        if (ebur128_sample_peak(state_->st, static_cast<unsigned>(ch), &v) == EBUR128_SUCCESS)
            sample = peakDb(v);
        if (truePeak_ && ebur128_true_peak(state_->st, static_cast<unsigned>(ch), &v) == EBUR128_SUCCESS)
            truePeak = peakDb(v);
        s.channelSamplePeakDbfs.push_back(sample);
        s.channelTruePeakDbtp.push_back(truePeak);
        s.samplePeakDbfs = maxOf(s.samplePeakDbfs, sample);
        s.truePeakDbtp = maxOf(s.truePeakDbtp, truePeak);
    }
    return s;
}
} // namespace wb
