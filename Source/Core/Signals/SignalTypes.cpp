#include "Core/Signals/SignalTypes.h"

namespace wb
{
namespace
{
struct KindName
{
    SignalKind kind;
    std::string_view name;
};

constexpr std::array<KindName, kNumSignalKinds> kKindNames{{
    {SignalKind::Silence, "silence"},
    {SignalKind::Dc, "dc"},
    {SignalKind::Sine, "sine"},
    {SignalKind::Square, "square"},
    {SignalKind::Saw, "saw"},
    {SignalKind::Triangle, "triangle"},
    {SignalKind::WhiteUniform, "white"},
    {SignalKind::WhiteGaussian, "white-gaussian"},
    {SignalKind::Pink, "pink"},
    {SignalKind::Brown, "brown"},
    {SignalKind::Impulse, "impulse"},
    {SignalKind::SweepLog, "sweep-log"},
    {SignalKind::SweepLin, "sweep-lin"},
}};
} // namespace

std::string_view signalKindName(SignalKind k) noexcept
{
    for (const auto& kn : kKindNames)
        if (kn.kind == k)
            return kn.name;
    return "unknown";
}

std::optional<SignalKind> parseSignalKind(std::string_view name) noexcept
{
    for (const auto& kn : kKindNames)
        if (kn.name == name)
            return kn.kind;
    return std::nullopt;
}
} // namespace wb
