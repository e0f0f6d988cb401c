// `run --map URL-PREFIX=DIR` (server/run/url_map.hpp, mapped_file.hpp, base64.hpp): the flag's
// syntax, which URL falls under which map and the path it names below DIR, escapes refused,
// the Fetch pattern, the answer read from DIR with serve's MIME table, and the body's base64.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/run/base64.hpp"
#include "server/run/mapped_file.hpp"
#include "server/run/url_map.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::run;

namespace {

std::vector<UrlMap> maps_of(std::vector<std::string> const& values) {
    std::vector<UrlMap> maps;
    for (auto const& v : values) {
        std::string error;
        auto m = parse_url_map(v, error);
        REQUIRE_MESSAGE(m, error);
        maps.push_back(*m);
    }
    return maps;
}

std::string joined(std::vector<std::string> const& segments) {
    std::string out;
    for (auto const& s : segments) out += (out.empty() ? "" : "/") + s;
    return out;
}

}  // namespace

TEST_CASE("parse_url_map: a URL prefix ending in '/' and a directory, split at the first '='") {
    std::string error;
    auto m = parse_url_map("https://unpkg.com/xterm@4.18.0/=node_modules/xterm/", error);
    REQUIRE(m);
    CHECK(m->prefix == "https://unpkg.com/xterm@4.18.0/");
    CHECK(m->dir == "node_modules/xterm/");
    auto eq = parse_url_map("http://cdn.test/a/=dir=with=equals", error);
    REQUIRE(eq);
    CHECK(eq->prefix == "http://cdn.test/a/");
    CHECK(eq->dir == "dir=with=equals");
    auto upper = parse_url_map("HTTPS://CDN.Example:8443/Lib/=d", error);
    REQUIRE(upper);
    CHECK(upper->prefix == "https://cdn.example:8443/Lib/");  // scheme and host as the browser reports them
}

TEST_CASE("parse_url_map: refuses a value that is not URL-PREFIX=DIR with one sentence") {
    char const* const bad[] = {
        "https://unpkg.com/xterm/",         // no '='
        "https://unpkg.com/xterm/=",        // no DIR
        "=dir",                             // no prefix
        "ftp://host/path/=dir",             // not http(s)
        "unpkg.com/xterm/=dir",             // no scheme
        "https:///path/=dir",               // no host
        "https://unpkg.com=dir",            // no path
        "https://unpkg.com/xterm=dir",      // the path does not end in '/'
        "https://unpkg.com/a?b/=dir",       // a query
        "https://unpkg.com/a#b/=dir",       // a fragment
        "https://unpkg.com/*/=dir",         // a wildcard
        "https://unpkg.com/a b/=dir",       // a raw space
        "https://unpkg.com/\xc3\xa9/=dir",  // raw non-ASCII
    };
    for (auto const* v : bad) {
        CAPTURE(v);
        std::string error;
        CHECK_FALSE(parse_url_map(v, error));
        CHECK_FALSE(error.empty());
        CHECK(error.find('\n') == std::string::npos);
    }
}

