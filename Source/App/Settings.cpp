#include "App/Settings.h"

#include "Core/Util/XmlDepth.h"

namespace wb::app
{
namespace
{
juce::File backupFileFor(const juce::File& file)
{
    const auto stamp = juce::Time::getCurrentTime().formatted("%Y%m%d-%H%M%S");
    return file.getSiblingFile(file.getFileName() + ".bad-" + stamp).getNonexistentSibling(false);
}

/// Why `file` must not be parsed ("" when it may be): too big, or nested too deeply.
juce::String refusalOf(const juce::File& file)
{
    if (!file.existsAsFile())
        return {};
    if (const auto size = file.getSize(); size > Settings::kMaxFileBytes)
        return "is " + juce::File::descriptionOfSizeInBytes(size) + " (at most "
             + juce::File::descriptionOfSizeInBytes(Settings::kMaxFileBytes) + ")";
    juce::MemoryBlock bytes;
    if (!file.loadFileAsData(bytes))
        return "could not be read";
    const std::string_view text(static_cast<const char*>(bytes.getData()), bytes.getSize());
    // Only the XML form: JUCE would also read its binary form, whose gzip variant can unpack a
    // small file into gigabytes. Written by Wavebench, the file starts with '<' (after a BOM).
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || (text[start] != '<' && !text.substr(start).starts_with("\xEF\xBB\xBF<")))
        return "is not readable XML";
    if (const auto depth = xmlNestingDepth(text, Settings::kMaxXmlDepth); depth > Settings::kMaxXmlDepth)
        return "nests its XML more than " + juce::String(int(Settings::kMaxXmlDepth)) + " levels deep";
    return {};
}
} // namespace

Settings::Settings()
{
    juce::PropertiesFile::Options o;
    o.applicationName = "Wavebench";
    o.filenameSuffix = ".settings";
    o.osxLibrarySubFolder = "Application Support";
    o.folderName = "Wavebench";
    o.storageFormat = juce::PropertiesFile::storeAsXML;
    o.millisecondsBeforeSaving = 500;
    juce::File path = o.getDefaultFile();
    if (const char* dir = std::getenv("WAVEBENCH_SETTINGS_DIR"); dir != nullptr && *dir != '\0')
    {
        juce::File folder(juce::String::fromUTF8(dir));
        folder.createDirectory();
        path = folder.getChildFile("Wavebench.settings");
    }
    // Checked before JUCE parses it (PropertiesFile reads the file in its constructor).
    auto why = refusalOf(path);
    if (why.isEmpty())
    {
        props = std::make_unique<juce::PropertiesFile>(path, o);
        if (path.existsAsFile() && !props->isValidFile())
            why = "is not readable XML";
        // A value may hold XML escaped in an attribute (val="&lt;a&gt;..."), which the scan of
        // the file did not see as elements: JUCE parses it on getXmlValue and again on save.
        for (const auto& value : props->getAllProperties().getAllValues())
            if (why.isEmpty() && xmlNestingDepth(value.toStdString(), kMaxXmlDepth) > kMaxXmlDepth)
                why = "holds a value whose XML nests more than " + juce::String(int(kMaxXmlDepth)) + " levels deep";
    }
    if (why.isNotEmpty())
    {
        const auto backup = backupFileFor(path);
        const bool kept = path.moveFileTo(backup);
        problem = "The settings file " + path.getFullPathName() + " " + why + "; started with defaults"
                + (kept ? ", the old file kept as " + backup.getFileName() : ", and it could not be moved aside")
                + ".";
        juce::Logger::writeToLog("Wavebench: " + problem);
        props = std::make_unique<juce::PropertiesFile>(kept ? path : backup.getSiblingFile(path.getFileName() + ".new"), o);
    }
}

bool Settings::save()
{
    if (props->saveIfNeeded())
        return true;
    juce::Logger::writeToLog("Wavebench: could not save settings to " + props->getFile().getFullPathName());
    return false;
}

juce::File Settings::keepBackup() const
{
    const auto file = props->getFile();
    if (!file.existsAsFile())
        return {};
    const auto backup = backupFileFor(file);
    return file.copyFileTo(backup) ? backup : juce::File();
}

std::optional<juce::String> Settings::clampedWindowState(const juce::String& saved, juce::Rectangle<int> screen,
                                                         juce::Point<int> minimum)
{
    juce::StringArray tokens;
    tokens.addTokens(saved, false);
    tokens.removeEmptyStrings();
    tokens.trim();
    const int first = tokens[0].startsWithIgnoreCase("fs") ? 1 : 0;
    if (tokens.size() < first + 4)
        return std::nullopt;
    int v[4] = {};
    for (int k = 0; k < 4; ++k)
    {
        // Whole numbers only: JUCE's getIntValue reads "nan" and "1e999" as 0 or garbage.
        const auto& t = tokens[first + k];
        if (t.isEmpty() || !t.trimCharactersAtStart("-").containsOnly("0123456789") || t.length() > 9)
            return std::nullopt;
        v[k] = t.getIntValue();
    }
    const int w = juce::jlimit(std::min(minimum.x, screen.getWidth()), screen.getWidth(), v[2]);
    const int h = juce::jlimit(std::min(minimum.y, screen.getHeight()), screen.getHeight(), v[3]);
    const int x = juce::jlimit(screen.getX(), screen.getRight() - w, v[0]);
    const int y = juce::jlimit(screen.getY(), screen.getBottom() - h, v[1]);
    return juce::String(x) + " " + juce::String(y) + " " + juce::String(w) + " " + juce::String(h);
}
} // namespace wb::app
