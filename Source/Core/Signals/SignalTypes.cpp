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
    {SignalKind::silence, "silence"},
    {SignalKind::dc, "dc"},
    {SignalKind::sine, "sine"},
    {SignalKind::square, "square"},
    {SignalKind::saw, "saw"},
    {SignalKind::triangle, "triangle"},
    {SignalKind::whiteUniform, "white"},
    {SignalKind::whiteGaussian, "white-gaussian"},
    {SignalKind::pink, "pink"},
    {SignalKind::brown, "brown"},
    {SignalKind::impulse, "impulse"},
    {SignalKind::sweepLog, "sweep-log"},
    {SignalKind::sweepLin, "sweep-lin"},
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
