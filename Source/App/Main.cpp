// The Wavebench desktop application: one main window, its size and the audio device state kept
// between launches (see App/Settings.h).
#include "App/MainComponent.h"
#include "App/Settings.h"
#include "Core/Util/BuildCommit.h"
#include "Core/Signals/BandLimitedWave.h"
#include "Engine/AudioEngine.h"
#include "Engine/JackQuiet.h"

#include <juce_gui_extra/juce_gui_extra.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <future>
#include <sstream>
#include <string_view>
#include <unistd.h>

namespace wb::app
{
namespace
{
std::int64_t clockNs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Taken during static initialisation, just before main(): the "since main" origin.
const std::int64_t gStaticInitMonotonicNs = clockNs(CLOCK_MONOTONIC);

/// The process's start (exec) on CLOCK_BOOTTIME, from /proc/self/stat field 22 (clock ticks,
/// 10 ms on this kernel); -1 when unreadable.
std::int64_t processStartBoottimeNs()
{
    std::ifstream in("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')'); // the command name may hold spaces
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22)
            return static_cast<std::int64_t>(std::stoll(field) * (1.0e9 / double(sysconf(_SC_CLK_TCK))));
    return -1;
}

/// WAVEBENCH_REPORT_STARTUP=1: prints, once the first callback that produced sound has run,
///   ready-ms: N              from process start (/proc/self/stat, 10 ms resolution)
///   ready-ms-since-main: N   from static initialisation (just before main)
///   ready-unix-ns: N         CLOCK_REALTIME of that callback (a launcher subtracts its own clock)
/// Sound needs a running generator (a saved session with running="1" and the setting
/// audio.startOnLaunch on: a session otherwise comes back stopped). Benchmarks/app_launch.sh.
class StartupReporter final : private juce::Timer
{
public:
    /// `phases`: "name ms" pairs (ms since main) of the launch's steps, printed with the rest.
    StartupReporter(const AudioEngine& e, juce::String phasesSinceMain) : engine(e), phases(std::move(phasesSinceMain))
    {
        startTimer(2);
    }
    static double msSinceMain() { return double(clockNs(CLOCK_MONOTONIC) - gStaticInitMonotonicNs) / 1e6; }

private:
    void timerCallback() override
    {
        const auto sound = engine.firstSoundNs();
        if (!sound)
            return;
        stopTimer();
        const auto mono = clockNs(CLOCK_MONOTONIC);
        const auto age = mono - *sound; // how long ago the sound callback started
        const auto boot = clockNs(CLOCK_BOOTTIME) - age;
        const auto start = processStartBoottimeNs();
        std::printf("startup-phases-ms-since-main: %s\n", phases.toRawUTF8());
        std::printf("ready-ms: %.1f\nready-ms-since-main: %.1f\nready-unix-ns: %lld\n",
                    start >= 0 ? double(boot - start) / 1e6 : -1.0, double(*sound - gStaticInitMonotonicNs) / 1e6,
                    static_cast<long long>(clockNs(CLOCK_REALTIME) - age));
        std::fflush(stdout);
    }

    const AudioEngine& engine;
    juce::String phases;
};
} // namespace

class MainWindow final : public juce::DocumentWindow
{
public:
    MainWindow(AudioEngine& engine, Settings& s)
        : DocumentWindow("Wavebench", juce::Colour(0xff1e2227), DocumentWindow::allButtons), settings(s)
    {
        setUsingNativeTitleBar(true);
        setContentOwned(new MainComponent(engine, settings), false);
        setResizable(true, true);
        setResizeLimits(640, 420, 8192, 8192);
        // The saved bounds, limited to the screen (a hostile or stale file may hold any size or
        // position: JUCE only moves a window that is entirely off-screen).
        const auto* display = juce::Desktop::getInstance().getDisplays().getPrimaryDisplay();
        const auto saved = display != nullptr ? Settings::clampedWindowState(settings.file().getValue("windowState"),
                                                                             display->userArea, {640, 420})
                                              : std::nullopt;
        if (!saved || !restoreWindowStateFromString(*saved))
            centreWithSize(1440, 900);
        setVisible(true);
        if (auto* content = getContentComponent())
            content->grabKeyboardFocus();
    }

    void closeButtonPressed() override { juce::JUCEApplication::getInstance()->systemRequestedQuit(); }

    void saveState()
    {
        settings.file().setValue("windowState", getWindowStateAsString());
        settings.save();
    }

private:
    Settings& settings;
};

class WavebenchApplication final : public juce::JUCEApplication
{
public:
    const juce::String getApplicationName() override { return "Wavebench"; }
    const juce::String getApplicationVersion() override { return JUCE_APPLICATION_VERSION_STRING; }
    bool moreThanOneInstanceAllowed() override { return true; }

