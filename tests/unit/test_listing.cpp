#include <doctest/doctest.h>

#include "server/http/error_page.hpp"
#include "server/http/listing.hpp"

using namespace wasmdev::http;

TEST_CASE("render_listing: directories first - names escaped - links percent-encoded - self-check linked") {
    std::vector<ListingEntry> entries{
        {"z.wasm", false, 2048, 0},
        {"a b & <c> #%.txt", false, 5, 0},
        {"lib", true, 0, 0},
        {"\xC3\xA9t\xC3\xA9.txt", false, 1, 0},
    };
    auto html = render_listing("/x <y>/", "/x%20%3Cy%3E/", entries);
    CHECK(html.find("<title>Index of /x &lt;y&gt;/</title>") != std::string::npos);
    CHECK(html.find("href=\"/x%20%3Cy%3E/a%20b%20%26%20%3Cc%3E%20%23%25.txt\">a b &amp; &lt;c&gt; #%.txt</a>") !=
          std::string::npos);
    CHECK(html.find("href=\"/x%20%3Cy%3E/%C3%A9t%C3%A9.txt\"") != std::string::npos);
    CHECK(html.find("<c>") == std::string::npos);
    auto lib = html.find(">lib/</a>");
    auto first_file = html.find("a b &amp;");
    REQUIRE(lib != std::string::npos);
    CHECK(lib < first_file);
    CHECK(html.find("2.0 KiB") != std::string::npos);
    CHECK(html.find("href=\"/__wasmdev/\"") != std::string::npos);
    CHECK(html.find("href=\"../\"") != std::string::npos);
    CHECK(render_listing("/", "/", {}).find("href=\"../\"") == std::string::npos);
}

TEST_CASE("html_escape and error pages") {
    CHECK(html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    auto page = render_error_page(404, "no <such> file");
    CHECK(page.find("<h1>404 Not Found</h1>") != std::string::npos);
    CHECK(page.find("no &lt;such&gt; file") != std::string::npos);
}
