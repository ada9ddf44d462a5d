// libFuzzer target: reading an audio file (Core/Audio/WavFile's readWav, through libsndfile), as
// `wavebench loudness FILE` and the tests read takes and renders. The bytes are written to a file
// of this process's own (readWav takes a path). Properties, for any bytes: never a crash, a
// sanitizer report, an exception or an allocation the file cannot justify (a header may claim
// any length: libFuzzer's -rss_limit_mb catches a reader that believes it); a file that reads
// has a rate above zero, at least one channel and every channel the same length. (Its samples
// may be NaN: a float file can hold them; reading is not judging.)
#include "Core/Audio/WavFile.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = [] {
        const char* dir = std::getenv("TMPDIR");
        return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/wb-fuzz-wav-" + std::to_string(::getpid()) + ".wav";
    }();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
        std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size)
        std::abort();
    std::fclose(f);
    std::string error;
    const auto wav = wb::readWav(path, error);
    std::remove(path.c_str());
    if (!wav)
    {
        if (error.empty())
            std::abort();
        return 0;
    }
    if (!(wav->sampleRate > 0.0) || wav->channels.empty())
        std::abort();
    for (const auto& channel : wav->channels)
    {
        if (channel.size() != wav->channels.front().size())
            std::abort();
    }
    return 0;
}