TEST_CASE("map_url: the rest of a URL under a prefix names segments below that map's DIR") {
    auto maps = maps_of({"https://unpkg.com/xterm@4.18.0/=x", "https://cdn.test/=c"});
    struct Row {
        char const* url;
        MapMatch match;
        std::size_t map;
        char const* path;
        bool directory;
    };
    Row const rows[] = {
        {"https://unpkg.com/xterm@4.18.0/lib/xterm.js", MapMatch::mapped, 0, "lib/xterm.js", false},
        {"https://unpkg.com/xterm@4.18.0/css/xterm.css?v=1#top", MapMatch::mapped, 0, "css/xterm.css", false},
        {"https://unpkg.com/xterm@4.18.0/a%20b.js", MapMatch::mapped, 0, "a b.js", false},
        {"https://unpkg.com/xterm@4.18.0/", MapMatch::mapped, 0, "", true},
        {"https://unpkg.com/xterm@4.18.0/lib/", MapMatch::mapped, 0, "lib", true},
        {"https://cdn.test/x.js", MapMatch::mapped, 1, "x.js", false},
        {"https://unpkg.com/xterm@4.19.0/lib/xterm.js", MapMatch::not_mapped, 0, "", false},
        {"https://unpkg.com/xterm@4.18.0", MapMatch::not_mapped, 0, "", false},  // the directory itself, no '/'
        {"http://unpkg.com/xterm@4.18.0/lib/xterm.js", MapMatch::not_mapped, 0, "", false},  // another origin
        {"http://localhost:8000/python.html", MapMatch::not_mapped, 0, "", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        auto r = map_url(maps, row.url);
        CHECK(r.match == row.match);
        if (row.match != MapMatch::mapped) continue;
        CHECK(r.url.map == row.map);
        CHECK(joined(r.url.segments) == row.path);
        CHECK(r.url.names_directory == row.directory);
    }
}

TEST_CASE("map_url: no URL climbs above DIR; encoded separators and NUL are refused") {
    auto maps = maps_of({"https://cdn.test/lib/=d"});
    struct Row {
        char const* url;
        MapMatch match;
        char const* path;
    };
    Row const rows[] = {
        // Dot segments (a browser sends them encoded; a raw one reaches us only from fetch tricks)
        // resolve below DIR, never above it.
        {"https://cdn.test/lib/%2e%2e/%2e%2e/etc/passwd", MapMatch::mapped, "etc/passwd"},
        {"https://cdn.test/lib/../../etc/passwd", MapMatch::mapped, "etc/passwd"},
        {"https://cdn.test/lib/a/%2E%2E/b.js", MapMatch::mapped, "b.js"},
        {"https://cdn.test/lib/..", MapMatch::mapped, ""},
        {"https://cdn.test/lib/a%2fb.js", MapMatch::invalid, ""},
        {"https://cdn.test/lib/a%2F..%2F..%2Fb.js", MapMatch::invalid, ""},
        {"https://cdn.test/lib/a%5c..%5cb.js", MapMatch::invalid, ""},
        {"https://cdn.test/lib/a%00.js", MapMatch::invalid, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        auto r = map_url(maps, row.url);
        CHECK(r.match == row.match);
        if (r.match == MapMatch::mapped) CHECK(joined(r.url.segments) == row.path);
    }
}

TEST_CASE("fetch_pattern: the prefix with the pattern's wildcards escaped, then '*'") {
    CHECK(fetch_pattern("https://unpkg.com/xterm@4.18.0/") == "https://unpkg.com/xterm@4.18.0/*");
    CHECK(fetch_pattern("https://a.test/x*y?z\\/") == "https://a.test/x\\*y\\?z\\\\/*");
}

TEST_CASE("answer_mapped: the file below DIR with serve's MIME type; missing, dotfiles, escapes and non-GET refused") {
    wasmdev::test::TempTree outside({{"secret.js", "secret"}}, "map-outside");
    wasmdev::test::TempTree t({{"lib/xterm.js", "var x = 1;\n"},
                               {"css/xterm.css", ".xterm{}"},
                               {"python.wasm", std::string("\0asm", 4)},
                               {".env", "TOKEN=1"}},
                              "map");
    std::filesystem::create_symlink(outside.path / "secret.js", t.path / "escape.js");
    std::filesystem::create_symlink(t.path / "lib/xterm.js", t.path / "inside.js");
    auto maps = maps_of({"https://cdn.test/=" + t.path.string()});
    struct Row {
        char const* url;
        char const* method;
        int status;
        char const* type;
        char const* body;
    };
    Row const rows[] = {
        {"https://cdn.test/lib/xterm.js", "GET", 200, "text/javascript", "var x = 1;\n"},
        {"https://cdn.test/css/xterm.css", "GET", 200, "text/css; charset=utf-8", ".xterm{}"},
        {"https://cdn.test/lib/missing.js", "GET", 404, "", ""},
        {"https://cdn.test/lib/", "GET", 404, "", ""},
        {"https://cdn.test/.env", "GET", 404, "", ""},
        {"https://cdn.test/escape.js", "GET", 403, "", ""},
        {"https://cdn.test/%2e%2e/", "GET", 404, "", ""},
        {"https://cdn.test/lib/xterm.js", "POST", 405, "", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        CAPTURE(row.method);
        auto m = map_url(maps, row.url);
        REQUIRE(m.match == MapMatch::mapped);
        auto a = answer_mapped(t.path, m.url, row.method);
        CHECK(a.status == row.status);
        if (row.status == 200) {
            CHECK(a.content_type == row.type);
            CHECK(a.body == row.body);
            CHECK(a.problem.empty());
        } else {
            CHECK(a.body.empty());
            CHECK_FALSE(a.problem.empty());
            CHECK(a.problem.find("secret") == std::string::npos);
        }
    }
    auto wasm = answer_mapped(t.path, map_url(maps, "https://cdn.test/python.wasm").url, "GET");
    CHECK(wasm.content_type == "application/wasm");
    CHECK(wasm.body == std::string("\0asm", 4));
    auto inside = answer_mapped(t.path, map_url(maps, "https://cdn.test/inside.js").url, "GET");
    CHECK(inside.status == 200);  // a link that stays inside DIR is followed, as serve does
    CHECK(inside.body == "var x = 1;\n");
}

TEST_CASE("base64_encode: RFC 4648's test vectors and every byte value") {
    struct Row {
        char const* in;
        char const* out;
    };
    Row const rows[] = {{"", ""},
                        {"f", "Zg=="},
                        {"fo", "Zm8="},
                        {"foo", "Zm9v"},
                        {"foob", "Zm9vYg=="},
                        {"fooba", "Zm9vYmE="},
                        {"foobar", "Zm9vYmFy"}};
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(base64_encode(row.in) == row.out);
    }
    CHECK(base64_encode(std::string("\xff\xfe\x00", 3)) == "//4A");
}
