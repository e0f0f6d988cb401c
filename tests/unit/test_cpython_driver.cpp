// The script-driven layouts without running anything: the driver command line per layout
// and subcommand, which profiles each layout has, the steps a plan takes for what is on
// disk, the web_example page repl serves, and the preflight against the checkout's pins.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "server/cpython/driver.hpp"
#include "server/cpython/preflight.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::cpython;
namespace fs = std::filesystem;

namespace {

using V = std::vector<std::string>;

PipelineChoice const wasi_313{Pipeline::wasi_py, "Tools/wasm/wasi.py"};
PipelineChoice const wasi_314{Pipeline::tools_wasm, "Tools/wasm/wasi"};
PipelineChoice const em_314{Pipeline::tools_wasm, "Tools/wasm/emscripten"};
PipelineChoice const wasi_main{Pipeline::platforms, "Platforms/WASI"};
PipelineChoice const em_main{Pipeline::platforms, "Platforms/emscripten"};

CPythonLayout layout(std::string version) {
    CPythonLayout l;
    l.srcdir = "/src/cpython";
    l.version = std::move(version);
    return l;
}

Request request(std::string_view profile, V ops = {}) {
    Request r;
    r.profile = find_profile(profile);
    r.ops = parse_ops(ops).value();
    return r;
}

V titles(Plan const& p) {
    V t;
    for (auto const& s : p.steps) t.push_back(s.name);
    return t;
}

Plan plan_for(PipelineChoice const& c, std::string_view profile, V ops = {}, DriverState st = {}, Request r = {}) {
    if (!r.profile) r = request(profile, std::move(ops));
    auto l = layout(c.pipeline == Pipeline::wasi_py ? "3.13" : c.pipeline == Pipeline::tools_wasm ? "3.14" : "3.15");
    PinnedConfig pins;
    Toolchain tc;
    tc.build_triple = "x86_64-pc-linux-gnu";
    auto paths = driver_paths(c, *r.profile, l, tc.build_triple, pins);
    return make_driver_plan(r, l, c, paths, pins, tc, st);
}

}  // namespace

TEST_CASE("driver_argv: each layout's subcommands with the options the real scripts accept") {
    DriverArgs none;
    DriverArgs host;
    host.wasi_sdk = fs::path("/opt/wasi-sdk-24.0");
    host.host_runner = "node /x/wasi_runner.mjs";
    host.configure_args = {"--with-pydebug", "--without-ensurepip"};
    DriverArgs clean;
    clean.clean = true;
    DriverArgs cache;
    cache.emsdk_cache = fs::path("/cache");
    DriverArgs run;
    run.run_args = {"--pythoninfo"};
    run.emsdk_cache = fs::path("/cache");
    struct Row {
        char const* name;
        PipelineChoice c;
        Host h;
        char const* sub;
        DriverArgs a;
        V want;
    };
    Row const rows[] = {
        {"3.13 configure-build-python",
         wasi_313,
         Host::wasm32_wasi,
         "configure-build-python",
         none,
         {"python3", "Tools/wasm/wasi.py", "configure-build-python"}},
        {"3.13 configure-build-python --clean",
         wasi_313,
         Host::wasm32_wasi,
         "configure-build-python",
         clean,
         {"python3", "Tools/wasm/wasi.py", "configure-build-python", "--clean"}},
        {"3.13 configure-host",
         wasi_313,
         Host::wasm32_wasi,
         "configure-host",
         host,
         {"python3", "Tools/wasm/wasi.py", "configure-host", "--wasi-sdk", "/opt/wasi-sdk-24.0", "--host-runner",
          "node /x/wasi_runner.mjs", "--", "--with-pydebug", "--without-ensurepip"}},
        {"3.13 make-host ignores configure options",
         wasi_313,
         Host::wasm32_wasi,
         "make-host",
         host,
         {"python3", "Tools/wasm/wasi.py", "make-host"}},
        {"3.14 wasi package",
         wasi_314,
         Host::wasm32_wasi,
         "make-build-python",
         none,
         {"python3", "Tools/wasm/wasi", "make-build-python"}},
        {"3.14 emscripten configure-host: no --wasi-sdk",
         em_314,
         Host::wasm32_emscripten,
         "configure-host",
         host,
         {"python3", "Tools/wasm/emscripten", "configure-host", "--host-runner", "node /x/wasi_runner.mjs", "--",
          "--with-pydebug", "--without-ensurepip"}},
        {"3.14 emscripten has no --emsdk-cache",
         em_314,
         Host::wasm32_emscripten,
         "make-libffi",
         cache,
         {"python3", "Tools/wasm/emscripten", "make-libffi"}},
        {"main emscripten --emsdk-cache",
         em_main,
         Host::wasm32_emscripten,
         "make-mpdec",
         cache,
         {"python3", "Platforms/emscripten", "make-mpdec", "--emsdk-cache", "/cache"}},
        {"main emscripten run takes no --emsdk-cache",
         em_main,
         Host::wasm32_emscripten,
         "run",
         run,
         {"python3", "Platforms/emscripten", "run", "--pythoninfo"}},
        {"main WASI never gets --emsdk-cache",
         wasi_main,
         Host::wasm32_wasi,
         "make-host",
         cache,
         {"python3", "Platforms/WASI", "make-host"}},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(driver_argv(row.c, row.h, row.sub, row.a) == row.want);
    }
}

