#include "Core/Util/BuildInfo.h"

#include <wavebench/BuildInfo.h>

namespace wb
{
std::string versionString()
{
    return std::string(build::kName) + " " + build::kVersion;
}
} // namespace wb
