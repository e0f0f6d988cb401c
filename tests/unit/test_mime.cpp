#include <doctest/doctest.h>

#include <set>

#include "mime/mime.hpp"

using namespace wasmdev::mime;

TEST_CASE("type_for: the exact types browsers and DevTools need") {
    struct Row { std::string_view name; std::string_view type; bool compressible; };
    Row const rows[] = {
        {"python.wasm", "application/wasm", true},
        {"PYTHON.WASM", "application/wasm", true},
        {"python.js", "text/javascript", true},
        {"loader.mjs", "text/javascript", true},
        {"x.cjs", "text/javascript", true},
        {"python.html", "text/html; charset=utf-8", true},
        {"python.data", "application/octet-stream", true},
        {"python.worker.js", "text/javascript", true},
        {"a.json", "application/json", true},
        {"python.wasm.map", "application/json", true},
        {"mod.pyc", "application/octet-stream", false},
        {"Python/ceval.c", "text/plain; charset=utf-8", true},
        {"Include/object.h", "text/plain; charset=utf-8", true},
        {"x.py", "text/plain; charset=utf-8", true},
        {"selfcheck.wat", "text/plain; charset=utf-8", true},
        {"style.css", "text/css; charset=utf-8", true},
        {"logo.svg", "image/svg+xml", true},
        {"a.png", "image/png", false},
        {"a.woff2", "font/woff2", false},
        {"pkg.whl", "application/zip", false},
        {"python.wasm.gz", "application/gzip", false},
        {"README", "application/octet-stream", false},
        {".bashrc", "application/octet-stream", false},
        {"archive.unknownext", "application/octet-stream", false},
        {"dir.d/file", "application/octet-stream", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(type_for(row.name) == row.type);
        CHECK(is_compressible(row.name) == row.compressible);
    }
}

TEST_CASE("table: one entry per extension - lower case - and no parameters on application/wasm") {
    std::set<std::string_view> seen;
    for (auto const& e : table()) {
        CAPTURE(e.extension);
        CHECK(seen.insert(e.extension).second);
        for (char c : e.extension) CHECK_FALSE((c >= 'A' && c <= 'Z'));
    }
    CHECK(lookup("x.wasm")->type.find(';') == std::string_view::npos);
}
