#include "Engine/EffectResolver.h"

#include "Faust/FaustCatalogue.h"
#include "FaustRuntime/ChannelFit.h"
#include "FaustRuntime/FaustModuleCache.h"

#include <filesystem>

namespace wb
{
bool isDspPath(std::string_view effectId) noexcept
{
    return effectId.size() > 4 && effectId.ends_with(".dsp");
}

std::string instanceBaseName(const std::string& effectId)
{
    return isDspPath(effectId) ? std::filesystem::path(effectId).stem().string() : effectId;
}

std::string canonicalEffectId(const std::string& effectId)
{
    return isDspPath(effectId) ? faustrt::FaustSource::file(effectId).path : effectId;
}

std::shared_ptr<const faustrt::FaustModule> loadDspFile(const std::string& path, faustrt::CompileError& error)
{
    return faustrt::FaustModuleCache::shared().load(faustrt::FaustSource::file(path), error);
}

std::optional<ResolvedEffect> resolveEffect(const std::string& effectId, std::string& error)
{
    if (!isDspPath(effectId))
    {
        const auto* entry = faust::findEffect(effectId);
        if (entry == nullptr)
        {
            error = "unknown effect '" + effectId + "'";
            return std::nullopt;
        }
        return ResolvedEffect{effectId, entry->create, entry->instanceBytes(), nullptr};
    }
    faustrt::CompileError compileError;
    auto module = loadDspFile(effectId, compileError);
    if (module == nullptr)
    {
        error = compileError.text();
        return std::nullopt;
    }
    if (const auto problem = faustrt::stereoFitProblem(module->inputs, module->outputs))
    {
        error = module->source.path + " cannot go in the effect chain: " + *problem;
        return std::nullopt;
    }
    ResolvedEffect r;
    r.effectId = module->source.path;
    r.module = module;
    r.create = [module] {
        return faustrt::fitToStereo(faustrt::createInstance(module), [&module] { return faustrt::createInstance(module); });
    };
    return r;
}
} // namespace wb
