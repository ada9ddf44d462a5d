#pragma once
// Reads a Faust DSP's UI description (sliders, entries, buttons, checkboxes, bargraphs, with
// their ranges, steps and metadata such as [unit:dB]) into a flat, JUCE-free list.
#include "Core/Session/ParamSpec.h"
#include "Faust/FaustPrelude.h"

#include <map>
#include <string>
#include <vector>

namespace wb
{
struct FaustControl
{
    enum class Kind { slider, entry, button, checkbox, bargraph };
    Kind kind = Kind::slider;
    std::string label;   ///< the control's own label, e.g. "gain"
    std::string path;    ///< groups and label joined by '/', e.g. "Gain/gain"
    std::string unit;    ///< from [unit:...] metadata, may be empty
    std::string tooltip; ///< from [tooltip:...] metadata, may be empty
    std::string scale;   ///< "lin" (default), "log" or "exp", from [scale:...]
    FAUSTFLOAT* zone = nullptr;
    float init = 0.0f, min = 0.0f, max = 1.0f, step = 0.0f;

    [[nodiscard]] bool isOutput() const noexcept { return kind == Kind::bargraph; }
};

/// Effect-level metadata (declare name / description / ...) and the control list.
struct FaustDescription
{
    std::map<std::string, std::string> meta;
    std::vector<FaustControl> controls;
};

/// Describe a DSP instance; zones point into that instance. Allocates: not for the audio thread.
FaustDescription describeFaustDsp(::dsp& dsp);

/// The control as a ParamSpec: path, label, unit, tooltip, range, init as default, step; [scale:log]
/// gives ParamScale::log ("exp" and "lin" are linear); a bargraph is an output. Allocates.
[[nodiscard]] ParamSpec paramSpecOf(const FaustControl& control);
/// paramSpecOf for every control, in order (the indices are the controls' indices).
[[nodiscard]] std::vector<ParamSpec> paramSpecsOf(const FaustDescription& description);
} // namespace wb
