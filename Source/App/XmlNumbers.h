#pragma once
// Reading numbers from preset XML strictly: juce::XmlElement::getDoubleAttribute reads "loud" as
// 0 and "nan" as NaN, so a damaged preset could turn into a full-scale level. The one reader is
// the session file's (Engine/SessionFile.h); the panels use it under this name. Message thread.
#include "Engine/SessionFile.h"

namespace wb::app
{
using session::finiteNumberAttribute;
} // namespace wb::app
