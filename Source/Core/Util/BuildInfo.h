#pragma once
#include <string>

namespace wb
{
/// "Wavebench <version>", as printed by `wavebench --version` and the About box.
std::string versionString();
} // namespace wb
