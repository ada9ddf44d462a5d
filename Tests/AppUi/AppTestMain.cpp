// The Catch2 main of wavebench_app_tests: JUCE's GUI side (message manager, desktop) is set up
// once for the whole run, on this thread, which is then the message thread. Listing tests (ctest
// discovery at build time) needs no display, so JUCE is not initialised for it; running them does
// (Tests/AppUi/run_in_xvfb.sh gives each run a private Xvfb and a fresh settings folder).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "Engine/JackQuiet.h"

#include <juce_events/juce_events.h>
#include <juce_gui_basics/juce_gui_basics.h>

#include <cstring>
#include <memory>

int main(int argc, char* argv[])
{
    bool listing = false;
    for (int i = 1; i < argc; ++i)
        listing = listing || std::strncmp(argv[i], "--list", 6) == 0 || std::strcmp(argv[i], "-l") == 0
                  || std::strcmp(argv[i], "-t") == 0 || std::strcmp(argv[i], "-h") == 0
                  || std::strcmp(argv[i], "--help") == 0;
    std::unique_ptr<juce::ScopedJuceInitialiser_GUI> juce;
    if (!listing)
    {
        wb::silenceJackLibraryMessages(); // as the app does: no JACK server on these machines
        // Behave as the standalone app for JUCE's X11 layer (which checks isStandaloneApp(), i.e.
        // whether START_JUCE_APPLICATION set this): XInitThreads and JUCE's X error handlers,
        // without which a bare Xvfb's missing WM atoms (no window manager interned WM_PROTOCOLS)
        // end the process with BadAtom. Never called: nothing here runs JUCEApplicationBase::main.
        juce::JUCEApplicationBase::createInstance = []() -> juce::JUCEApplicationBase* { return nullptr; };
        juce = std::make_unique<juce::ScopedJuceInitialiser_GUI>();
    }
    return Catch::Session().run(argc, argv);
}
