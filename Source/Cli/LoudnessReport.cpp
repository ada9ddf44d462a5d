#include "Cli/LoudnessReport.h"

#include "Cli/Subcommands.h"

#include <fmt/format.h>

#include <cmath>

namespace wb::cli
{
nlohmann::json orNull(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

namespace
{
std::string orNone(const std::optional<double>& v, const char* unit)
{
    return v ? fmt::format("{:.1f} {}", *v, unit) : std::string("none");
}
} // namespace

nlohmann::json loudnessJson(const LoudnessSummary& s, int numChannels)
{
    nlohmann::json perChannel = nlohmann::json::array();
    for (std::size_t ch = 0; ch < s.channelSamplePeakDbfs.size(); ++ch)
        perChannel.push_back({{"sample_peak_dbfs", orNull(s.channelSamplePeakDbfs[ch])},
                              {"true_peak_dbtp", orNull(s.channelTruePeakDbtp[ch])}});
    return {
        {"standard", "EBU R128, ITU-R BS.1770-4, EBU Tech 3342"},
        {"library", loudnessLibraryVersion()},
        {"layout", loudnessLayoutName(numChannels)},
        {"integrated_lufs", orNull(s.integratedLufs)},
        {"range_lu", orNull(s.rangeLu)},
        {"momentary_max_lufs", orNull(s.momentaryMaxLufs)},
        {"short_term_max_lufs", orNull(s.shortTermMaxLufs)},
        {"true_peak_dbtp", orNull(s.truePeakDbtp)},
        {"sample_peak_dbfs", orNull(s.samplePeakDbfs)},
        {"per_channel", perChannel},
        {"note", "null is no measurement: silence, shorter than the 400 ms (momentary, integrated) or 3 s "
                 "(short-term, range) window, below the -70 LUFS gate, or a channel count without BS.1770 "
                 "weights (only 1, 2, 5 and 6 have them). Mono is counted once (no dual-mono)."},
    };
}

std::string loudnessLine(const LoudnessSummary& s)
{
    if (!s.layoutMeasurable)
        return fmt::format("loudness none (no BS.1770 weights for this channel count), true peak {}, sample peak {}",
                           orNone(s.truePeakDbtp, "dBTP"), orNone(s.samplePeakDbfs, "dBFS"));
    return fmt::format("integrated {}, range {}, momentary max {}, short-term max {}, true peak {}, sample peak {}",
                       orNone(s.integratedLufs, "LUFS"), orNone(s.rangeLu, "LU"), orNone(s.momentaryMaxLufs, "LUFS"),
                       orNone(s.shortTermMaxLufs, "LUFS"), orNone(s.truePeakDbtp, "dBTP"),
                       orNone(s.samplePeakDbfs, "dBFS"));
}

LoudnessCheck checkLoudness(const LoudnessSummary& s, const LoudnessTarget& target)
{
    LoudnessCheck c;
    const double want = target.targetLufs.value_or(0.0);
    c.json = {{"target_lufs", want}, {"tolerance_lu", target.toleranceLu},
              {"measured_lufs", orNull(s.integratedLufs)}};
    if (!s.integratedLufs)
    {
        c.passed = false;
        c.message = fmt::format("no integrated loudness to check against {:.1f} LUFS ({})", want,
                                s.layoutMeasurable ? "silent, shorter than 400 ms, or below the -70 LUFS gate"
                                                   : "no BS.1770 weights for this channel count");
    }
    else
    {
        const double off = *s.integratedLufs - want;
        c.passed = std::abs(off) <= target.toleranceLu;
        c.message = fmt::format("integrated loudness {:.2f} LUFS, target {:.1f} LUFS +- {:g} LU ({:+.2f} LU): {}",
                                *s.integratedLufs, want, target.toleranceLu, off, c.passed ? "pass" : "FAIL");
    }
    c.json["passed"] = c.passed;
    return c;
}

void addLoudnessTargetOptions(CLI::App& sub, LoudnessTarget& target)
{
    sub.add_option("--target-lufs", target.targetLufs,
                   "Check the integrated loudness: exit 3 when it is off by more than --tolerance-lu");
    sub.add_option("--tolerance-lu", target.toleranceLu, "Tolerance of --target-lufs (LU)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
}

void checkLoudnessTarget(const LoudnessTarget& target)
{
    if (!(target.toleranceLu >= 0.0))
        throw UsageError(fmt::format("--tolerance-lu must not be negative, not {:g}", target.toleranceLu));
}
} // namespace wb::cli
