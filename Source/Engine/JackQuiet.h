#pragma once
namespace wb
{
/// Routes libjack's own error and info messages ("Cannot connect to server socket...", printed
/// whenever a client probes for a server that is not running) to nowhere. The tools say in their
/// own words when JACK is not available. Idempotent; message thread / main.
void silenceJackLibraryMessages() noexcept;
} // namespace wb
