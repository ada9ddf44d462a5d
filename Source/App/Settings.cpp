#include "App/Settings.h"

namespace wb::app
{
Settings::Settings()
{
    juce::PropertiesFile::Options o;
    o.applicationName = "Wavebench";
    o.filenameSuffix = ".settings";
    o.osxLibrarySubFolder = "Application Support";
    o.folderName = "Wavebench";
    o.storageFormat = juce::PropertiesFile::storeAsXML;
    o.millisecondsBeforeSaving = 500;
    if (const char* dir = std::getenv("WAVEBENCH_SETTINGS_DIR"); dir != nullptr && *dir != '\0')
    {
        juce::File folder(juce::String::fromUTF8(dir));
        folder.createDirectory();
        props = std::make_unique<juce::PropertiesFile>(folder.getChildFile("Wavebench.settings"), o);
    }
    else
    {
        props = std::make_unique<juce::PropertiesFile>(o);
    }
}

bool Settings::save()
{
    if (props->saveIfNeeded())
        return true;
    juce::Logger::writeToLog("Wavebench: could not save settings to " + props->getFile().getFullPathName());
    return false;
}
} // namespace wb::app
