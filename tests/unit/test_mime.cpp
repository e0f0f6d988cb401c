// mime/: the one extension → type table (docs/design.md#mime): exact values, case-insensitive lookup,
// what counts as an extension, and which types are worth compressing.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "mime/mime.hpp"

using namespace wasmdev::mime;

namespace {
constexpr std::string_view text_plain = "text/plain; charset=utf-8";
constexpr std::string_view octet = "application/octet-stream";
}  // namespace

TEST_CASE("type_for: every type whose value browsers check (docs/design.md, MIME types) has exactly that value") {
    struct Row {
        std::string_view name;
        std::string_view type;
    };
    Row const rows[] = {
        // The build: .wasm without parameters or streaming compilation fails.
        {"python.wasm", "application/wasm"},
        {"python.js", "text/javascript"},
        {"loader.mjs", "text/javascript"},
        {"x.cjs", "text/javascript"},
        {"python.worker.js", "text/javascript"},
        {"python.html", "text/html; charset=utf-8"},
        {"a.json", "application/json"},
        {"python.wasm.map", "application/json"},
        {"a.map", "application/json"},
        {"python.data", octet},
        {"mod.cpython-312.pyc", octet},
        // Sources, shown as text in DevTools.
        {"Python/ceval.c", text_plain},
        {"Include/object.h", text_plain},
        {"a.cc", text_plain},
        {"a.cpp", text_plain},
        {"a.hpp", text_plain},
        {"x.py", text_plain},
        {"x.pyi", text_plain},
        {"selfcheck.wat", text_plain},
        {"notes.txt", text_plain},
        {"README.md", text_plain},
        {"index.rst", text_plain},
        {"pyproject.toml", text_plain},
        // The usual web types.
        {"style.css", "text/css; charset=utf-8"},
        {"logo.svg", "image/svg+xml"},
        {"a.png", "image/png"},
        {"a.jpg", "image/jpeg"},
        {"a.jpeg", "image/jpeg"},
        {"a.gif", "image/gif"},
        {"a.webp", "image/webp"},
        {"favicon.ico", "image/x-icon"},
        {"a.woff2", "font/woff2"},
        {"a.zip", "application/zip"},
        {"pkg-1.0-py3-none-any.whl", "application/zip"},
        {"a.tar", "application/x-tar"},
        {"python.wasm.gz", "application/gzip"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(type_for(row.name) == row.type);
        REQUIRE(lookup(row.name) != nullptr);
        CHECK(lookup(row.name)->type == row.type);
    }
}

TEST_CASE("type_for: lookup is case-insensitive and uses only the last extension of the last path segment") {
    struct Row {
        std::string_view name;
        std::string_view type;
    };
    Row const rows[] = {
        {"PYTHON.WASM", "application/wasm"},
        {"python.Wasm", "application/wasm"},
        {"APP.JS", "text/javascript"},
        {"Index.HTML", "text/html; charset=utf-8"},
        {"python.WASM.MAP", "application/json"},
        {"archive.tar.gz", "application/gzip"},
        {"python.js.wasm", "application/wasm"},
        {"/abs/dir.d/python.wasm", "application/wasm"},
        {"a b & <c> #%.txt", text_plain},
        {"\xC3\xA9.txt", text_plain},
        // No extension: octet-stream.
        {"README", octet},
        {".bashrc", octet},
        {".wasm", octet},  // a dotfile named ".wasm", not an extension
        {"dir/.js", octet},
        {"file.", octet},
        {"", octet},
        {"dir.wasm/file", octet},  // the dot is in a directory name
        {"dir.d/", octet},
        {"archive.unknownext", octet},
        {"x.wasm ", octet},  // a trailing space is part of the extension
        {"x.was", octet},
        {"x.wasmx", octet},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(type_for(row.name) == row.type);
    }
    CHECK(type_for(std::string_view("x.wasm\0", 7)) == octet);
    CHECK(lookup("README") == nullptr);
    CHECK(lookup("x.WASM") == lookup("x.wasm"));  // the same table entry, not a copy
}

TEST_CASE("is_compressible: text - JavaScript - JSON - wasm - svg and .data yes  already-compressed and unknown no") {
    struct Row {
        std::string_view name;
        bool compressible;
    };
    Row const rows[] = {
        {"python.wasm", true}, {"python.js", true},
        {"a.mjs", true},       {"python.html", true},
        {"a.json", true},      {"a.wasm.map", true},
        {"python.data", true}, {"logo.svg", true},
        {"style.css", true},   {"a.c", true},
        {"a.txt", true},       {"a.md", true},
        {"PYTHON.WASM", true}, {"a.png", false},
        {"a.jpg", false},      {"a.gif", false},
        {"a.webp", false},     {"a.woff2", false},
        {"a.zip", false},      {"pkg.whl", false},
        {"a.gz", false},       {"python.wasm.gz", false},
        {"README", false},     {"a.unknownext", false},
        {".bashrc", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(is_compressible(row.name) == row.compressible);
    }
}

TEST_CASE("table: one lower-case entry per extension with a non-empty type") {
    std::set<std::string_view> seen;
    for (auto const& e : table()) {
        CAPTURE(e.extension);
        CHECK(seen.insert(e.extension).second);
        CHECK_FALSE(e.extension.empty());
        CHECK(e.extension.find('.') == std::string_view::npos);
        for (char c : e.extension) CHECK_FALSE((c >= 'A' && c <= 'Z'));
        CHECK_FALSE(e.type.empty());
        CHECK(e.type.front() != ' ');
        CHECK(e.type.back() != ' ');
        // Every text/* type is worth compressing.
        if (e.type.starts_with("text/")) CHECK(e.compressible);
        // lookup() finds each entry by its own extension.
        CHECK(lookup("f." + std::string(e.extension)) == &e);
    }
}

TEST_CASE("table: the WASM-relevant entries deploy configs must declare") {
    std::set<std::string_view> relevant;
    for (auto const& e : table())
        if (e.wasm_relevant) relevant.insert(e.extension);
    for (std::string_view ext : {"wasm", "js", "mjs", "html", "data", "json", "map"}) {
        CAPTURE(ext);
        CHECK(relevant.count(ext) == 1);
    }
    // Exactly application/wasm: parameters would break WebAssembly.instantiateStreaming.
    REQUIRE(lookup("x.wasm"));
    CHECK(lookup("x.wasm")->type == "application/wasm");
    CHECK(default_type == "application/octet-stream");
}