    void initialise(const juce::String&) override
    {
        juce::String phases;
        const auto phase = [&phases](const char* name)
        { phases << name << " " << juce::String(StartupReporter::msSinceMain(), 1) << "  "; };
        phase("initialise");
#ifdef __GLIBC__
        // One malloc arena for the whole process: glibc otherwise gives each thread that
        // allocates (the table workers below, JUCE's threads) an arena of its own, whose freed
        // pages stay resident (~1.5 MB measured). The audio thread never allocates, so nothing
        // real-time waits on the shared arena's lock.
        mallopt(M_ARENA_MAX, 1);
#endif
        // The band-limited wavetables (~90 ms of FFTs for the three shapes) build on workers while
        // the settings load and the devices are scanned; the generator's prepare waits for them.
        tablesBuilt = std::async(std::launch::async, [] {
            signals::BandLimitedWave::buildAllTables();
#ifdef __GLIBC__
            malloc_trim(0); // return the FFT scratch the build freed
#endif
        });
        silenceJackLibraryMessages();
        settings = std::make_unique<Settings>();
        engine = AudioEngine::createWithGenerator();
        phase("engine");
        // The session's device (or the default, or the Virtual loopback: the header says why).
        (void) MainComponent::openSessionDevice(*engine, *settings);
        phase("device");
        window = std::make_unique<MainWindow>(*engine, *settings);
        phase("window");
        if (const char* report = std::getenv("WAVEBENCH_REPORT_STARTUP"); report != nullptr && std::string(report) == "1")
            startup = std::make_unique<StartupReporter>(*engine, phases.trimEnd());
    }

    void shutdown() override
    {
        if (window != nullptr)
            window->saveState();
        startup.reset();
        window.reset();
        engine.reset();
        settings.reset();
    }

    void systemRequestedQuit() override { quit(); }

private:
    std::future<void> tablesBuilt; // joined at exit (the future waits)
    std::unique_ptr<Settings> settings;
    std::unique_ptr<AudioEngine> engine;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<StartupReporter> startup;
};
} // namespace wb::app

// START_JUCE_APPLICATION, except that --help and --version are answered before JUCE starts, so
// they need no display (an installed package is checked with them; help2man reads them).
namespace
{
constexpr const char* kAppHelp =
    "Usage: Wavebench [--help] [--version]\n"
    "The Wavebench desktop app: test signals (tones, noises, sweeps, impulses) through a live chain\n"
    "of Faust effects, with scope, spectrum, level meters and a monitor of DSP load, xruns, CPU,\n"
    "memory and time per node. It opens the last audio device used (JACK, ALSA) or else its own\n"
    "Virtual loopback device, so it starts on a machine with no sound card.\n"
    "\n"
    "Options:\n"
    "  -h, --help     print this help and exit\n"
    "  -V, --version  print the version and the git commit it was built from, and exit\n"
    "\n"
    "Environment:\n"
    "  WAVEBENCH_SETTINGS_DIR      the folder of Wavebench.settings (default ~/.config/Wavebench)\n"
    "  WAVEBENCH_REPORT_STARTUP=1  print the launch-to-audio-ready time once sound runs\n"
    "  JACK_DEFAULT_SERVER         the JACK server to connect to (default: \"default\")\n"
    "\n"
    "Files:\n"
    "  ~/.config/Wavebench/Wavebench.settings  the window, the audio device and the last session\n"
    "\n"
    "When audio misbehaves: Help > Troubleshooting in the app, or TROUBLESHOOTING.md\n"
    "(/usr/share/doc/wavebench/ when installed). The command-line tool is wavebench(1).\n";
} // namespace

JUCE_BEGIN_IGNORE_WARNINGS_GCC_LIKE("-Wmissing-prototypes")
JUCE_CREATE_APPLICATION_DEFINE(wb::app::WavebenchApplication)
JUCE_END_IGNORE_WARNINGS_GCC_LIKE

int main(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i)
    {
        const std::string_view arg = argv[i];
        if (arg == "--version" || arg == "-V")
        {
            std::printf("%s\n", wb::fullVersionString().c_str());
            return 0;
        }
        if (arg == "--help" || arg == "-h")
        {
            std::fputs(kAppHelp, stdout);
            return 0;
        }
    }
    juce::JUCEApplicationBase::createInstance = &juce_CreateApplication;
    return juce::JUCEApplicationBase::main(argc, const_cast<const char**>(argv));
}
