#pragma once
// ParamSpec: one parameter described once (what it is called, its range, unit, scale, and text <->
// value), shared by every client: the CLI's --set / --automation, the effect node, the app's
// sliders. It holds no value (the value has one owner elsewhere). Built from a Faust control
// (Engine/FaustParameters: paramSpecOf) or declared in code (Core/Session/GeneratorParams).
// Plain C++ (no JUCE); message thread (format and parse allocate), except the noexcept maths.
#include "Core/Util/ValueParse.h"

#include <string>
#include <string_view>

namespace wb
{
enum class ParamScale
{
    linear,
    log, ///< geometric: equal distances on a slider are equal ratios (e.g. octaves)
};

struct ParamSpec
{
    std::string path;    ///< the id: groups and label joined by '/' ("Gain/gain"); unique in its owner
    std::string label;   ///< what the user reads and types ("peak 1 gain")
    std::string unit;    ///< "Hz", "dB", "s", "ms", "%" ... or empty
    std::string tooltip; ///< may be empty
    double min = 0.0, max = 1.0, defaultValue = 0.0;
    double step = 0.0; ///< 0: continuous
    ParamScale scale = ParamScale::linear;
    bool isOutput = false; ///< a meter (e.g. gain reduction): read, never set

    /// True when the scale is log and the range allows it (0 < min < max); a log spec whose range
    /// does not is treated as linear by every function here.
    [[nodiscard]] bool isLog() const noexcept;
    /// Finite and within [min, max].
    [[nodiscard]] bool contains(double value) const noexcept;
    /// value limited to [min, max] (NaN gives min).
    [[nodiscard]] double clamp(double value) const noexcept;
    /// Where value sits on a slider or knob, 0..1 (clamped first): (v - min) / (max - min), or for
    /// a log scale log(v / min) / log(max / min). A zero-width range gives 0.
    [[nodiscard]] double toNormalised(double value) const noexcept;
    /// The inverse: min + p (max - min), or min (max / min)^p for a log scale; p is clamped to 0..1.
    [[nodiscard]] double fromNormalised(double proportion) const noexcept;

    /// An arrow key's step of a log scale: 1/24 octave (a quarter tone for a frequency), a ratio
    /// that moves as audibly at the bottom of the range as at the top.
    static constexpr double kLogKeyStepOctaves = 1.0 / 24.0;
    /// Where one arrow-key step takes `value` (`up` or down; `fine`: shift held), clamped to the
    /// range. A log scale moves by a ratio: 2^(1/24) per step (fine: 2^(1/96)), at least the
    /// spec's step when it has one. A linear scale moves by the spec's step, or 1 % of the range
    /// (fine: 0.1 %) when it is continuous.
    [[nodiscard]] double keyStep(double value, bool up, bool fine) const noexcept;

    /// The ValueParse unit a typed value is read in: Hz, dB and s take their prefixes ("1k",
    /// "-6 dB", "250 ms"); any other unit (ms, %) is a plain number written with its unit after it.
    [[nodiscard]] ValueUnit entryUnit() const noexcept;
    /// The value as text with its unit ("1.5 kHz", "-6 dB", "125 ms", "30 %"), up to `significant`
    /// significant digits.
    [[nodiscard]] std::string format(double value, int significant = 5) const;
    /// Text to a value in this unit (a plain-number unit may follow the number: "250 ms"), then the
    /// range: a value outside [min, max] is refused with the range in the reason. Never throws.
    [[nodiscard]] ParsedValue parse(std::string_view text) const;
    /// As parse, without the range check (the caller refuses out-of-range values its own way).
    [[nodiscard]] ParsedValue parseUnchecked(std::string_view text) const;

private:
    /// text without spaces around it and without a plain-number unit after the number.
    [[nodiscard]] std::string_view numberPart(std::string_view text) const noexcept;
};

/// Log-scale normalisation over [start, end] (0 < start < end) as free functions, for callers that
/// hold only the range (a JUCE NormalisableRange's lambdas).
[[nodiscard]] double logToNormalised(double start, double end, double value) noexcept;
[[nodiscard]] double logFromNormalised(double start, double end, double proportion) noexcept;
} // namespace wb
