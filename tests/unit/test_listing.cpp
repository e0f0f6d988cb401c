// Directory listings and error pages (docs/design.md#directories): directories first, names HTML-escaped,
// links percent-encoded, sizes and UTC times, hidden names absent, the self-check linked.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>

#include "server/http/error_page.hpp"
#include "server/http/listing.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::http;

namespace {

bool contains(std::string const& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("render_listing: the row of an awkward name is escaped and percent-encoded exactly") {
    std::vector<ListingEntry> entries{{"a b & <c> #%.txt", false, 5, 0}};
    auto html = render_listing("/x <y>/", "/x%20%3Cy%3E/", entries);
    CHECK(contains(html, "<title>Index of /x &lt;y&gt;/</title>"));
    CHECK(contains(html, "<h1>Index of /x &lt;y&gt;/</h1>"));
    CHECK(contains(html,
                   "<tr><td><a href=\"/x%20%3Cy%3E/a%20b%20%26%20%3Cc%3E%20%23%25.txt\">a b &amp; &lt;c&gt; #%.txt</a>"
                   "</td><td class=\"s\">5 B</td><td>1970-01-01 00:00 UTC</td></tr>\n"));
    CHECK_FALSE(contains(html, "<c>"));
    CHECK_FALSE(contains(html, "<y>"));
    CHECK(html.starts_with("<!doctype html>\n"));
    CHECK(contains(html, "<meta charset=\"utf-8\">"));
}

TEST_CASE("render_listing: quotes - non-ASCII and directory rows") {
    std::vector<ListingEntry> entries{
        {"q\"uote'.txt", false, 1, 0},
        {"\xC3\xA9t\xC3\xA9.txt", false, 1, 0},
        {"dir #1", true, 4096, 86400 + 3600 + 60},
    };
    auto html = render_listing("/", "/", entries);
    CHECK(contains(html, "<a href=\"/q%22uote%27.txt\">q&quot;uote&#39;.txt</a>"));
    CHECK(contains(html, "<a href=\"/%C3%A9t%C3%A9.txt\">\xC3\xA9t\xC3\xA9.txt</a>"));
    // A directory: trailing slash in link and name, no size, its time in UTC.
    CHECK(contains(html,
                   "<tr><td><a href=\"/dir%20%231/\">dir #1/</a></td><td class=\"s\">-</td>"
                   "<td>1970-01-02 01:01 UTC</td></tr>\n"));
}

TEST_CASE("render_listing: directories first - then names in byte order") {
    std::vector<ListingEntry> entries{
        {"z.wasm", false, 2048, 0}, {"b", true, 0, 0}, {"A.txt", false, 1, 0},
        {"a.txt", false, 1, 0},     {"Z", true, 0, 0}, {"lib", true, 0, 0},
    };
    auto html = render_listing("/p/", "/p/", entries);
    std::vector<std::size_t> at;
    for (std::string_view name : {">Z/</a>", ">b/</a>", ">lib/</a>", ">A.txt</a>", ">a.txt</a>", ">z.wasm</a>"}) {
        CAPTURE(name);
        auto pos = html.find(name);
        REQUIRE(pos != std::string::npos);
        at.push_back(pos);
    }
    CHECK(std::is_sorted(at.begin(), at.end()));
}

TEST_CASE("render_listing: sizes in B - KiB - MiB - GiB") {
    struct Row {
        std::uint64_t size;
        std::string_view shown;
    };
    Row const rows[] = {
        {0, ">0 B<"},        {1023, ">1023 B<"},         {1024, ">1.0 KiB<"},     {2048, ">2.0 KiB<"},
        {1536, ">1.5 KiB<"}, {1024 * 1024, ">1.0 MiB<"}, {5u << 20, ">5.0 MiB<"}, {3ull << 30, ">3.0 GiB<"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.size);
        auto html = render_listing("/", "/", {{"f", false, row.size, 0}});
        CHECK(contains(html, row.shown));
    }
}

TEST_CASE("render_listing: a parent link below the root - none at the root - the self-check always") {
    auto sub = render_listing("/a/", "/a/", {});
    CHECK(contains(sub, "<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n"));
    CHECK(contains(sub, "<a href=\"/__wasmdev/\">"));
    auto top = render_listing("/", "/", {});
    CHECK_FALSE(contains(top, "href=\"../\""));
    CHECK(contains(top, "<a href=\"/__wasmdev/\">"));
    CHECK(top.ends_with("</body></html>\n"));
}

TEST_CASE("html_escape: the five characters that matter in content and attributes") {
    struct Row {
        std::string_view in;
        std::string_view out;
    };
    Row const rows[] = {
        {"", ""},
        {"plain \xC3\xA9", "plain \xC3\xA9"},
        {"<a href=\"x\">&'", "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"},
        {"&amp;", "&amp;amp;"},
        {"a b & <c> #%.txt", "a b &amp; &lt;c&gt; #%.txt"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(html_escape(row.in) == row.out);
    }
}

TEST_CASE("render_error_page: status - reason and an escaped one-line cause") {
    auto page = render_error_page(404, "no <such> file");
    CHECK(page.starts_with("<!doctype html>\n"));
    CHECK(contains(page, "<title>404 Not Found</title>"));
    CHECK(contains(page, "<h1>404 Not Found</h1>"));
    CHECK(contains(page, "<p>no &lt;such&gt; file</p>"));
    CHECK_FALSE(contains(page, "<such>"));
    struct Row {
        unsigned status;
        std::string_view reason;
    };
    Row const rows[] = {
        {301, "Moved Permanently"},     {400, "Bad Request"},           {403, "Forbidden"}, {405, "Method Not Allowed"},
        {416, "Range Not Satisfiable"}, {500, "Internal Server Error"}, {599, "Error"}};
    for (auto const& row : rows) {
        CAPTURE(row.status);
        CHECK(reason_phrase(row.status) == row.reason);
        CHECK(contains(render_error_page(row.status, "x"),
                       "<h1>" + std::to_string(row.status) + " " + std::string(row.reason) + "</h1>"));
    }
}

TEST_CASE("render_listing: times are the UTC minute - sizes in B - KiB - MiB - GiB") {
    std::vector<ListingEntry> entries{{"a", false, 1023, 1795287959},
                                      {"b", false, 1536, 951782400},  // 2000-02-29 00:00:00
                                      {"c", false, 20u << 20, 0},
                                      {"d", false, 3ull << 30, 0}};
    auto html = render_listing("/", "/", entries);
    CHECK(contains(html, "<td class=\"s\">1023 B</td><td>2026-11-21 19:05 UTC</td>"));
    CHECK(contains(html, "<td class=\"s\">1.5 KiB</td><td>2000-02-29 00:00 UTC</td>"));
    CHECK(contains(html, "<td class=\"s\">20.0 MiB</td>"));
    CHECK(contains(html, "<td class=\"s\">3.0 GiB</td>"));
}

TEST_CASE("is_listable_name: a backslash in any position is not - its escape spelled out is") {
    // parse_target refuses every backslash (docs/design.md#paths), so a link to "a\\b.txt" would answer
    // 400; the listing shows only what a click can fetch.
    struct Row {
        std::string_view name;
        bool listable;
    };
    Row const rows[] = {
        {"a\\b.txt", false}, {"\\", false}, {"plain.txt", true}, {"a b %5C.txt", true}, {"\xC3\xA9 & <c>", true}};
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(is_listable_name(row.name) == row.listable);
    }
}
