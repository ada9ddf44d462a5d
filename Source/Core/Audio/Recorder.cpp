#include "Core/Audio/Recorder.h"

#include "Core/Analysis/Loudness.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include <sys/stat.h> // stat (POSIX): is the path still the file being written?

namespace wb
{
namespace
{
constexpr std::int64_t kNoEnd = std::numeric_limits<std::int64_t>::max();
constexpr auto kWriterPoll = std::chrono::milliseconds(2);

std::int64_t framesOf(double seconds, double rate)
{
    return static_cast<std::int64_t>(std::ceil(std::max(0.0, seconds) * rate));
}

std::int64_t ceilDiv(std::int64_t a, std::int64_t b)
{
    return (a + b - 1) / b;
}
} // namespace

Recorder::Recorder() = default;

Recorder::~Recorder()
{
    if (writerThread.joinable())
        (void)finishFromUi(true);
}

bool Recorder::prepare(const RecorderConfig& c, std::string& error)
{
    if (writerThread.joinable())
    {
        error = "a recording is running";
        return false;
    }
    if (c.numChannels < 1 || c.blockFrames < 1 || !(c.sampleRate > 0.0) || !(c.headroomSeconds > 0.0)
        || !(c.preRollSeconds >= 0.0))
    {
        error = "recorder: channels, block size, rate and headroom must be positive, pre-roll not negative";
        return false;
    }
    config = c;
    preRollFrames = framesOf(c.preRollSeconds, c.sampleRate);
    const std::int64_t headroomBlocks = ceilDiv(framesOf(c.headroomSeconds, c.sampleRate), c.blockFrames);
    const std::int64_t preRollBlockCount = preRollFrames > 0 ? ceilDiv(preRollFrames, c.blockFrames) + 1 : 0;
    // + the block being filled + the one the writer holds.
    const auto capacity = static_cast<std::size_t>(headroomBlocks + preRollBlockCount + 2);
    if (!pool.prepare(capacity, static_cast<std::size_t>(c.numChannels), static_cast<std::size_t>(c.blockFrames)))
    {
        error = fmt::format("recorder: cannot allocate {} blocks of {} x {} frames", capacity, c.numChannels,
                            c.blockFrames);
        return false;
    }
    // Every block can be in a ring at once, so no push ever finds a ring full.
    toWriter = std::make_unique<SpscRing<Block>>(capacity);
    toPool = std::make_unique<SpscRing<PooledBuffer*>>(capacity);
    preRollBlocks.assign(static_cast<std::size_t>(std::max<std::int64_t>(preRollBlockCount, 1)), Block{});
    channelPtrs.assign(static_cast<std::size_t>(c.numChannels), nullptr);
    preRollHead = preRollCount = 0;
    phase = preRollFrames > 0 ? Phase::preRoll : Phase::idle;
    current = {};
    clock = 0;
    endFrame = kNoEnd;
    command.store(kNone, std::memory_order_relaxed);
    ended.store(false, std::memory_order_relaxed);
    writerFailed.store(false, std::memory_order_relaxed);
    isRecording.store(false, std::memory_order_relaxed);
    recordStart.store(-1, std::memory_order_relaxed);
    captured.store(0, std::memory_order_relaxed);
    lost.store(0, std::memory_order_relaxed);
    written.store(0, std::memory_order_relaxed);
    clockShared.store(0, std::memory_order_release);
    return true;
}

bool Recorder::startFromUi(const RecordingTarget& t, std::string& error)
{
    if (!toWriter)
    {
        error = "the recorder is not prepared";
        return false;
    }
    if (writerThread.joinable())
    {
        error = "a recording is running";
        return false;
    }
    target = t;
    WavWriterOptions options;
    options.container = WavContainer::rf64WhenLarge;
    options.dither = t.format == SampleFormat::pcm16 ? Dither::tpdf : Dither::none;
    options.ditherSeed = t.ditherSeed;
    if (!writer.open(t.path, config.numChannels, config.sampleRate, t.format, error, options))
        return false;
    struct stat st
    {
    };
    if (::stat(t.path.c_str(), &st) == 0)
    {
        fileIdentity[0] = static_cast<std::uint64_t>(st.st_dev);
        fileIdentity[1] = static_cast<std::uint64_t>(st.st_ino);
    }
    expected = -1;
    lastHeaderUpdate = 0;
    writeError.clear();
    gaps.clear();
    limitFrames = t.framesAfterStart;
    ended.store(false, std::memory_order_relaxed);
    writerFailed.store(false, std::memory_order_relaxed);
    recordStart.store(-1, std::memory_order_relaxed);
    captured.store(0, std::memory_order_relaxed);
    lost.store(0, std::memory_order_relaxed);
    written.store(0, std::memory_order_relaxed);
    loudness.reset();
    loudnessPublished = 0;
    integratedShared.store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
    truePeakShared.store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
    if (config.loudnessChannels > 0)
    {
        if (config.loudnessChannels > 2 || config.loudnessFirstChannel < 0
            || config.loudnessFirstChannel + config.loudnessChannels > config.numChannels)
        {
            writer.close(error);
            std::filesystem::remove(t.path);
            error = "the loudness group is not 1 or 2 of the recorded channels";
            return false;
        }
        loudness = std::make_unique<LoudnessMeter>(config.loudnessChannels, config.sampleRate);
    }
    writerThread = std::thread([this] { writerMain(); });
    command.store(kStart, std::memory_order_release);
    return true;
}

RecordingResult Recorder::finishFromUi(bool audioStopped)
{
    RecordingResult result;
    if (!writerThread.joinable())
    {
        result.error = "no recording is running";
        return result;
    }
    if (audioStopped)
    {
        // The audio thread is gone: its state is ours now. A start it never saw starts nothing.
        if (!ended.load(std::memory_order_acquire))
        {
            command.store(kNone, std::memory_order_relaxed);
            if (phase == Phase::recording)
                endOnAudio();
            else
            {
                recordEnd.store(recordStart.load(std::memory_order_relaxed) < 0 ? -1 : clock,
                                std::memory_order_relaxed);
                ended.store(true, std::memory_order_release);
            }
        }
    }
    else
    {
        stopFromUi();
        while (!endedFromUi())
            std::this_thread::sleep_for(kWriterPoll);
    }
    writerThread.join();

    std::string closeError;
    const bool closed = writer.close(closeError);
    result.framesWritten = writer.framesWritten();
    result.clippedSamples = writer.clippedSamples();
    result.gaps = gaps;
    for (const auto& g : gaps)
        result.framesLost += g.frames;
    const std::int64_t start = recordStart.load(std::memory_order_acquire);
    result.preRollFrames = start < 0 ? 0 : clockAtStart - start;
    result.error = !writeError.empty() ? writeError : (closed ? std::string() : closeError);
    if (start < 0 && result.error.empty())
        result.error = "the audio never reached the recorder (no callback after the start)";
    if (loudness != nullptr)
    {
        result.integratedLufs = loudness->integratedLufs();
        result.truePeakDbtp = loudness->truePeakDbtp();
    }
    result.ok = result.error.empty();
    return result;
}

Recorder::Stats Recorder::statsFromUi() const noexcept
{
    Stats s;
    s.pool = pool.statsFromUi();
    s.framesCaptured = captured.load(std::memory_order_relaxed);
    s.framesWritten = written.load(std::memory_order_relaxed);
    s.framesLost = lost.load(std::memory_order_relaxed);
    s.sampleRate = config.sampleRate;
    s.recording = isRecording.load(std::memory_order_relaxed);
    s.integratedLufs = integratedShared.load(std::memory_order_relaxed);
    s.truePeakDbtp = truePeakShared.load(std::memory_order_relaxed);
    const std::int64_t start = recordStart.load(std::memory_order_acquire);
    if (start >= 0)
    {
        const std::int64_t until = ended.load(std::memory_order_acquire) ? recordEnd.load(std::memory_order_relaxed)
                                                                         : clockShared.load(std::memory_order_relaxed);
        s.writerLagFrames = std::max<std::int64_t>(0, until - start - s.framesLost - s.framesWritten);
    }
    return s;
}

// ---- audio thread ----------------------------------------------------------------------------

void Recorder::returnBlockOnAudio(PooledBuffer* buffer) noexcept
{
    pool.releaseOnAudio(buffer);
}

void Recorder::applyCommandOnAudio() noexcept
{
    if (command.load(std::memory_order_relaxed) == kNone)
        return;
    const int c = command.exchange(kNone, std::memory_order_acq_rel);
    if (c == kStart && phase != Phase::recording)
    {
        // The file starts preRoll frames back, or at the oldest frame kept.
        std::int64_t oldest = current.buffer != nullptr ? current.start : clock;
        if (preRollCount > 0)
            oldest = preRollBlocks[preRollHead].start;
        const std::int64_t start = std::max(clock - preRollFrames, oldest);
        clockAtStart = clock;
        recordStart.store(start, std::memory_order_release);
        endFrame = limitFrames > 0 ? clock + limitFrames : kNoEnd;
        for (; preRollCount > 0; --preRollCount)
        {
            const Block& b = preRollBlocks[preRollHead];
            if (!toWriter->tryPush(b))
                returnBlockOnAudio(b.buffer);
            preRollHead = (preRollHead + 1) % preRollBlocks.size();
        }
        phase = Phase::recording;
        isRecording.store(true, std::memory_order_relaxed);
    }
    else if (c == kStop && phase == Phase::recording)
        endFrame = std::min(endFrame, clock);
}

void Recorder::finishBlockOnAudio() noexcept
{
    if (phase == Phase::recording)
    {
        if (!toWriter->tryPush(current)) // cannot happen: the ring holds every block
        {
            lost.store(lost.load(std::memory_order_relaxed) + current.frames, std::memory_order_relaxed);
            returnBlockOnAudio(current.buffer);
        }
    }
    else
    {
        // Pre-roll: keep the newest blocks that still cover preRollFrames without the oldest.
        const std::size_t size = preRollBlocks.size();
        if (preRollCount == size)
        {
            returnBlockOnAudio(preRollBlocks[preRollHead].buffer);
            preRollHead = (preRollHead + 1) % size;
            --preRollCount;
        }
        preRollBlocks[(preRollHead + preRollCount) % size] = current;
        ++preRollCount;
        std::int64_t kept = 0;
        for (std::size_t i = 0; i < preRollCount; ++i)
            kept += preRollBlocks[(preRollHead + i) % size].frames;
        while (preRollCount > 1 && kept - preRollBlocks[preRollHead].frames >= preRollFrames)
        {
            kept -= preRollBlocks[preRollHead].frames;
            returnBlockOnAudio(preRollBlocks[preRollHead].buffer);
            preRollHead = (preRollHead + 1) % size;
            --preRollCount;
        }
    }
    current = {};
}

void Recorder::endOnAudio() noexcept
{
    if (current.buffer != nullptr)
    {
        if (current.frames > 0 && phase == Phase::recording)
            finishBlockOnAudio();
        else
        {
            returnBlockOnAudio(current.buffer);
            current = {};
        }
    }
    recordEnd.store(std::min(clock, endFrame), std::memory_order_relaxed);
    phase = preRollFrames > 0 ? Phase::preRoll : Phase::idle;
    endFrame = kNoEnd;
    isRecording.store(false, std::memory_order_relaxed);
    ended.store(true, std::memory_order_release);
}

void Recorder::beginCallbackOnAudio() noexcept
{
    if (!toWriter)
        return;
    beginOnAudio();
    begunByCaller = true;
}

void Recorder::beginOnAudio() noexcept
{
    for (PooledBuffer* back = nullptr; toPool->tryPop(back);)
        returnBlockOnAudio(back);
    applyCommandOnAudio();
    if (phase == Phase::recording && writerFailed.load(std::memory_order_acquire))
        endOnAudio();
}

void Recorder::captureOnAudio(const float* const* channels, int numFrames) noexcept
{
    // A caller that began this callback (beginCallbackOnAudio) has decided on this block by what it
    // saw then: a start that arrived since waits for the next callback. Acting on it here would
    // record this block while the caller played it as not recorded (a --play one period late).
    const bool begun = begunByCaller;
    begunByCaller = false;
    if (!toWriter || numFrames <= 0)
        return;
    if (!begun)
        beginOnAudio();

    std::int64_t wanted = numFrames;
    if (phase == Phase::recording)
        wanted = std::min<std::int64_t>(wanted, endFrame - clock);
    const auto numChannels = static_cast<std::size_t>(config.numChannels);
    const std::int32_t blockFrames = config.blockFrames;
    std::int64_t done = 0;
    while ((phase == Phase::recording || phase == Phase::preRoll) && done < wanted)
    {
        if (current.buffer == nullptr)
        {
            current.buffer = pool.acquireOnAudio();
            if (current.buffer == nullptr && phase == Phase::preRoll && preRollCount > 0)
            {
                current.buffer = preRollBlocks[preRollHead].buffer; // the oldest pre-roll is reused
                preRollHead = (preRollHead + 1) % preRollBlocks.size();
                --preRollCount;
            }
            if (current.buffer == nullptr)
            {
                // The writer is behind and the pool is dry: these frames are lost, never waited for.
                if (phase == Phase::recording)
                    lost.store(lost.load(std::memory_order_relaxed) + (wanted - done), std::memory_order_relaxed);
                break;
            }
            current.start = clock + done;
            current.frames = 0;
        }
        const auto take = static_cast<std::int32_t>(std::min<std::int64_t>(wanted - done, blockFrames - current.frames));
        for (std::size_t ch = 0; ch < numChannels; ++ch)
        {
            float* to = current.buffer->channelData(ch) + current.frames;
            const float* from = channels != nullptr ? channels[ch] : nullptr;
            if (from != nullptr)
                std::memcpy(to, from + done, static_cast<std::size_t>(take) * sizeof(float));
            else
                std::memset(to, 0, static_cast<std::size_t>(take) * sizeof(float));
        }
        current.frames += take;
        done += take;
        if (phase == Phase::recording)
            captured.store(captured.load(std::memory_order_relaxed) + take, std::memory_order_relaxed);
        if (current.frames == blockFrames)
            finishBlockOnAudio();
    }
    clock += numFrames;
    clockShared.store(clock, std::memory_order_relaxed);
    if (phase == Phase::recording && clock >= endFrame)
        endOnAudio();
}

// ---- writer thread ---------------------------------------------------------------------------

void Recorder::noteGap(std::int64_t from, std::int64_t to)
{
    const std::int64_t start = recordStart.load(std::memory_order_acquire);
    gaps.push_back({from - start, writer.framesWritten(), to - from});
}

bool Recorder::checkStillThere()
{
    struct stat st
    {
    };
    if (::stat(target.path.c_str(), &st) != 0 || static_cast<std::uint64_t>(st.st_dev) != fileIdentity[0]
        || static_cast<std::uint64_t>(st.st_ino) != fileIdentity[1])
    {
        writeError = fmt::format("{} was removed while recording (the file or its folder): stopped after {} frames",
                                 target.path, writer.framesWritten());
        return false;
    }
    return true;
}

void Recorder::writeBlock(const Block& b)
{
    if (writerFailed.load(std::memory_order_relaxed))
        return;
    const std::int64_t start = recordStart.load(std::memory_order_acquire);
    const std::int64_t skip = std::max<std::int64_t>(0, start - b.start);
    const std::int64_t from = b.start + skip;
    const std::int64_t count = b.frames - skip;
    if (count <= 0)
        return;
    if (expected < 0)
        expected = start;
    if (from > expected)
        noteGap(expected, from);
    for (std::size_t ch = 0; ch < channelPtrs.size(); ++ch)
        channelPtrs[ch] = b.buffer->channelData(ch) + skip;
    std::string error;
    bool ok = writer.write(channelPtrs.data(), count, error);
    if (ok)
        measureLoudness(channelPtrs.data(), count);
    if (!ok)
        writeError = fmt::format("recording stopped: {}", error);
    expected = from + count;
    const auto interval = std::max<std::int64_t>(1, framesOf(target.headerIntervalSeconds, config.sampleRate));
    if (ok && writer.framesWritten() - lastHeaderUpdate >= interval)
    {
        lastHeaderUpdate = writer.framesWritten();
        ok = writer.updateHeader(error) && checkStillThere();
        if (!ok && writeError.empty())
            writeError = fmt::format("recording stopped: {}", error);
    }
    written.store(writer.framesWritten(), std::memory_order_relaxed);
    if (!ok)
        writerFailed.store(true, std::memory_order_release);
}

void Recorder::measureLoudness(const float* const* channels, std::int64_t frames)
{
    if (loudness == nullptr)
        return;
    loudness->add(channels + config.loudnessFirstChannel, frames);
    // The integrated figure walks every 400 ms block so far: published every ~0.25 s of audio.
    const std::int64_t measured = loudness->frames();
    if (measured - loudnessPublished < framesOf(0.25, config.sampleRate))
        return;
    loudnessPublished = measured;
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    integratedShared.store(loudness->integratedLufs().value_or(nan), std::memory_order_relaxed);
    truePeakShared.store(loudness->truePeakDbtp().value_or(nan), std::memory_order_relaxed);
}

void Recorder::writerMain()
{
    for (;;)
    {
        if (writerStalled.load(std::memory_order_acquire) && !ended.load(std::memory_order_acquire))
        {
            std::this_thread::sleep_for(kWriterPoll);
            continue;
        }
        Block b;
        const bool endedBefore = ended.load(std::memory_order_acquire); // everything pushed before it is visible
        if (toWriter->tryPop(b))
        {
            writeBlock(b);
            if (!toPool->tryPush(b.buffer)) // cannot happen: the ring holds every block
                writerFailed.store(true, std::memory_order_release);
            continue;
        }
        if (endedBefore)
            break;
        std::this_thread::sleep_for(kWriterPoll);
    }
    // Frames lost at the very end (the pool was dry until the recording ended).
    const std::int64_t end = recordEnd.load(std::memory_order_relaxed);
    const std::int64_t start = recordStart.load(std::memory_order_acquire);
    if (!writerFailed.load(std::memory_order_relaxed) && start >= 0)
    {
        if (expected < 0)
            expected = start;
        if (end > expected)
            noteGap(expected, end);
    }
}
} // namespace wb
