#include "Core/Realtime/BufferPool.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace wb
{
namespace
{
constexpr std::size_t kAlignBytes = 64;
constexpr std::size_t kFloatsPerAlign = kAlignBytes / sizeof(float);
} // namespace

void PooledBuffer::clear() noexcept
{
    for (std::size_t ch = 0; ch < numChannels_; ++ch)
        std::memset(channels_[ch], 0, maxFrames_ * sizeof(float));
}

BufferPool::~BufferPool()
{
    release();
}

void BufferPool::release()
{
    buffers_.reset();
    channelPointers_.reset();
    freeStack_.reset();
    std::free(samples_);
    samples_ = nullptr;
    freeTop_ = 0;
    capacity_.store(0, std::memory_order_relaxed);
    numChannels_.store(0, std::memory_order_relaxed);
    maxFrames_.store(0, std::memory_order_relaxed);
    bytes_.store(0, std::memory_order_relaxed);
    inUse_.store(0, std::memory_order_relaxed);
    highWater_.store(0, std::memory_order_relaxed);
    failedAcquires_.store(0, std::memory_order_relaxed);
    badReleases_.store(0, std::memory_order_relaxed);
}

bool BufferPool::prepare(std::size_t numBuffers, std::size_t numChannels, std::size_t maxFrames)
{
    release();
    if (numBuffers == 0 || numChannels == 0 || maxFrames == 0 || numBuffers > 0xFFFF'FFFFu)
        return false;

    // Pad each channel to a whole number of cache lines so every channel starts aligned.
    const std::size_t stride = (maxFrames + kFloatsPerAlign - 1) / kFloatsPerAlign * kFloatsPerAlign;
    const std::size_t totalFloats = numBuffers * numChannels * stride;
    const std::size_t bytes = totalFloats * sizeof(float);
    samples_ = static_cast<float*>(std::aligned_alloc(kAlignBytes, bytes)); // bytes is a multiple of 64
    buffers_.reset(new (std::nothrow) PooledBuffer[numBuffers]);
    channelPointers_.reset(new (std::nothrow) float*[numBuffers * numChannels]);
    freeStack_.reset(new (std::nothrow) std::uint32_t[numBuffers]);
    if (samples_ == nullptr || !buffers_ || !channelPointers_ || !freeStack_)
    {
        release();
        return false;
    }
    std::memset(samples_, 0, bytes);

    for (std::size_t b = 0; b < numBuffers; ++b)
    {
        PooledBuffer& buffer = buffers_[b];
        buffer.channels_ = channelPointers_.get() + b * numChannels;
        for (std::size_t ch = 0; ch < numChannels; ++ch)
            buffer.channels_[ch] = samples_ + (b * numChannels + ch) * stride;
        buffer.numChannels_ = numChannels;
        buffer.maxFrames_ = maxFrames;
        buffer.poolIndex_ = static_cast<std::uint32_t>(b);
        buffer.inUse_ = false;
        // Hand out buffer 0 first: the stack's top is the last element.
        freeStack_[b] = static_cast<std::uint32_t>(numBuffers - 1 - b);
    }
    freeTop_ = numBuffers;

    capacity_.store(numBuffers, std::memory_order_relaxed);
    numChannels_.store(numChannels, std::memory_order_relaxed);
    maxFrames_.store(maxFrames, std::memory_order_relaxed);
    bytes_.store(bytes, std::memory_order_relaxed);
    return true;
}

PooledBuffer* BufferPool::acquireOnAudio() noexcept
{
    if (freeTop_ == 0)
    {
        bump(failedAcquires_);
        return nullptr;
    }
    PooledBuffer& buffer = buffers_[freeStack_[--freeTop_]];
    buffer.inUse_ = true;
    const std::size_t inUse = inUse_.load(std::memory_order_relaxed) + 1;
    inUse_.store(inUse, std::memory_order_relaxed);
    if (inUse > highWater_.load(std::memory_order_relaxed))
        highWater_.store(inUse, std::memory_order_relaxed);
    return &buffer;
}

void BufferPool::releaseOnAudio(PooledBuffer* buffer) noexcept
{
    const std::size_t capacity = capacity_.load(std::memory_order_relaxed);
    // Pointer comparison only within our own array: check by index, not by address ordering.
    if (buffer == nullptr || buffer->poolIndex_ >= capacity || &buffers_[buffer->poolIndex_] != buffer
        || !buffer->inUse_)
    {
        bump(badReleases_);
        return;
    }
    buffer->inUse_ = false;
    freeStack_[freeTop_++] = buffer->poolIndex_;
    inUse_.store(inUse_.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
}

BufferPool::Stats BufferPool::statsFromUi() const noexcept
{
    Stats s;
    s.capacity = capacity_.load(std::memory_order_relaxed);
    s.inUse = inUse_.load(std::memory_order_relaxed);
    s.highWater = highWater_.load(std::memory_order_relaxed);
    s.failedAcquires = failedAcquires_.load(std::memory_order_relaxed);
    s.numChannels = numChannels_.load(std::memory_order_relaxed);
    s.maxFrames = maxFrames_.load(std::memory_order_relaxed);
    s.bytes = bytes_.load(std::memory_order_relaxed);
    return s;
}
} // namespace wb
