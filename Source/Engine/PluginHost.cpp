#include "Engine/PluginHost.h"

#include <lilv/lilv.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace wb
{
namespace
{
constexpr const char* kLv2 = "LV2";
constexpr const char* kVst3 = "VST3";

std::vector<std::string> splitColonList(const char* list)
{
    std::vector<std::string> out;
    if (list == nullptr)
        return out;
    std::string item;
    for (const char* c = list;; ++c)
    {
        if (*c == ':' || *c == '\0')
        {
            if (!item.empty())
                out.push_back(item);
            item.clear();
            if (*c == '\0')
                break;
        }
        else
            item += *c;
    }
    return out;
}

std::string expandHome(const std::string& path)
{
    if (path.rfind("~/", 0) != 0)
        return path;
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : "") + path.substr(1);
}

/// The URIs of the LV2 plugins whose bundles are in `folders`, and only those: a lilv world of
/// its own (JUCE's LV2 world always holds the standard folders as well, so it cannot answer
/// "what is in LV2_PATH"). lilv is the copy bundled in juce_audio_processors; it reads manifests,
/// no plugin code.
std::vector<std::string> lv2UrisIn(const std::vector<std::string>& folders)
{
    std::string joined;
    for (const auto& f : folders)
        joined += (joined.empty() ? "" : ":") + f;
    std::vector<std::string> uris;
    LilvWorld* world = lilv_world_new();
    LilvNode* path = lilv_new_string(world, joined.c_str());
    lilv_world_set_option(world, LILV_OPTION_LV2_PATH, path);
    lilv_node_free(path);
    lilv_world_load_all(world);
    const LilvPlugins* plugins = lilv_world_get_all_plugins(world);
    LILV_FOREACH(plugins, it, plugins)
    {
        const LilvPlugin* plugin = lilv_plugins_get(plugins, it);
        uris.emplace_back(lilv_node_as_uri(lilv_plugin_get_uri(plugin)));
    }
    lilv_world_free(world);
    return uris;
}

juce::FileSearchPath toSearchPath(const std::vector<std::string>& folders)
{
    juce::FileSearchPath path;
    for (const auto& f : folders)
        if (std::filesystem::is_directory(f))
            path.add(juce::File(f));
    return path;
}
} // namespace

std::string PluginRef::spelled() const
{
    return format == kLv2 ? "lv2:" + identifier : identifier;
}

std::optional<PluginRef> parsePluginRef(const std::string& text, std::string& error)
{
    if (text.rfind("lv2:", 0) == 0 && text.size() > 4)
        return PluginRef{kLv2, text.substr(4)};
    std::string path = text.rfind("vst3:", 0) == 0 ? text.substr(5) : text;
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".vst3") == 0)
        return PluginRef{kVst3, std::filesystem::absolute(path).lexically_normal().string()};
    error = "'" + text + "' names no plugin: write lv2:URI (see `wavebench plugins`) or the path of a .vst3 bundle";
    return std::nullopt;
}

PluginHost::PluginHost()
{
    formats_.addDefaultFormats(); // LV2 and VST3: JUCE's module is built with both (cmake/WavebenchJuce.cmake)
}

PluginHost::~PluginHost() = default;

std::vector<std::string> PluginHost::searchFolders(const std::string& formatName)
{
    // As lilv does: a set LV2_PATH replaces the standard folders (so a test, or a user, can scan
    // one folder alone); VST3_PATH likewise.
    const bool lv2 = formatName == kLv2;
    auto folders = splitColonList(std::getenv(lv2 ? "LV2_PATH" : "VST3_PATH"));
    if (folders.empty())
        folders = lv2 ? std::vector<std::string>{"~/.lv2", "/usr/lib/lv2", "/usr/local/lib/lv2"}
                      : std::vector<std::string>{"~/.vst3", "/usr/lib/vst3", "/usr/local/lib/vst3"};
    for (auto& f : folders)
        f = expandHome(f);
    return folders;
}

