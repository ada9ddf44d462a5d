#include "Engine/JackQuiet.h"

#include <jack/jack.h>

namespace wb
{
namespace
{
void ignoreJackMessage(const char*) {}
} // namespace

void silenceJackLibraryMessages() noexcept
{
    jack_set_error_function(&ignoreJackMessage);
    jack_set_info_function(&ignoreJackMessage);
}
} // namespace wb
