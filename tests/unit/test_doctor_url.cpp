// server/doctor/url: DevTools' resolveSourcePathToURL and symbolsURL rules, URL resolution,
// and the way a server URL maps back to a path under ROOT with the server's rules.
#include <doctest/doctest.h>

#include "server/doctor/url.hpp"

using namespace wasmdev::doctor;

namespace {
Url url(std::string_view s) {
    auto u = parse_url(s);
    REQUIRE(u.has_value());
    return *u;
}
}  // namespace

TEST_CASE("resolve_source_path: DevTools' rules for DWARF paths and external_debug_info against the module URL") {
    auto const base = url("http://127.0.0.1:8000/builddir/web/python.wasm");
    struct Row {
        std::string_view path;
        std::string_view href;
    };
    Row const rows[] = {
        {"python.wasm.debug.wasm", "http://127.0.0.1:8000/builddir/web/python.wasm.debug.wasm"},
        {"/home/u/cpython/Python/ceval.c", "file:///home/u/cpython/Python/ceval.c"},  // leading '/' → file://
        {"//server/share/a.c", "file://server/share/a.c"},
        {"C:\\src\\a.c", "file:///C:/src/a.c"},
        {"../../Python/ceval.c", "http://127.0.0.1:8000/Python/ceval.c"},
        {"sub\\x.c", "http://127.0.0.1:8000/builddir/web/sub/x.c"},  // '\' → '/'
        {"my file.c", "http://127.0.0.1:8000/builddir/web/my%20file.c"},
        {"a#b.c", "http://127.0.0.1:8000/builddir/web/a"},  // '#' starts a fragment, as in the browser
        {"https://cdn.example/x.debug.wasm", "https://cdn.example/x.debug.wasm"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.path);
        auto u = resolve_source_path({}, row.path, base);
        REQUIRE(u.has_value());
        CHECK(u->href() == row.href);
    }
}

TEST_CASE("resolve_source_path: substitutions are prefixes, the first match wins, '.' matches relative paths") {
    auto const base = url("http://h/app/m.wasm");
    std::vector<PathSubstitution> subs{
        {"/home/u/proj/", "http://h/"}, {"/home/u/", "http://other/"}, {".", "http://h/rel"}};
    struct Row {
        std::string_view path;
        std::string_view href;
    };
    Row const rows[] = {
        {"/home/u/proj/src/a.c", "http://h/src/a.c"},
        {"/home/u/lib/b.c", "http://other/lib/b.c"},
        {"/home/u/projx/c.c", "http://other/projx/c.c"},  // prefixes match characters, not path segments
        {"src/d.c", "http://h/rel/src/d.c"},
        {"/usr/include/stdio.h", "file:///usr/include/stdio.h"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.path);
        auto u = resolve_source_path(subs, row.path, base);
        REQUIRE(u.has_value());
        CHECK(u->href() == row.href);
    }
    // Without its trailing '/', a prefix leaves "//" or glues names: the reason the doctor writes one.
    auto glued = resolve_source_path({{"/home/u/proj", "http://h"}}, "/home/u/proj/a.c", base);
    CHECK(glued->href() == "http://h/a.c");
    auto doubled = resolve_source_path({{"/home/u/proj", "http://h/"}}, "/home/u/proj/a.c", base);
    CHECK(doubled->path == "//a.c");
}

TEST_CASE("to_root_path: server URLs map under ROOT with the server's rules") {
    auto const root = url("http://127.0.0.1:8000/");
    struct Row {
        std::string_view href;
        bool on_server;
        bool servable;
        std::string_view relative;
    };
    Row const rows[] = {
        {"http://127.0.0.1:8000/Python/ceval.c", true, true, "Python/ceval.c"},
        {"http://127.0.0.1:8000/a%20b/c%23.c", true, true, "a b/c#.c"},
        {"http://127.0.0.1:8000/.git/config", true, false, ""},
        {"http://127.0.0.1:8000/a/%2e%2e/x", true, false, ""},
        {"http://127.0.0.1:8000/a%2fb", true, false, ""},
        {"http://localhost:8000/x.c", false, false, ""},
        {"file:///home/u/x.c", false, false, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.href);
        auto rp = to_root_path(url(row.href), root);
        CHECK(rp.on_server == row.on_server);
        CHECK(rp.servable == row.servable);
        CHECK(rp.relative == row.relative);
    }
    auto sub = to_root_path(url("http://h/app/x/y.c"), url("http://h/app/"));
    CHECK(sub.relative == "x/y.c");
    CHECK_FALSE(to_root_path(url("http://h/other/y.c"), url("http://h/app/")).on_server);
}

TEST_CASE("url_for and parse_url: round trips through percent-encoding and dot segments") {
    auto const root = url("http://127.0.0.1:8000/");
    CHECK(url_for(root, "build dir/π.wasm").href() == "http://127.0.0.1:8000/build%20dir/%CF%80.wasm");
    CHECK(to_root_path(url_for(root, "build dir/π.wasm"), root).relative == "build dir/π.wasm");
    CHECK(url("HTTP://Host:80/a/./b/../c?q#f").href() == "http://host:80/a/c");
    CHECK_FALSE(parse_url("not a url").has_value());
    CHECK_FALSE(parse_url("http:relative").has_value());
}
