#pragma once
// Included before every Faust-generated class: the generated code derives from ::dsp and
// uses ::UI and ::Meta without including them itself. JUCE-free.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <faust/dsp/dsp.h>
#include <faust/gui/UI.h>
#include <faust/gui/meta.h>

#ifndef FAUSTFLOAT
#define FAUSTFLOAT float
#endif
