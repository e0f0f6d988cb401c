// Toolchain discovery for wasmdev build: .emscripten files evaluated without Python,
// Emscripten version text, and finding emsdk and Debian-style installs from the environment.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/cpython/checkout.hpp"
#include "server/cpython/toolchain.hpp"
#include "server/sys/cpus.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::cpython;
namespace fs = std::filesystem;

namespace {

fs::path fake_checkout() { return fs::path(WASMDEV_FIXTURES_DIR) / "fake-cpython"; }

// A temp tree of tools: a file may be made executable.
struct TempTree : wasmdev::test::TempTree {
    TempTree() : wasmdev::test::TempTree({}, "tc") {}
    fs::path file(std::string const& rel, std::string const& text, bool exec = false) const {
        auto p = write(rel, text);
        if (exec) fs::permissions(p, fs::perms::owner_all, fs::perm_options::add);
        return p;
    }
};

}  // namespace

TEST_CASE("parse_emconfig: Debian's .emscripten with literal paths and a frozen cache") {
    auto cfg = parse_emconfig(
        "# comment\nEMSCRIPTEN_ROOT = '/usr/share/emscripten' # directory\n"
        "LLVM_ROOT = '/usr/bin' # directory\nNODE_JS = '/usr/bin/node' # executable\n"
        "FROZEN_CACHE = True # never clears the cache\n",
        "/usr/share/emscripten/.emscripten", {});
    CHECK(cfg.emscripten_root == "/usr/share/emscripten");
    CHECK(cfg.node_js == "/usr/bin/node");
    CHECK(cfg.frozen_cache);
}

TEST_CASE("parse_emconfig: emsdk's paths built from EM_CONFIG with + and replace") {
    auto cfg = parse_emconfig(
        "import os\n"
        "emsdk_path = os.path.dirname(os.getenv('EM_CONFIG')).replace('\\\\', '/')\n"
        "NODE_JS = emsdk_path + '/node/16.20.0_64bit/bin/node'\n"
        "EMSCRIPTEN_ROOT = emsdk_path + \"/upstream/emscripten\"\n"
        "BINARYEN_ROOT = os.path.join(emsdk_path, 'upstream')\n",
        "/opt/emsdk/.emscripten", {});
    CHECK(cfg.emscripten_root == "/opt/emsdk/upstream/emscripten");
    CHECK(cfg.node_js == "/opt/emsdk/node/16.20.0_64bit/bin/node");
    CHECK_FALSE(cfg.frozen_cache);
}

TEST_CASE("parse_emconfig: what it cannot evaluate stays unset rather than wrong") {
    auto cfg = parse_emconfig(
        "EMSCRIPTEN_ROOT = some_function('x')\nNODE_JS = os.path.expanduser('~/node')\n"
        "    EMSCRIPTEN_ROOT = '/indented/is/not/top/level'\n",
        "/x/.emscripten", {{"HOME", "/home/u"}});
    CHECK_FALSE(cfg.emscripten_root.has_value());
    CHECK(cfg.node_js == "/home/u/node");
}

TEST_CASE("parse_emscripten_version: plain and quoted and -git versions") {
    struct Row {
        std::string_view text;
        std::optional<EmVersion> v;
    };
    Row const rows[] = {
        {"3.1.6\n", EmVersion{3, 1, 6}},
        {"\"3.1.19\"", EmVersion{3, 1, 19}},
        {"3.1.25-git", EmVersion{3, 1, 25}},
        {"3.1", std::nullopt},
        {"", std::nullopt},
        {"3.1.x", std::nullopt},
    };
    for (auto const& row : rows) {
        CAPTURE(row.text);
        CHECK(parse_emscripten_version(row.text) == row.v);
    }
}

TEST_CASE("find_emscripten: EM_CONFIG pointing at the fixture's emsdk") {
    auto emsdk = fake_checkout() / "emsdk";
    auto em = find_emscripten({{"EM_CONFIG", (emsdk / ".emscripten").string()}, {"PATH", "/usr/bin:/bin"}});
    CHECK(em.found);
    CHECK(em.root == emsdk);
    CHECK(em.version == "3.1.19");
    CHECK(em.emconfigure == emsdk / "emconfigure");
    CHECK(em.emmake == emsdk / "emmake");
    CHECK(em.embuilder == emsdk / "embuilder");
    CHECK(em.node_js == emsdk / "node/bin/node");
    CHECK_FALSE(em.packaged);
    CHECK_FALSE(em.frozen_cache);
}

