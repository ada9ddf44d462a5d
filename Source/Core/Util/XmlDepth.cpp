#include "Core/Util/XmlDepth.h"

#include <algorithm>

namespace wb
{
std::size_t xmlNestingDepth(std::string_view text, std::size_t stopAbove) noexcept
{
    std::size_t depth = 0, deepest = 0;
    std::size_t i = 0;
    const auto skipPast = [&](std::string_view end)
    {
        const auto at = text.find(end, i);
        i = at == std::string_view::npos ? text.size() : at + end.size();
    };
    while (i < text.size())
    {
        if (text[i] != '<')
        {
            ++i;
            continue;
        }
        const auto rest = text.substr(i);
        if (rest.starts_with("<!--"))
            skipPast("-->");
        else if (rest.starts_with("<![CDATA["))
            skipPast("]]>");
        else if (rest.starts_with("<?"))
            skipPast("?>");
        else if (rest.starts_with("<!"))
            skipPast(">");
        else if (rest.starts_with("</"))
        {
            depth = depth > 0 ? depth - 1 : 0;
            skipPast(">");
        }
        else
        {
            // An opening tag: up to its '>' outside quotes; "/>" closes it at once.
            ++i;
            char quote = 0;
            bool selfClosing = false;
            for (; i < text.size(); ++i)
            {
                const char c = text[i];
                if (quote != 0)
                {
                    if (c == quote)
                        quote = 0;
                }
                else if (c == '"' || c == '\'')
                    quote = c;
                else if (c == '>')
                {
                    selfClosing = text[i - 1] == '/';
                    ++i;
                    break;
                }
            }
            if (!selfClosing)
            {
                deepest = std::max(deepest, ++depth);
                if (deepest > stopAbove)
                    return deepest;
            }
        }
    }
    return deepest;
}
} // namespace wb
