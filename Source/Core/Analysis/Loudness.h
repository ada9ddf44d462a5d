#pragma once
// EBU R128 / ITU-R BS.1770-4 loudness through libebur128 (Debian's libebur128-dev): momentary
// (400 ms), short-term (3 s) and integrated loudness in LUFS, loudness range (EBU Tech 3342) in
// LU, sample peak and true peak per channel. A thin RAII wrapper: the filters, gating and true-peak
// interpolation are the library's, not ours.
//
// Channel layouts (the channel weights BS.1770 defines; channel order as WAV files store them):
//   1 channel:  mono, counted once (BS.1770; no dual-mono +3 dB: a -23 dBFS 1 kHz sine in a mono
//               file measures -26.0 LUFS, as ffmpeg's ebur128 filter and loudness-scanner report)
//   2 channels: L R
//   5 channels: L R C Ls Rs (5.0)
//   6 channels: L R C LFE Ls Rs (5.1; the LFE is not counted, as BS.1770 says)
//   any other count: no loudness (BS.1770 gives no weights for it); the peaks are still measured.
//
// Nothing here prints a number that is not a measurement: silence, a programme shorter than one
// 400 ms block, or one whose blocks all fall below the -70 LUFS absolute gate has no integrated
// loudness (nullopt), not -inf or -70; the range needs at least one 3 s short-term block above
// the gate.
//
// Allocates in the constructor, reset() and the range; add() is allocation-free (it feeds the
// library in chunks through a buffer sized at construction). Not for the audio thread all the same: libebur128
// gives no real-time guarantee. Single-threaded: one owner feeds it and reads it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb
{
/// The figures of a programme measured so far. Loudness in LUFS, range in LU, peaks in dBFS /
/// dBTP (20 log10 of the largest magnitude; nullopt for a channel that was all zero).
struct LoudnessSummary
{
    std::optional<double> integratedLufs; ///< nullopt: no 400 ms block above the absolute gate
    std::optional<double> rangeLu;        ///< nullopt: no 3 s block above the absolute gate
    std::optional<double> momentaryMaxLufs; ///< largest momentary value over complete 400 ms windows
    std::optional<double> shortTermMaxLufs; ///< largest short-term value over complete 3 s windows
    std::optional<double> samplePeakDbfs;   ///< the loudest channel's
    std::optional<double> truePeakDbtp;     ///< the loudest channel's
    std::vector<std::optional<double>> channelSamplePeakDbfs;
    std::vector<std::optional<double>> channelTruePeakDbtp;
    std::int64_t frames = 0;
    bool layoutMeasurable = true; ///< false: no BS.1770 weights for this channel count (no loudness)
};

/// Whether BS.1770 weights exist for `numChannels` here (1, 2, 5, 6).
[[nodiscard]] bool loudnessLayoutKnown(int numChannels) noexcept;
/// "mono", "stereo", "5.0", "5.1", or "unsupported".
[[nodiscard]] const char* loudnessLayoutName(int numChannels) noexcept;
/// "libebur128 1.2.6": the library that measured (its version at run time), for reports.
[[nodiscard]] std::string loudnessLibraryVersion();

class LoudnessMeter
{
public:
    /// Allocates. numChannels 1..64; sampleRate 8 kHz..768 kHz (libebur128's range).
    /// `truePeak`: the 4x (2x above 96 kHz) oversampled true peak costs most of the work; leave it
    /// off when only loudness is wanted.
    /// Throws: std::invalid_argument for a bad channel count or rate, std::bad_alloc.
    LoudnessMeter(int numChannels, double sampleRate, bool truePeak = true);
    ~LoudnessMeter();
    LoudnessMeter(const LoudnessMeter&) = delete;
    LoudnessMeter& operator=(const LoudnessMeter&) = delete;

    /// Adds numFrames frames of planar audio (numChannels pointers). Allocation-free. The
    /// momentary and short-term maxima are taken at every 100 ms step from the start, as EBU
    /// Tech 3341 asks of a meter (windows are complete only from 400 ms / 3 s on).
    void add(const float* const* channels, std::int64_t numFrames) noexcept;

    /// Forgets everything measured (a meter's reset). Allocates (libebur128 has no reset of its
    /// own: a fresh state replaces the old one). Throws: std::bad_alloc (the old state kept).
    void reset();

    /// The last complete 400 ms window's loudness at the latest 100 ms step; nullopt before the
    /// first 400 ms, for silence, or when the layout has no weights.
    [[nodiscard]] std::optional<double> momentaryLufs() const noexcept { return momentary_; }
    /// As momentaryLufs, over 3 s.
    [[nodiscard]] std::optional<double> shortTermLufs() const noexcept { return shortTerm_; }
    /// Integrated loudness so far (gated); nullopt when nothing passed the gates.
    [[nodiscard]] std::optional<double> integratedLufs() const;
    /// Loudness range so far. Allocates (libebur128 sorts the short-term blocks).
    [[nodiscard]] std::optional<double> rangeLu() const;
    /// The loudest channel's true peak so far (dBTP; nullopt when true peak is off or all was
    /// zero). Allocation-free.
    [[nodiscard]] std::optional<double> truePeakDbtp() const noexcept;
    /// Every figure. Allocates.
    [[nodiscard]] LoudnessSummary summary() const;

    [[nodiscard]] int numChannels() const noexcept { return numChannels_; }
    [[nodiscard]] double sampleRate() const noexcept { return sampleRate_; }
    [[nodiscard]] std::int64_t frames() const noexcept { return frames_; }

private:
    void step() noexcept;

    struct State;
    std::unique_ptr<State> state_;
    int numChannels_ = 0;
    double sampleRate_ = 0.0;
    bool truePeak_ = true;
    bool measurable_ = true;
    std::int64_t frames_ = 0;
    std::int64_t stepFrames_ = 0;   ///< frames in 100 ms (libebur128's own block step)
    std::int64_t sinceStep_ = 0;    ///< frames since the last 100 ms step
    std::vector<float> interleaved_; ///< one step of interleaved frames
    std::optional<double> momentary_;
    std::optional<double> shortTerm_;
    std::optional<double> momentaryMax_;
    std::optional<double> shortTermMax_;
};
} // namespace wb
