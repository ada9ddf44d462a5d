#pragma once
// Recording without touching the audio thread's rules.
//
//   audio thread (captureOnAudio)                         writer thread (Recorder's own)
//   -----------------------------                         ------------------------------
//   returned blocks  <── toPool ring (PooledBuffer*) ───  after each block is written
//   BufferPool::acquireOnAudio -> fill a block of
//   blockFrames frames of the selected channels
//   a full block ───────── toWriter ring (Block) ───────> WavWriter (libsndfile), header
//                                                         rewritten every headerInterval
//
// The pool is touched by the audio thread only (acquire and release); the writer hands blocks back
// through the second ring, so both rings stay single-producer / single-consumer. Each block carries
// its first frame on the audio thread's own clock (frames seen since prepare), so the writer finds
// what was lost by position alone: a block that starts later than the previous one ended is a gap
// (the pool was empty: the writer fell behind). The audio thread never waits: with no free block it
// counts the frames as dropped and goes on.
//
// Pre-roll: while prepared with preRollSeconds > 0, the audio thread keeps filling blocks before
// any recording starts and keeps the newest ones that cover the pre-roll (older ones go back to the
// pool); a start hands them to the writer first, and the writer trims the oldest block so the file
// begins exactly preRoll frames before the callback that saw the start (or at the oldest frame
// kept, when the pre-roll has not filled yet).
//
// Faults: a failed write (full disk, file size limit) or a file whose folder was removed (checked at
// every header update: the path no longer names the file being written) ends the recording; the
// audio thread sees the writer's failure flag and stops capturing, the file is closed with a header
// covering every frame that reached it, and the reason is in the result.
//
// Threads: prepare/start/stop/finish/stats are the message thread's (names end in FromUi);
// captureOnAudio is the audio thread's and never allocates, locks, waits or makes a system call.
#include "Core/Audio/WavFile.h"
#include "Core/Realtime/BufferPool.h"
#include "Core/Realtime/SpscRing.h"

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wb
{
struct RecorderConfig
{
    int numChannels = 1;
    double sampleRate = 48000.0;
    int blockFrames = 1024;        ///< frames per pooled block
    double headroomSeconds = 2.0;  ///< audio the pool holds while the writer is late
    double preRollSeconds = 0.0;   ///< kept before a start (0: none)
    /// A group of channels measured as one programme (EBU R128, Core/Analysis/Loudness) by the
    /// writer thread as it writes them: what is in the file, off the audio thread. 0: none;
    /// 1 (mono) or 2 (stereo) channels from loudnessFirstChannel.
    int loudnessFirstChannel = 0;
    int loudnessChannels = 0;
};

struct RecordingTarget
{
    std::string path;
    SampleFormat format = SampleFormat::float32;
    /// Frames to record from the start callback on (the pre-roll comes on top); 0: until stopped.
    std::int64_t framesAfterStart = 0;
    double headerIntervalSeconds = 1.0; ///< how often the header is rewritten
    std::uint64_t ditherSeed = 1;       ///< s16 is dithered (TPDF)
};

/// Frames lost because the writer fell behind, in the recording's timeline.
struct RecordingGap
{
    std::int64_t atFrame = 0;     ///< frames of the recording's timeline before the gap (0 = its first frame)
    std::int64_t atFileFrame = 0; ///< frames already in the file when the gap happened
    std::int64_t frames = 0;      ///< frames lost
};

struct RecordingResult
{
    bool ok = false;            ///< recorded to the end with no write failure (gaps may exist)
    std::string error;          ///< why the recording stopped early (full disk, folder removed...)
    std::int64_t framesWritten = 0;
    std::int64_t framesLost = 0; ///< sum of gaps
    std::int64_t preRollFrames = 0; ///< frames in the file before the start callback
    std::vector<RecordingGap> gaps;
    std::int64_t clippedSamples = 0;
    /// The loudness group's figures over the whole file (RecorderConfig::loudnessChannels > 0).
    std::optional<double> integratedLufs;
    std::optional<double> truePeakDbtp;
};

class LoudnessMeter;

class Recorder
{
public:
    struct Stats
    {
        BufferPool::Stats pool;           ///< blocks in use and high-water mark
        std::int64_t framesCaptured = 0;  ///< frames the audio thread copied while recording
        std::int64_t framesWritten = 0;   ///< frames in the file
        std::int64_t framesLost = 0;      ///< frames dropped for want of a block
        std::int64_t writerLagFrames = 0; ///< captured (incl. pre-roll) but not yet written
        double sampleRate = 0.0;
        bool recording = false;           ///< a writer runs
        /// The loudness group's integrated loudness and true peak over what is written so far
        /// (updated every ~0.25 s of audio); NaN: none yet (or no group).
        double integratedLufs = std::numeric_limits<double>::quiet_NaN();
        double truePeakDbtp = std::numeric_limits<double>::quiet_NaN();
    };

    Recorder();
    ~Recorder(); ///< finishes a running recording (as finishFromUi with the audio stopped)
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    /// Effects: sizes the pool (headroom + pre-roll + 2 blocks) and the rings; resets every count.
    /// Returns false with the reason in `error` for a bad config or failed allocation.
    /// Thread: message thread, while captureOnAudio is not running and no recording is. Allocates.
    bool prepare(const RecorderConfig& config, std::string& error);

    /// Effects: opens `target.path` for writing (RF64 when it grows past 4 GB), starts the writer
    /// thread and asks the audio thread to start at its next captureOnAudio.
    /// Returns false with the reason (nothing started, no file left) when the file cannot be made.
    /// Thread: message thread. Allocates, does I/O.
    bool startFromUi(const RecordingTarget& target, std::string& error);

    /// Effects: asks the audio thread to end the recording at its next captureOnAudio.
    /// Thread: any. Wait-free.
    void stopFromUi() noexcept { command.store(kStop, std::memory_order_release); }

    /// Returns: true once the audio thread has ended the recording (the frames asked for reached,
    /// a stop, or the writer's failure seen). Thread: any. Wait-free.
    [[nodiscard]] bool endedFromUi() const noexcept { return ended.load(std::memory_order_acquire); }

    /// Returns: true when the writer failed (the audio thread ends the recording at its next call).
    /// Thread: any. Wait-free.
    [[nodiscard]] bool failedFromUi() const noexcept { return writerFailed.load(std::memory_order_acquire); }

    /// Effects: waits for the writer to write what the audio thread handed it and closes the file.
    /// audioStopped false: asks for a stop and waits for the audio thread (which must be running)
    /// to end the recording. audioStopped true: the audio thread no longer calls captureOnAudio
    /// (the device stopped), so what it had not handed over is taken here (a recording not yet
    /// ended ends at the last frame seen).
    /// Thread: message thread. Blocks. Call it once per start.
    RecordingResult finishFromUi(bool audioStopped);

    /// Effects: acts on a start or stop asked for since the last call and takes back the blocks the
    /// writer is done with; captureOnAudio does it too, unless this was called first in the same
    /// callback (then a start that arrives in between waits for the next callback). A callback that
    /// must know whether this block is recorded before it makes its output (a play-and-record
    /// callback) calls it first, then isRecordingOnAudio, then captureOnAudio.
    /// Thread: the audio thread only. Wait-free.
    void beginCallbackOnAudio() noexcept;

    /// Effects: copies numFrames frames of each of the numChannels (from prepare) channels while
    /// recording or filling the pre-roll; acts on a start or stop asked for since the last call;
    /// takes back blocks the writer is done with. Channels may be null (recorded as silence).
    /// Thread: the audio thread only. Wait-free: no allocation, lock, wait or system call.
    void captureOnAudio(const float* const* channels, int numFrames) noexcept;

    /// Returns: true between the callback that started the recording and the one that ended it.
    /// Thread: the audio thread (its own state). Wait-free.
    [[nodiscard]] bool isRecordingOnAudio() const noexcept { return phase == Phase::recording; }

    /// Thread: any. Wait-free (atomics only).
    [[nodiscard]] Stats statsFromUi() const noexcept;

    /// Test hook: while true the writer takes no block from its ring (as a stalled disk), so the
    /// pool runs dry and the audio thread drops frames. Thread: any.
    void stallWriterForTest(bool stalled) noexcept { writerStalled.store(stalled, std::memory_order_release); }

private:
    struct Block
    {
        PooledBuffer* buffer = nullptr;
        std::int64_t start = 0; ///< first frame, on the audio thread's clock
        std::int32_t frames = 0;
    };
    enum class Phase : std::uint8_t
    {
        idle,      ///< nothing captured
        preRoll,   ///< filling blocks for a future start
        recording,
        ended,
    };
    static constexpr int kNone = 0, kStart = 1, kStop = 2;

    void beginOnAudio() noexcept;
    void applyCommandOnAudio() noexcept;
    void finishBlockOnAudio() noexcept;
    void endOnAudio() noexcept;
    void returnBlockOnAudio(PooledBuffer* buffer) noexcept;
    void writerMain();
    void writeBlock(const Block& block);
    void noteGap(std::int64_t from, std::int64_t to);
    bool checkStillThere();

    RecorderConfig config;
    BufferPool pool;
    std::unique_ptr<SpscRing<Block>> toWriter;
    std::unique_ptr<SpscRing<PooledBuffer*>> toPool;
    std::int64_t preRollFrames = 0;

    // Audio-thread state.
    Phase phase = Phase::idle;
    bool begunByCaller = false; // beginCallbackOnAudio ran in this callback (captureOnAudio clears it)
    Block current;
    std::vector<Block> preRollBlocks; // ring of blocks kept for the pre-roll (sized in prepare)
    std::size_t preRollHead = 0, preRollCount = 0;
    std::int64_t clock = 0;     // frames seen since prepare
    std::int64_t endFrame = 0;  // the recording ends before this frame (INT64_MAX: at a stop)
    std::int64_t limitFrames = 0;
    std::int64_t clockAtStart = 0; // the clock at the start callback (read by finish, after `ended`)

    // Shared.
    std::atomic<int> command{kNone};
    std::atomic<bool> ended{false};
    std::atomic<bool> writerFailed{false};
    std::atomic<bool> writerStalled{false};
    std::atomic<bool> abandon{false};
    std::atomic<bool> isRecording{false};
    std::atomic<std::int64_t> recordStart{-1}; // first frame of the file, audio clock (set before the first push)
    std::atomic<std::int64_t> recordEnd{0};    // set before `ended`
    std::atomic<std::int64_t> captured{0};
    std::atomic<std::int64_t> lost{0};
    std::atomic<std::int64_t> written{0};
    std::atomic<std::int64_t> clockShared{0};

    // Writer-thread state.
    RecordingTarget target;
    WavWriter writer;
    std::thread writerThread;
    std::unique_ptr<LoudnessMeter> loudness; ///< the writer's (made before it starts, read after it ends)
    std::int64_t loudnessPublished = 0;      ///< writer: frames measured at the last publish
    std::atomic<double> integratedShared{std::numeric_limits<double>::quiet_NaN()};
    std::atomic<double> truePeakShared{std::numeric_limits<double>::quiet_NaN()};
    void measureLoudness(const float* const* channels, std::int64_t frames);
    std::int64_t expected = -1;
    std::int64_t lastHeaderUpdate = 0;
    std::string writeError;
    std::vector<RecordingGap> gaps;
    std::vector<const float*> channelPtrs;
    std::uint64_t fileIdentity[2] = {0, 0}; // device and inode of the file at open
};
} // namespace wb
