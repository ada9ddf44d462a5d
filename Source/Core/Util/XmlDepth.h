#pragma once
// How deeply an XML text nests its elements, found by a flat scan (no recursion, no allocation),
// so a hostile file (100000 nested elements) is refused before a recursive parser (JUCE's
// XmlDocument) could overflow the stack on it. Plain C++ (no JUCE).
#include <cstddef>
#include <string_view>

namespace wb
{
/// The deepest element nesting in `text` (0: no element), skipping comments, CDATA, processing
/// instructions, declarations and quoted attribute values. The scan stops as soon as the depth
/// exceeds `stopAbove` and returns that depth. Malformed text gives some depth, never a crash.
[[nodiscard]] std::size_t xmlNestingDepth(std::string_view text, std::size_t stopAbove) noexcept;
} // namespace wb
