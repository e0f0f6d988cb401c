// ServedModules: the server's memory of the modules browsers loaded, and the one warning a
// missing debug file gets (#11 deliverable 2). Real files in a temp ROOT, no sockets.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/doctor/served_modules.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/unit/wasm_builder.hpp"

namespace {

namespace fs = std::filesystem;
using wasmdev::doctor::ServedModules;
using wasmdev::test::Bytes;

std::vector<std::uint8_t> url_module(std::string_view section, std::string_view url) {
    return wasmdev::test::module({{0, wasmdev::test::custom(section, Bytes{}.name(url))}});
}

// A temp tree whose files are modules.
struct TempRoot : wasmdev::test::TempTree {
    TempRoot() : TempTree({}, "served") {}
    void write(fs::path const& rel, std::vector<std::uint8_t> const& bytes) const {
        TempTree::write(rel, {reinterpret_cast<char const*>(bytes.data()), bytes.size()});
    }
};

}  // namespace

TEST_CASE("ServedModules: a missing debug file a served module names is explained once, naming the module") {
    TempRoot root;
    root.write("out/app.wasm", url_module("external_debug_info", "app.debug.wasm"));
    ServedModules seen(root.path);
    seen.note_module("/out/app.wasm", "out/app.wasm");

    auto w = seen.on_not_found("/out/app.debug.wasm");
    REQUIRE(w.has_value());
    CHECK(w->find("/out/app.wasm") != std::string::npos);
    CHECK(w->find("external_debug_info") != std::string::npos);
    CHECK(w->find("-sSEPARATE_DWARF_URL") != std::string::npos);
    CHECK(w->find("wasmdev doctor out/app.wasm") != std::string::npos);
    // Once per path: DevTools retries, the log does not fill up.
    CHECK_FALSE(seen.on_not_found("/out/app.debug.wasm").has_value());
}

TEST_CASE("ServedModules: 404s that no served module names stay silent") {
    TempRoot root;
    root.write("app.wasm", url_module("sourceMappingURL", "app.wasm.map"));
    ServedModules seen(root.path);
    CHECK_FALSE(seen.on_not_found("/app.wasm.map").has_value());  // the module was never served
    seen.note_module("/app.wasm", "app.wasm");
    CHECK_FALSE(seen.on_not_found("/favicon.ico").has_value());
    CHECK_FALSE(seen.on_not_found("/app.wasm.dwp").has_value());  // optional: absence is normal
    auto w = seen.on_not_found("/app.wasm.map");
    REQUIRE(w.has_value());
    CHECK(w->find("source map") != std::string::npos);
    CHECK(w->find("--source-map-base") != std::string::npos);
}

TEST_CASE("ServedModules: a rebuilt module is read again, so a new debug-file name is the one explained") {
    TempRoot root;
    root.write("app.wasm", url_module("external_debug_info", "old.debug.wasm"));
    ServedModules seen(root.path);
    seen.note_module("/app.wasm", "app.wasm");
    CHECK(seen.on_not_found("/old.debug.wasm").has_value());
    // A longer name changes the size: the identity check cannot miss it.
    root.write("app.wasm", url_module("external_debug_info", "dbg/newer-name.debug.wasm"));
    CHECK(seen.on_not_found("/dbg/newer-name.debug.wasm").has_value());
}

TEST_CASE("ServedModules: references leaving the server (absolute file paths) are not this server's 404s") {
    TempRoot root;
    root.write("app.wasm", url_module("external_debug_info", "/home/u/app.debug.wasm"));
    ServedModules seen(root.path);
    seen.note_module("/app.wasm", "app.wasm");
    CHECK_FALSE(seen.on_not_found("/home/u/app.debug.wasm").has_value());
}

TEST_CASE("ServedModules: the self-check page's list holds each module seen with the doctor's verdict") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.debug.wasm"));  // its debug file is missing
    root.write("b.wasm", wasmdev::test::module({}));                         // no debug info: fine
    ServedModules seen(root.path, 8);
    seen.note_module("/a.wasm", "a.wasm");
    seen.note_module("/b.wasm", "b.wasm");
    auto json = seen.modules_json("http://127.0.0.1:8000");
    CHECK(json.find("\"module\":\"a.wasm\"") != std::string::npos);
    CHECK(json.find("\"module\":\"b.wasm\"") != std::string::npos);
    CHECK(json.find("http://127.0.0.1:8000/a.debug.wasm") != std::string::npos);
    CHECK(json.find("\"exit_code\":1") != std::string::npos);
}

TEST_CASE("ServedModules: remembers at most `limit` modules, forgetting the oldest") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.debug.wasm"));
    root.write("b.wasm", wasmdev::test::module({}));
    ServedModules seen(root.path, 1);
    seen.note_module("/a.wasm", "a.wasm");
    seen.note_module("/b.wasm", "b.wasm");
    CHECK_FALSE(seen.on_not_found("/a.debug.wasm").has_value());
}

TEST_CASE("ServedModules: a reference with URL escapes matches the decoded request path") {
    TempRoot root;
    root.write("my app/app.wasm", url_module("external_debug_info", "debug%20files/app.debug.wasm"));
    ServedModules seen(root.path);
    seen.note_module("/my app/app.wasm", "my app/app.wasm");
    CHECK(seen.on_not_found("/my app/debug files/app.debug.wasm").has_value());
}

TEST_CASE("ServedModules: a separate DWARF file fetched by the page is not listed as a module of its own") {
    TempRoot root;
    root.write("a.wasm", url_module("external_debug_info", "a.wasm.debug.wasm"));
    root.write("a.wasm.debug.wasm", wasmdev::test::module({}));
    ServedModules seen(root.path);
    seen.note_module("/a.wasm", "a.wasm");
    seen.note_module("/a.wasm.debug.wasm", "a.wasm.debug.wasm");
    auto json = seen.modules_json("http://127.0.0.1:8000");
    CHECK(json.find("\"module\":\"a.wasm\"") != std::string::npos);
    CHECK(json.find("\"module\":\"a.wasm.debug.wasm\"") == std::string::npos);
}
