// Layout detection (which pipeline a checkout has, per host) and the pinned versions read
// from the checkout's own driver config, without running anything.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "server/cpython/layout.hpp"
#include "server/cpython/pinned.hpp"

using namespace wasmdev::cpython;
namespace fs = std::filesystem;

TEST_CASE("parse_patchlevel_version: PY_VERSION lines of released and development trees") {
    struct Row {
        char const* text;
        char const* want;
    };
    Row const rows[] = {
        {"#define PY_MINOR_VERSION 13\n#define PY_VERSION              \"3.13.5\"\n", "3.13.5"},
        {"#define PY_VERSION \"3.15.0a1+\"\n", "3.15.0a1+"},
        {"# define PY_VERSION \"3.14.0rc2\"", "3.14.0rc2"},
        {"#define PY_VERSION_HEX 0x030d05f0\n", ""},
        {"/* #define PY_VERSION \"9.9\" */\n", ""},
        {"", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.text);
        CHECK(parse_patchlevel_version(row.text).value_or("") == row.want);
    }
}

TEST_CASE("choose_pipeline: each CPython's files pick its pipeline for Emscripten, WASI and the build Python") {
    LayoutFacts v311;  // Tools/wasm/wasm_build.py only
    v311.wasm_build_py = true;
    LayoutFacts v313 = v311;  // wasm_build.py and wasi.py
    v313.wasi_py = true;
    LayoutFacts v314;  // Tools/wasm/emscripten and Tools/wasm/wasi packages
    v314.tools_wasm_emscripten = v314.tools_wasm_wasi = true;
    LayoutFacts vmain;  // Platforms/, with Tools/wasm/emscripten left as a deprecated shim
    vmain.platforms_emscripten = vmain.platforms_wasi = vmain.tools_wasm_emscripten = true;
    LayoutFacts bare;  // nothing known: fall back to wasmdev's own builddir pipeline
    struct Row {
        char const* name;
        LayoutFacts facts;
        Host host;
        Pipeline want;
        char const* driver;
    };
    Row const rows[] = {
        {"3.11 emscripten", v311, Host::wasm32_emscripten, Pipeline::builddir, ""},
        {"3.11 wasi", v311, Host::wasm32_wasi, Pipeline::builddir, ""},
        {"3.11 build", v311, Host::native, Pipeline::builddir, ""},
        {"3.13 emscripten", v313, Host::wasm32_emscripten, Pipeline::builddir, ""},
        {"3.13 wasm64", v313, Host::wasm64_emscripten, Pipeline::builddir, ""},
        {"3.13 wasi", v313, Host::wasm32_wasi, Pipeline::wasi_py, "Tools/wasm/wasi.py"},
        {"3.13 build", v313, Host::native, Pipeline::builddir, ""},
        {"3.14 emscripten", v314, Host::wasm32_emscripten, Pipeline::tools_wasm, "Tools/wasm/emscripten"},
        {"3.14 wasi", v314, Host::wasm32_wasi, Pipeline::tools_wasm, "Tools/wasm/wasi"},
        {"3.14 build", v314, Host::native, Pipeline::tools_wasm, "Tools/wasm/wasi"},
        {"main emscripten", vmain, Host::wasm32_emscripten, Pipeline::platforms, "Platforms/emscripten"},
        {"main wasi", vmain, Host::wasm32_wasi, Pipeline::platforms, "Platforms/WASI"},
        {"main build", vmain, Host::native, Pipeline::platforms, "Platforms/WASI"},
        {"bare wasi", bare, Host::wasm32_wasi, Pipeline::builddir, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        auto c = choose_pipeline(row.facts, row.host);
        CHECK(c.pipeline == row.want);
        CHECK(c.driver == row.driver);
        CHECK(is_script_driven(c.pipeline) == (std::string_view(row.driver) != ""));
        CHECK(describe_pipeline(c).find(row.want == Pipeline::builddir ? "builddir" : row.driver) != std::string::npos);
    }
}

TEST_CASE("probe_layout_facts: the fake checkouts of tests/fixtures are told apart by their files") {
    fs::path const fixtures = WASMDEV_SOURCE_DIR "/tests/fixtures";
    struct Row {
        char const* dir;
        char const* version;
        Pipeline emscripten;
        Pipeline wasi;
    };
    Row const rows[] = {
        {"fake-cpython", "", Pipeline::builddir, Pipeline::builddir},
        {"cpython-3.13", "3.13.5", Pipeline::builddir, Pipeline::wasi_py},
        {"cpython-3.14", "3.14.0", Pipeline::tools_wasm, Pipeline::tools_wasm},
        {"cpython-main", "3.15.0a1+", Pipeline::platforms, Pipeline::platforms},
    };
    for (auto const& row : rows) {
        CAPTURE(row.dir);
        auto f = probe_layout_facts(fixtures / row.dir);
        CHECK(f.py_version == row.version);
        CHECK(choose_pipeline(f, Host::wasm32_emscripten).pipeline == row.emscripten);
        CHECK(choose_pipeline(f, Host::wasm32_wasi).pipeline == row.wasi);
    }
}

TEST_CASE("parse_toml_scalars: tables, strings, integers; arrays and comments skipped") {
    auto m = parse_toml_scalars(R"(# comment
emscripten-version = "4.0.12"
node-version = "24"
test-args = [
    "-m", "test",
]
[targets]
wasi-sdk = 34   # a comment
host-triple = 'wasm32-wasip1'
[libffi]
url = "https://github.com/libffi/libffi/releases/download/v{version}/libffi-{version}.tar.gz"
version = "3.4.6"
quoted = "a \"b\" c"
[[array.of.tables]]
x = "ignored"
)");
    CHECK(m["emscripten-version"] == "4.0.12");
    CHECK(m["node-version"] == "24");
    CHECK(m["targets.wasi-sdk"] == "34");
    CHECK(m["targets.host-triple"] == "wasm32-wasip1");
    CHECK(m["libffi.version"] == "3.4.6");
    CHECK(m["libffi.quoted"] == "a \"b\" c");
    CHECK(m.count("test-args") == 0);
    CHECK(m.count("x") == 0);
    CHECK(m.count("array.of.tables.x") == 0);
}

TEST_CASE("read_pinned_config: each fixture layout's driver config gives its pins") {
    fs::path const fixtures = WASMDEV_SOURCE_DIR "/tests/fixtures";
    auto pins = [&](char const* dir, Host h) {
        return read_pinned_config(fixtures / dir, choose_pipeline(probe_layout_facts(fixtures / dir), h));
    };
    auto em314 = pins("cpython-3.14", Host::wasm32_emscripten);
    CHECK(em314.emscripten_version.value_or("") == "4.0.12");
    REQUIRE(em314.libffi);
    CHECK(em314.libffi->version == "3.4.6");
    REQUIRE(em314.mpdec);
    CHECK(em314.mpdec->version == "4.0.1");
    auto wasi_main = pins("cpython-main", Host::wasm32_wasi);
    CHECK(wasi_main.wasi_sdk.value_or("") == "34");
    CHECK(wasi_main.host_triple.value_or("") == "wasm32-wasip1");
    CHECK(wasi_main.file == fs::path("Platforms/WASI/config.toml"));
    CHECK(pins("cpython-3.13", Host::wasm32_wasi).host_triple.value_or("") == "wasm32-wasip1");
    CHECK(!pins("cpython-3.13", Host::wasm32_emscripten).emscripten_version);
    CHECK(!pins("fake-cpython", Host::wasm32_wasi).host_triple);
}
