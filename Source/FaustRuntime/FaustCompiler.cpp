#include "FaustRuntime/FaustCompiler.h"

#include <faust/dsp/libfaust.h>
#include <faust/dsp/llvm-dsp.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>

namespace wb::faustrt
{
namespace fs = std::filesystem;

std::string CompileError::text() const
{
    std::string where = file;
    if (!where.empty() && line > 0)
        where += ":" + std::to_string(line);
    return where.empty() ? message : where + ": " + message;
}

CompileError parseFaustError(const std::string& faustText, const std::string& mainPath)
{
    CompileError e;
    std::string text = faustText;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    // "tone.d : 3 : ERROR : undefined symbol : foo" (the first line; Faust may add lines).
    static const std::regex located(R"(^(.*?) : (\d+) : ERROR : ([\s\S]*)$)");
    static const std::regex plain(R"(^ERROR : ([\s\S]*)$)");
    std::smatch m;
    if (std::regex_match(text, m, located))
    {
        const std::string named = m[1].str();
        e.line = std::stoi(m[2].str());
        e.message = m[3].str();
        const fs::path main(mainPath);
        const std::string mainName = main.filename().string();
        // Faust shortens the program's own name (tone.dsp -> "tone.d"); a library keeps its name.
        if (!mainPath.empty() && (named == mainName || (!named.empty() && mainName.rfind(named, 0) == 0)))
            e.file = mainPath;
        else if (fs::path(named).is_absolute())
            e.file = named;
        else if (!mainPath.empty() && fs::exists(main.parent_path() / named))
            e.file = (main.parent_path() / named).string();
        else if (fs::exists(fs::path(faustLibraryDir()) / named))
            e.file = (fs::path(faustLibraryDir()) / named).string();
        else
            e.file = named;
        return e;
    }
    e.file = mainPath;
    e.message = std::regex_match(text, m, plain) ? m[1].str() : text;
    if (e.message.empty())
        e.message = "the Faust compiler failed without a message";
    return e;
}

FaustSource FaustSource::file(const std::string& path)
{
    FaustSource s;
    std::error_code ec;
    const auto absolute = fs::absolute(path, ec);
    s.path = (ec ? fs::path(path) : absolute.lexically_normal()).string();
    s.name = fs::path(path).stem().string();
    return s;
}

FaustSource FaustSource::text(std::string name, std::string code, std::string importDir)
{
    FaustSource s;
    s.name = std::move(name);
    s.code = std::move(code);
    s.importDir = std::move(importDir);
    return s;
}

std::string FaustSource::displayName() const
{
    return path.empty() ? "<" + name + ">" : path;
}

const std::vector<std::string>& compileOptions()
{
    static const std::vector<std::string> options{"-ftz", "2"};
    return options;
}

std::string readFileText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string faustLibraryDir()
{
    return WB_FAUST_LIBRARY_DIR;
}

void ensureFaustMultiThreaded()
{
    static std::once_flag once;
    std::call_once(once, [] { startMTDSPFactories(); });
}

std::string libfaustVersion()
{
    return getCLibFaustVersion();
}

std::string machineTarget()
{
    ensureFaustMultiThreaded();
    return getDSPMachineTarget();
}

namespace
{
/// -I <own folder> -I <Faust libraries> plus compileOptions(), as libfaust takes them.
struct Arguments
{
    std::vector<std::string> strings;
    std::vector<const char*> argv;