juce::AudioPluginFormat* PluginHost::format(const std::string& name) const
{
    for (auto* f : formats_.getFormats())
        if (f->getName().toStdString() == name)
            return f;
    return nullptr;
}

void PluginHost::loadLv2Folders()
{
    // JUCE's LV2 world loads the standard folders only; lilv reads the list we give it instead
    // (LV2_PATH first), and a URI is found only after this.
    // Only folders that world does not hold yet: loading a bundle a second time makes lilv
    // "reload" every plugin in it (a warning per plugin on stderr, and the manifests read twice).
    if (lv2FoldersLoaded_)
        return;
    lv2FoldersLoaded_ = true;
    auto* lv2 = format(kLv2);
    if (lv2 == nullptr)
        return;
    const auto standard = lv2->getDefaultLocationsToSearch();
    std::vector<std::string> extra;
    for (const auto& folder : searchFolders(kLv2))
    {
        bool known = false;
        for (int i = 0; i < standard.getNumPaths(); ++i)
            known = known || standard[i] == juce::File(folder);
        if (!known)
            extra.push_back(folder);
    }
    if (!extra.empty())
        (void)lv2->searchPathsForPlugins(toSearchPath(extra), true, false);
}

std::vector<std::string> PluginHost::findIdentifiers(const std::string& formatName)
{
    auto* f = format(formatName);
    if (f == nullptr)
        return {};
    std::vector<std::string> ids;
    if (formatName == kLv2)
        ids = lv2UrisIn(searchFolders(kLv2));
    else
        for (const auto& s : f->searchPathsForPlugins(toSearchPath(searchFolders(formatName)), true, false))
            ids.push_back(s.toStdString());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::optional<juce::PluginDescription> PluginHost::describe(const PluginRef& ref, std::string& error)
{
    auto* f = format(ref.format);
    if (f == nullptr)
    {
        error = ref.format + " hosting is not built in";
        return std::nullopt;
    }
    if (ref.format == kLv2)
        loadLv2Folders();
    else if (!std::filesystem::exists(ref.identifier))
    {
        error = "no such plugin: " + ref.identifier;
        return std::nullopt;
    }
    juce::OwnedArray<juce::PluginDescription> found;
    f->findAllTypesForFile(found, juce::String(ref.identifier));
    if (found.isEmpty())
    {
        error = ref.format == kLv2 ? "no LV2 plugin with the URI " + ref.identifier + " in "
                                         + toSearchPath(searchFolders(kLv2)).toString().toStdString()
                                   : "no VST3 plugin could be read from " + ref.identifier;
        return std::nullopt;
    }
    return *found.getFirst();
}

std::unique_ptr<juce::AudioPluginInstance> PluginHost::instantiate(const juce::PluginDescription& description,
                                                                   double sampleRate, int blockSize,
                                                                   std::string& error)
{
    juce::String why;
    auto instance = formats_.createPluginInstance(description, sampleRate, blockSize, why);
    if (instance == nullptr)
        error = why.isEmpty() ? std::string("the plugin could not be instantiated") : why.toStdString();
    return instance;
}

juce::AudioProcessorParameter* findParameterByName(juce::AudioPluginInstance& instance, const std::string& name)
{
    const auto& params = instance.getParameters();
    for (auto* p : params)
        if (p->getName(1024).toStdString() == name)
            return p;
    for (auto* p : params)
        if (p->getName(1024).equalsIgnoreCase(juce::String(name)))
            return p;
    return nullptr;
}

bool setParameterInUnits(juce::AudioProcessorParameter& parameter, float value)
{
    const float normalised = parameter.getValueForText(juce::String(value));
    parameter.setValue(normalised);
    if (parameter.isDiscrete() || parameter.isBoolean())
        return true;
    const float readBack = parameter.getText(normalised, 64).getFloatValue();
    return std::abs(readBack - value) <= 1e-3f * std::max(1.0f, std::abs(value));
}
} // namespace wb