TEST_CASE("driver_paths: where each driver keeps the build Python, the host build and the prefix") {
    PinnedConfig pins;
    auto l = layout("3.14");
    auto em = driver_paths(em_314, *find_profile("emscripten-browser"), l, "x86_64-pc-linux-gnu", pins);
    CHECK(em.native_dir == "/src/cpython/cross-build/build");
    CHECK(em.host_dir == "/src/cpython/cross-build/wasm32-emscripten/build/python");
    CHECK(em.prefix == "/src/cpython/cross-build/wasm32-emscripten/prefix");
    CHECK(em.log == "/src/cpython/cross-build/wasmdev-emscripten-browser.log");
    auto w = driver_paths(wasi_313, *find_profile("wasi"), l, "x86_64-pc-linux-gnu", pins);
    CHECK(w.native_dir == "/src/cpython/cross-build/build");
    CHECK(w.host_dir == "/src/cpython/cross-build/wasm32-wasip1");
    pins.host_triple = "wasm32-wasi";  // 3.13.0's wasi.py
    CHECK(driver_paths(wasi_313, *find_profile("wasi"), l, "x", pins).host_dir ==
          "/src/cpython/cross-build/wasm32-wasi");
    auto m = driver_paths(wasi_main, *find_profile("wasi"), l, "aarch64-unknown-linux-gnu", pins);
    CHECK(m.native_dir == "/src/cpython/cross-build/aarch64-unknown-linux-gnu");
}

TEST_CASE("profile_unavailable: profiles a layout does not have name what to use instead") {
    struct Row {
        char const* profile;
        PipelineChoice c;
        bool exists;
        char const* hint;
    };
    Row const rows[] = {
        {"wasi", wasi_313, true, ""},
        {"wasi-threads", wasi_313, false, "use wasi"},
        {"wasi-threads", wasi_main, false, "use wasi"},
        {"emscripten-browser", em_314, true, ""},
        {"emscripten-node-dl", em_main, true, ""},
        {"emscripten-node-pthreads", em_314, false, "use emscripten-browser"},
        {"emscripten-browser-debug", em_main, false, "--with-pydebug"},
        {"wasm64-emscripten-node-debug", em_main, false, "emscripten-node-dl"},
        {"emscripten-node-pthreads", PipelineChoice{}, true, ""},  // builddir keeps every profile
    };
    for (auto const& row : rows) {
        CAPTURE(row.profile);
        CAPTURE(row.c.driver);
        auto why = profile_unavailable(*find_profile(row.profile), row.c, "3.14");
        CHECK(why.empty() == row.exists);
        CHECK(why.find(row.hint) != std::string::npos);
        if (!row.exists) CHECK(why.find(row.c.driver) != std::string::npos);
    }
}