    explicit Arguments(const FaustSource& source)
    {
        const std::string own = source.path.empty() ? source.importDir : fs::path(source.path).parent_path().string();
        if (!own.empty())
            strings.insert(strings.end(), {"-I", own});
        strings.insert(strings.end(), {"-I", faustLibraryDir()});
        strings.insert(strings.end(), compileOptions().begin(), compileOptions().end());
        for (const auto& s : strings)
            argv.push_back(s.c_str());
    }
    [[nodiscard]] int argc() const { return static_cast<int>(argv.size()); }
};

bool blank(const std::string& text)
{
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

/// The expanded text without the libraries' own metadata lines (`declare filters_lib_... "..."`):
/// libfaust 2.54.9 writes some of them differently in an expansion that follows a compile in the
/// same process (measured: filters_lib_lowpass0_highpass1's license, then its copyright), which
/// would give unchanged content a new key. The program's own declarations stay in the key.
std::string keyMaterial(const std::string& expanded)
{
    std::string out;
    out.reserve(expanded.size());
    std::istringstream lines(expanded);
    for (std::string line; std::getline(lines, line);)
    {
        if (line.rfind("declare ", 0) == 0)
        {
            const auto name = line.substr(8, line.find(' ', 8) - 8);
            if (name.find("_lib_") != std::string::npos)
                continue;
        }
        out += line;
        out += '\n';
    }
    return out;
}

std::string keyOf(const std::string& expanded)
{
    std::string material = keyMaterial(expanded);
    material += "\n--options";
    for (const auto& o : compileOptions())
        material += " " + o;
    material += "\n--libfaust " + libfaustVersion() + "\n--target " + machineTarget();
    return generateSHA1(material);
}

std::atomic<std::int64_t> instanceCount{0};

/// The ::dsp the engine hosts: forwards to the libfaust instance and keeps its module (so its
/// factory) alive. Members in this order: the instance is deleted before the module is released.
class RuntimeDsp final : public ::dsp
{
public:
    RuntimeDsp(std::shared_ptr<const FaustModule> m, ::dsp* d) : module(std::move(m)), instance(d)
    {
        instanceCount.fetch_add(1, std::memory_order_relaxed);
    }
    ~RuntimeDsp() override { instanceCount.fetch_sub(1, std::memory_order_relaxed); }

    int getNumInputs() override { return instance->getNumInputs(); }
    int getNumOutputs() override { return instance->getNumOutputs(); }
    void buildUserInterface(UI* ui) override { instance->buildUserInterface(ui); }
    int getSampleRate() override { return instance->getSampleRate(); }
    void init(int rate) override { instance->init(rate); }
    void instanceInit(int rate) override { instance->instanceInit(rate); }
    void instanceConstants(int rate) override { instance->instanceConstants(rate); }
    void instanceResetUserInterface() override { instance->instanceResetUserInterface(); }
    void instanceClear() override { instance->instanceClear(); }
    ::dsp* clone() override { return new RuntimeDsp(module, instance->clone()); }
    void metadata(Meta* m) override { instance->metadata(m); }
    void compute(int count, FAUSTFLOAT** in, FAUSTFLOAT** out) override { instance->compute(count, in, out); }
    void compute(double date, int count, FAUSTFLOAT** in, FAUSTFLOAT** out) override
    {
        instance->compute(date, count, in, out);
    }

private:
    std::shared_ptr<const FaustModule> module;
    std::unique_ptr<::dsp> instance;
};
} // namespace

std::optional<ExpandedSource> expandSource(const FaustSource& source, CompileError& error)
{
    ensureFaustMultiThreaded();
    error = {};
    if (!source.path.empty())
    {
        std::ifstream in(source.path, std::ios::binary);
        if (!in)
        {
            error = {source.path, 0, "cannot read the file"};
            return std::nullopt;
        }
        std::ostringstream text;
        text << in.rdbuf();
        if (blank(text.str()))
        {
            error = {source.path, 0, "the file is empty (a Faust program needs a 'process = ...;' line)"};
            return std::nullopt;
        }
    }
    else if (blank(source.code))
    {
        error = {source.displayName(), 0, "the program is empty (it needs a 'process = ...;' line)"};
        return std::nullopt;
    }
    Arguments args(source);
    std::string sha, message;
    std::string expanded = source.path.empty()
                               ? expandDSPFromString(source.name, source.code, args.argc(), args.argv.data(), sha, message)
                               : expandDSPFromFile(source.path, args.argc(), args.argv.data(), sha, message);
    if (expanded.empty() || !message.empty())
    {
        error = parseFaustError(message, source.path.empty() ? source.displayName() : source.path);
        return std::nullopt;
    }
    return ExpandedSource{expanded, keyOf(expanded)};
}

std::shared_ptr<llvm_dsp_factory> adoptFactory(llvm_dsp_factory* factory)
{
    if (factory == nullptr)
        return nullptr;
    return {factory, [](llvm_dsp_factory* f) { deleteDSPFactory(f); }};
}

std::shared_ptr<FaustModule> compileExpanded(const FaustSource& source, const ExpandedSource& expanded,
                                             CompileError& error)
{
    ensureFaustMultiThreaded();
    Arguments args(source);
    std::string message;
    const auto start = std::chrono::steady_clock::now();
    // The expanded text holds every import: what was hashed is exactly what is compiled.
    auto factory = adoptFactory(createDSPFactoryFromString(source.name, expanded.text, args.argc(), args.argv.data(),
                                                           "", message, -1));
    const auto stop = std::chrono::steady_clock::now();
    if (factory == nullptr)
    {
        // An error past parsing (types, ...): its lines would count in the expanded text, so ask
        // again from the original to report the user's own file and line.
        std::string original;
        if (!source.path.empty())
        {
            auto again = adoptFactory(
                createDSPFactoryFromFile(source.path, args.argc(), args.argv.data(), "", original, -1));
            (void) again;
        }
        error = parseFaustError(original.empty() ? message : original,
                                source.path.empty() ? source.displayName() : source.path);
        return nullptr;
    }
    auto module = std::make_shared<FaustModule>();
    module->key = expanded.key;
    module->source = source;
    module->source.code.clear();
    module->factory = std::move(factory);
    module->compileMs = std::chrono::duration<double, std::milli>(stop - start).count();
    probeChannels(*module);
    return module;
}

void probeChannels(FaustModule& module)
{
    std::unique_ptr<::dsp> probe(module.factory->createDSPInstance());
    module.inputs = probe->getNumInputs();
    module.outputs = probe->getNumOutputs();
}

std::unique_ptr<::dsp> createInstance(const std::shared_ptr<const FaustModule>& module)
{
    ensureFaustMultiThreaded();
    return std::make_unique<RuntimeDsp>(module, module->factory->createDSPInstance());
}

std::int64_t liveInstances() noexcept
{
    return instanceCount.load(std::memory_order_relaxed);
}
} // namespace wb::faustrt
