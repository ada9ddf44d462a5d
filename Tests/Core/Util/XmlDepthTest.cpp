// xmlNestingDepth: the flat scan that refuses a hostile settings file before JUCE's recursive XML
// parser sees it. Depths are counted by hand from the texts; the 100000-level text is the case of
// issue 15 that crashed the app at launch.
#include "Core/Util/XmlDepth.h"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("xmlNestingDepth counts element levels and skips what is not an element", "[core]")
{
    CHECK(wb::xmlNestingDepth("", 32) == 0);
    CHECK(wb::xmlNestingDepth("plain text > < no", 32) == 1); // "< no" opens a (malformed) element
    CHECK(wb::xmlNestingDepth("<a/>", 32) == 0);
    CHECK(wb::xmlNestingDepth("<a></a>", 32) == 1);
    CHECK(wb::xmlNestingDepth("<?xml version=\"1.0\"?>\n<a><b><c x=\"1\"/></b><b></b></a>", 32) == 2);
    // A '>' or "/>" inside a quoted value, a comment, CDATA or a declaration opens nothing.
    CHECK(wb::xmlNestingDepth("<a v='x/>' w=\"<b>\"><!-- <c><d> --><![CDATA[<e><f>]]><!DOCTYPE g></a>", 32) == 1);
    // The settings file of today's build: PROPERTIES > VALUE > WavebenchSession > Chain > Effect.
    CHECK(wb::xmlNestingDepth("<PROPERTIES><VALUE name=\"session\"><WavebenchSession schema=\"2\"><Generator/>"
                              "<Chain><Effect id=\"gain\"><Param path=\"Gain/gain\" value=\"0\"/></Effect></Chain>"
                              "</WavebenchSession></VALUE></PROPERTIES>",
                              32)
          == 5);
}

TEST_CASE("xmlNestingDepth stops early on a hostile nesting, without recursion", "[core]")
{
    std::string deep;
    for (int i = 0; i < 100000; ++i)
        deep += "<a>";
    CHECK(wb::xmlNestingDepth(deep, 32) == 33);         // stops one past the limit
    CHECK(wb::xmlNestingDepth(deep, 1000000) == 100000); // and counts them all when asked to
    // Unterminated pieces end the scan, never read past the text.
    CHECK(wb::xmlNestingDepth("<a><!-- never closed", 32) == 1);
    CHECK(wb::xmlNestingDepth("<a x=\"never closed", 32) == 1);
}
