// libFuzzer target: the flat scan that guards the app's session and preset reader against hostile
// nesting before JUCE's recursive XML parser sees the text (Core/Util/XmlDepth). Properties, for
// any bytes: never a crash or a sanitizer report; the scan stops just past its limit (the depth
// it returns is at most stopAbove + 1); a limit above the full depth gives the full depth.
#include "Core/Util/XmlDepth.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t full = wb::xmlNestingDepth(text, static_cast<std::size_t>(-1) - 1);
    for (std::size_t limit : {std::size_t(0), std::size_t(1), std::size_t(3), std::size_t(32)})
    {
        const std::size_t depth = wb::xmlNestingDepth(text, limit);
        if (depth > limit + 1)
            std::abort();
        if (full <= limit && depth != full)
            std::abort();
    }
    return 0;
}