TEST_CASE("make_driver_plan: steps per layout and what existing files let it skip") {
    CHECK(titles(plan_for(wasi_313, "wasi")) ==
          V{"configure-build-python", "make-build-python", "configure-host", "make-host"});
    CHECK(titles(plan_for(em_314, "emscripten-browser")) ==
          V{"configure-build-python", "make-build-python", "make-libffi", "make-mpdec", "configure-host", "make-host"});
    DriverState built;
    built.native_makefile = built.native_python = built.host_makefile = built.deps_built = true;
    auto again = plan_for(em_314, "emscripten-browser", {}, built);
    CHECK(titles(again) == V{"make-host"});
    CHECK(again.notes.size() == 2);  // build Python kept, dependencies kept
    Request clean = request("wasi");
    clean.clean = true;
    auto cleaned = plan_for(wasi_main, "wasi", {}, built, clean);
    CHECK(titles(cleaned) == V{"configure-build-python", "make-build-python", "configure-host", "make-host"});
    CHECK(std::find(cleaned.steps[0].actions[0].cmd.argv.begin(), cleaned.steps[0].actions[0].cmd.argv.end(),
                    "--clean") != cleaned.steps[0].actions[0].cmd.argv.end());
    // The native profile only builds the build Python, with --configure-arg.
    Request native = request("build");
    native.settings.configure_args = {"--with-pydebug"};
    auto n = plan_for(wasi_314, "build", {}, {}, native);
    CHECK(titles(n) == V{"configure-build-python", "make-build-python"});
    CHECK(n.steps[0].actions[0].cmd.argv.back() == "--with-pydebug");
    // Ops.
    CHECK(titles(plan_for(wasi_313, "wasi", {"pythoninfo"}, built)) == V{"pythoninfo"});
    CHECK(titles(plan_for(em_main, "emscripten-node-dl", {"test"}, built)) == V{"run"});
    CHECK(plan_for(em_main, "emscripten-node-dl", {"test"}, built).steps[0].actions[0].cmd.argv.back() == "--test");
    auto repl = plan_for(wasi_313, "wasi", {"repl"}, built);
    REQUIRE(repl.steps.size() == 1);
    CHECK(repl.steps[0].actions[0].interactive);
    CHECK(repl.steps[0].actions[0].cmd.argv == V{"/src/cpython/cross-build/wasm32-wasip1/python.sh"});
    CHECK(plan_for(em_314, "emscripten-browser", {"repl"}, built).serve_browser);
    CHECK_FALSE(repl.builds_host);
    CHECK(plan_for(wasi_313, "wasi").builds_host);
    CHECK(plan_for(em_314, "emscripten-browser", {"test"}, built).error.find("emscripten-node-dl") !=
          std::string::npos);
    CHECK(plan_for(em_314, "emscripten-browser", {"emports"}, built).error.find("--deps-src") != std::string::npos);
    CHECK(plan_for(wasi_313, "wasi-threads").error.find("use wasi") != std::string::npos);
    auto all = plan_for(wasi_313, "wasi", {"cleanall"}, built);
    REQUIRE(all.steps.size() == 1);
    CHECK(all.steps[0].actions[0].path == "/src/cpython/cross-build");
}