TEST_CASE("find_emscripten: EMSDK alone finds its .emscripten") {
    auto emsdk = fake_checkout() / "emsdk";
    auto em = find_emscripten({{"EMSDK", emsdk.string()}, {"PATH", "/bin"}});
    CHECK(em.found);
    CHECK(em.root == emsdk);
    CHECK(em.source == "EMSDK=" + emsdk.string());
}

TEST_CASE("find_emscripten: a Debian-style package found through emcc on PATH") {
    TempTree t;
    auto root = t.path / "usr/share/emscripten";
    t.file("usr/share/emscripten/wrapper", "#!/bin/sh\nexit 0\n", true);
    t.file("usr/share/emscripten/emscripten-version.txt", "3.1.6\n");
    t.file("usr/share/emscripten/.emscripten",
           "EMSCRIPTEN_ROOT = '" + root.string() + "' # directory\nNODE_JS = '/usr/bin/node'\nFROZEN_CACHE = True\n");
    fs::create_directories(t.path / "usr/bin");
    for (auto name : {"emcc", "emconfigure", "emmake", "embuilder", "emar"})
        fs::create_symlink("../share/emscripten/wrapper", t.path / "usr/bin" / name);
    auto em = find_emscripten({{"PATH", (t.path / "usr/bin").string() + ":/bin"}});
    CHECK(em.found);
    CHECK(em.root == root);
    CHECK(em.version == "3.1.6");
    CHECK(em.frozen_cache);
    CHECK(em.packaged);
    CHECK(em.emconfigure == t.path / "usr/bin/emconfigure");
    CHECK(em.source.starts_with("emcc on PATH"));
}

TEST_CASE("find_emscripten: nothing set and nothing on PATH finds nothing") {
    auto em = find_emscripten({{"PATH", "/nonexistent"}});
    if (!fs::exists("/opt/emsdk/.emscripten")) CHECK_FALSE(em.found);
}

TEST_CASE("wasi_sdk_path and build_triple") {
    CHECK(wasi_sdk_path({}) == "/opt/wasi-sdk");
    CHECK(wasi_sdk_path({{"WASI_SDK_PATH", "/x/wasi"}}) == "/x/wasi");
    auto triple = build_triple();
    CHECK(triple.find("-linux-") != std::string::npos);
    CHECK(default_jobs() >= 1);
}

TEST_CASE("default_jobs: `build -j` defaults to the CPUs `serve --threads` counts (a container's quota included)") {
    CHECK(default_jobs() == wasmdev::sys::usable_cpus());
}

TEST_CASE("find_executable: PATH order and executability") {
    TempTree t;
    t.file("a/tool", "x");  // not executable
    t.file("b/tool", "#!/bin/sh\n", true);
    CHECK(find_executable("tool", (t.path / "a").string() + ":" + (t.path / "b").string()) ==
          (t.path / "b/tool").string());
    CHECK(find_executable("tool", (t.path / "a").string()).empty());
    CHECK(find_executable("sh", "/nonexistent:/bin") == "/bin/sh");
}

TEST_CASE("checkout: found upwards with the version from configure and the in-tree build marker") {
    auto root = fake_checkout();
    CHECK(find_checkout(root / "Tools" / "wasm") == root);
    CHECK(find_checkout(root) == root);
    CHECK_FALSE(find_checkout("/").has_value());
    CHECK(parse_python_version("x\nPACKAGE_VERSION='3.12'\n") == "3.12");
    CHECK(parse_python_version("PACKAGE_VERSION='3.13'") == "3.13");
    CHECK_FALSE(parse_python_version("PACKAGE_VERSION=3.12\n").has_value());
    std::string error;
    auto layout = load_layout(root, error);
    REQUIRE(layout);
    CHECK(layout->version == "3.11");
    CHECK(layout->profile_dir("wasi") == root / "builddir" / "wasi");
    CHECK(layout->config_site_wasi == "Tools/wasm/config.site-wasm32-wasi");
    CHECK_FALSE(in_tree_build_marker(root).has_value());
    CHECK_FALSE(load_layout(root / "Tools", error).has_value());
    CHECK(error.find("not a CPython checkout") != std::string::npos);
}
