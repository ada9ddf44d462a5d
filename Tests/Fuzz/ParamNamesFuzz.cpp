// libFuzzer target: the names of effects and parameters as the CLI's --set and --automation, presets
// and the app read them (Core/Session/ParamNames). Properties, for any bytes:
//  - never a crash, a sanitizer report or an exception;
//  - splitAssignment splits at the first '.' and the last '=': the parts put back together give
//    the text again;
//  - a name matches itself, and matching is symmetric.
#include "Core/Session/ParamNames.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto a = wb::splitAssignment(text))
    {
        if (a->effect + "." + a->param + "=" + a->value != text)
            std::abort();
    }
    // Two names from the bytes: split at the first newline.
    const auto cut = text.find('\n');
    const std::string_view first = text.substr(0, cut);
    const std::string_view second = cut == std::string_view::npos ? std::string_view() : text.substr(cut + 1);
    if (wb::paramNamesMatch(first, second) != wb::paramNamesMatch(second, first))
        std::abort();
    const std::vector<std::string> instances{"gain", "gain#2", "lowpass", "My Filter", std::string(first)};
    (void) wb::findInstance(instances, second);
    (void) wb::findInstance(instances, first);
    (void) wb::instanceName(first, static_cast<int>(size % 5));
    return 0;
}