TEST_CASE("make_driver_plan: --deps-src replaces the downloads with local builds and the driver's markers") {
    Request r = request("emscripten-browser");
    r.deps_src = DepsSources{"/deps/libffi-3.4.8", "/deps/mpdecimal-4.0.1", "3.4.8", "4.0.1"};
    auto l = layout("3.14");
    PinnedConfig pins;
    pins.libffi = PinnedDep{"https://x/libffi-{version}.tar.gz", "3.4.6", "abc"};
    pins.mpdec = PinnedDep{"https://y/mpdecimal-{version}.tar.gz", "4.0.1", "def"};
    pins.file = "Tools/wasm/emscripten/config.toml";
    Toolchain tc;
    auto paths = driver_paths(em_314, *r.profile, l, "x86_64-pc-linux-gnu", pins);
    DriverState st;
    st.native_makefile = st.native_python = true;
    auto plan = make_driver_plan(r, l, em_314, paths, pins, tc, st);
    CHECK(titles(plan) == V{"libffi (local source)", "mpdecimal (local source)", "configure-host", "make-host"});
    CHECK_FALSE(plan.needs_deps_download);
    auto const& ffi = plan.steps[0].actions;
    auto run = std::find_if(ffi.begin(), ffi.end(), [](Action const& a) { return a.kind == Action::Kind::run; });
    REQUIRE(run != ffi.end());
    CHECK(run->cmd.argv == V{"/src/cpython/Tools/wasm/emscripten/make_libffi.sh"});
    CHECK(run->cmd.cwd == "/src/cpython/cross-build/wasm32-emscripten/build/libffi-3.4.8");
    CHECK(ffi.back().kind == Action::Kind::write_file);
    CHECK(ffi.back().path == "/src/cpython/cross-build/wasm32-emscripten/prefix/libffi.json");
    CHECK(ffi.back().content == R"({"url":"https://x/libffi-{version}.tar.gz","version":"3.4.6","shasum":"abc"})");
    REQUIRE(plan.notes.size() == 2);
    CHECK(plan.notes[1].find("libffi 3.4.8 from /deps/libffi-3.4.8 stands in for the pinned 3.4.6") !=
          std::string::npos);
}

TEST_CASE("find_web_page: index.html before python.html, relative to the checkout") {
    wasmdev::test::TempTree tree({}, "webpage");
    auto const root = tree.path;
    DriverPaths d;
    d.deps_dir = root / "cross-build/wasm32-emscripten/build";
    d.host_dir = d.deps_dir / "python";
    CHECK_FALSE(find_web_page(d, root));
    fs::create_directories(d.host_dir / "web_example");
    std::ofstream(d.host_dir / "web_example/python.html") << "x";
    CHECK(find_web_page(d, root).value() == "cross-build/wasm32-emscripten/build/python/web_example/python.html");
    std::ofstream(d.host_dir / "web_example/index.html") << "x";
    CHECK(find_web_page(d, root).value() == "cross-build/wasm32-emscripten/build/python/web_example/index.html");
}

TEST_CASE("driver_build_is_pydebug: the build Python's lib.*-pydebug directory marks a debug build") {
    wasmdev::test::TempTree tree({}, "pydebug");
    auto const root = tree.path;
    DriverPaths d;
    d.native_dir = root / "cross-build/build";
    CHECK_FALSE(driver_build_is_pydebug(d));
    fs::create_directories(d.native_dir / "build/lib.linux-x86_64-3.14");
    CHECK_FALSE(driver_build_is_pydebug(d));
    fs::create_directories(d.native_dir / "build/lib.linux-x86_64-3.14-pydebug");
    CHECK(driver_build_is_pydebug(d));
}

TEST_CASE("preflight: a driver layout is checked against the versions its checkout pins") {
    wasmdev::test::TempTree tree({}, "pf");
    auto const root = tree.path;
    auto sdk = root / "wasi-sdk";
    fs::create_directories(sdk / "bin");
    fs::create_directories(sdk / "share/wasi-sysroot/lib/wasm32-wasi");
    for (auto t : {"clang", "wasm-ld"}) {
        std::ofstream(sdk / "bin" / t) << "#!/bin/sh\n";
        fs::permissions(sdk / "bin" / t, fs::perms::owner_all);
    }
    std::ofstream(sdk / "VERSION") << "25.0\nwasi-libc: x\n";
    Toolchain tc;
    tc.wasi_sdk = sdk;
    PreflightInput in;
    in.profile = find_profile("wasi");
    in.choice = wasi_main;
    in.pins.wasi_sdk = "34";
    in.pins.file = "Platforms/WASI/config.toml";
    in.host_triple = "wasm32-wasip1";
    in.needs_python = true;
    in.builds_host = true;
    in.env = {{"PATH", "/nonexistent"}};
    auto l = layout("3.15");
    l.srcdir = root;
    auto problems = preflight(in, l, tc);
    auto has = [&](Problem::Kind k, std::string_view text) {
        return std::any_of(problems.begin(), problems.end(),
                           [&](Problem const& p) { return p.kind == k && p.fix.find(text) != std::string::npos; });
    };
    CHECK(has(Problem::Kind::warning, "pins WASI SDK 34 (Platforms/WASI/config.toml)"));
    CHECK(has(Problem::Kind::missing, "has no lib/wasm32-wasip1"));
    CHECK(has(Problem::Kind::missing, "--host-runner"));  // no wasmtime on PATH
    CHECK(has(Problem::Kind::missing, "python3 is not on PATH"));
    CHECK(has(Problem::Kind::missing, "git is not on PATH, and Platforms/WASI runs `git log`"));
    CHECK_FALSE(has(Problem::Kind::version, "Python 3.15"));  // a driver layout is known by its driver
    in.builds_host = false;  // repl on a finished build: python.sh holds the host runner
    in.needs_python = false;
    problems = preflight(in, l, tc);
    CHECK_FALSE(has(Problem::Kind::missing, "--host-runner"));
    CHECK_FALSE(has(Problem::Kind::missing, "lib/wasm32-wasip1"));
    in.builds_host = true;

    PreflightInput em;
    em.profile = find_profile("emscripten-browser");
    em.choice = em_314;
    em.pins.emscripten_version = "4.0.12";
    em.pins.file = "Tools/wasm/emscripten/config.toml";
    em.pins.libffi = PinnedDep{"https://github.com/libffi/x.tar.gz", "3.4.6", ""};
    em.needs_deps_download = true;
    em.builds_host = true;
    em.resolves = [](std::string const& host) { return host != "github.com"; };
    em.env = {{"PATH", "/nonexistent"}};
    Toolchain etc;
    etc.emscripten.found = true;
    etc.emscripten.version = "3.1.69";
    etc.emscripten.root = "/usr/share/emscripten";
    etc.emscripten.emconfigure = "/usr/bin/emconfigure";
    problems = preflight(em, l, etc);
    CHECK(has(Problem::Kind::version,
              "pins Emscripten 4.0.12 (Tools/wasm/emscripten/config.toml), and "
              "/usr/share/emscripten is Emscripten 3.1.69"));
    CHECK(has(Problem::Kind::missing, "libffi 3.4.6, and github.com does not resolve"));
    em.emsdk_cache = true;  // the driver installs the pinned version itself
    problems = preflight(em, l, etc);
    CHECK_FALSE(has(Problem::Kind::version, "pins Emscripten"));
}

TEST_CASE("resolve_wasi_sdk: WASI_SDK_PATH, then the one /opt/wasi-sdk-PIN.0*, then /opt/wasi-sdk") {
    wasmdev::test::TempTree tree({}, "opt");
    auto const opt = tree.path;
    fs::create_directories(opt / "wasi-sdk-34.0-x86_64-linux");
    fs::create_directories(opt / "wasi-sdk-25.0");
    PinnedConfig pins;
    pins.wasi_sdk = "34";
    CHECK(resolve_wasi_sdk({{"WASI_SDK_PATH", "/my/sdk"}}, pins, opt) == "/my/sdk");
    CHECK(resolve_wasi_sdk({}, pins, opt) == opt / "wasi-sdk-34.0-x86_64-linux");
    pins.wasi_sdk = "30";
    CHECK(resolve_wasi_sdk({}, pins, opt) == opt / "wasi-sdk");
    CHECK(resolve_wasi_sdk({}, PinnedConfig{}, opt) == opt / "wasi-sdk");
}
