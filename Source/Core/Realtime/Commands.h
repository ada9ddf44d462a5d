#pragma once
// UI -> audio commands: small, trivially copyable messages carried by CommandQueue and handed to
// per-target handlers by CommandDispatcher at the start of each audio block.
#include <array>
#include <atomic>
#include <cstdint>
#include <type_traits>

namespace wb
{
/// Identifies a command target (a graph node, the engine, a chain slot owner).
using NodeId = std::uint32_t;
/// The engine itself (transport, meters of all taps, chain edits).
inline constexpr NodeId kEngineNode = 0;
/// Every registered handler receives the command (e.g. ResetMeters for all taps).
inline constexpr NodeId kAllNodes = 0xFFFF'FFFFu;
/// rampSeconds value meaning "use the node's default smoothing time".
inline constexpr double kDefaultRamp = -1.0;

enum class CommandType : std::uint32_t
{
    none = 0,
    setParameter,   // target node, index = parameter index, value, sampleOffset, rampSeconds
    setSignal,      // target generator, index = signal kind id, args = signal parameters
    setBypass,      // target node, value = 1 bypassed / 0 active, sampleOffset
    resetMeters,    // target node or kAllNodes
    start,          // target kEngineNode (or a generator), sampleOffset
    stop,           // target kEngineNode (or a generator), sampleOffset
    addSlot,        // target chain owner, index = slot position, args[0] = effect id (as double)
    removeSlot,     // target chain owner, index = slot position
    userBase = 1000 // later command kinds number from here
};

/// One command. Field meaning depends on `type` (see CommandType); unused fields are zero.
/// 64 bytes: one cache line.
struct Command
{
    static constexpr std::size_t kMaxArgs = 4;

    CommandType type = CommandType::none;
    NodeId target = kEngineNode;
    std::uint32_t index = 0;        // parameter index / signal kind / slot position
    std::uint32_t sampleOffset = 0; // frames into the next block at which it takes effect
    double value = 0.0;
    double rampSeconds = kDefaultRamp;
    std::array<double, kMaxArgs> args{};

    [[nodiscard]] static constexpr Command setParameter(NodeId node, std::uint32_t parameterIndex,
                                                        double newValue, std::uint32_t offset = 0,
                                                        double ramp = kDefaultRamp) noexcept
    {
        Command c;
        c.type = CommandType::setParameter;
        c.target = node;
        c.index = parameterIndex;
        c.value = newValue;
        c.sampleOffset = offset;
        c.rampSeconds = ramp;
        return c;
    }

    /// `signalArgs` e.g. {frequency Hz, level dBFS, end frequency Hz, duration s}; the generator
    /// documents its own order.
    [[nodiscard]] static constexpr Command setSignal(NodeId generator, std::uint32_t signalKind,
                                                     std::array<double, kMaxArgs> signalArgs,
                                                     std::uint32_t offset = 0) noexcept
    {
        Command c;
        c.type = CommandType::setSignal;
        c.target = generator;
        c.index = signalKind;
        c.args = signalArgs;
        c.sampleOffset = offset;
        return c;
    }

    [[nodiscard]] static constexpr Command setBypass(NodeId node, bool bypassed,
                                                     std::uint32_t offset = 0) noexcept
    {
        Command c;
        c.type = CommandType::setBypass;
        c.target = node;
        c.value = bypassed ? 1.0 : 0.0;
        c.sampleOffset = offset;
        return c;
    }

    [[nodiscard]] static constexpr Command resetMeters(NodeId node = kAllNodes) noexcept
    {
        Command c;
        c.type = CommandType::resetMeters;
        c.target = node;
        return c;
    }

    [[nodiscard]] static constexpr Command start(NodeId node = kEngineNode, std::uint32_t offset = 0) noexcept
    {
        Command c;
        c.type = CommandType::start;
        c.target = node;
        c.sampleOffset = offset;
        return c;
    }

    [[nodiscard]] static constexpr Command stop(NodeId node = kEngineNode, std::uint32_t offset = 0) noexcept
    {
        Command c;
        c.type = CommandType::stop;
        c.target = node;
        c.sampleOffset = offset;
        return c;
    }

    [[nodiscard]] static constexpr Command addSlot(NodeId chainOwner, std::uint32_t position,
                                                   std::uint32_t effectId) noexcept
    {
        Command c;
        c.type = CommandType::addSlot;
        c.target = chainOwner;
        c.index = position;
        c.args[0] = static_cast<double>(effectId);
        return c;
    }

    [[nodiscard]] static constexpr Command removeSlot(NodeId chainOwner, std::uint32_t position) noexcept
    {
        Command c;
        c.type = CommandType::removeSlot;
        c.target = chainOwner;
        c.index = position;
        return c;
    }

    [[nodiscard]] constexpr bool bypassed() const noexcept { return value != 0.0; }
};

static_assert(std::is_trivially_copyable_v<Command>);
static_assert(sizeof(Command) == 64, "one cache line per command");
} // namespace wb
