// wasmdev build's plan (which steps, in which order, for what is on disk), its dry-run
// script, and its preflight refusals — all without running anything.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "server/cpython/pipeline.hpp"
#include "server/cpython/preflight.hpp"

using namespace wasmdev::cpython;
namespace fs = std::filesystem;

namespace {

CPythonLayout layout_311() {
    CPythonLayout l;
    l.srcdir = "/src/cpython";
    l.version = "3.11";
    return l;
}

Toolchain toolchain() {
    Toolchain tc;
    tc.emscripten.found = true;
    tc.emscripten.root = "/opt/emsdk/upstream/emscripten";
    tc.emscripten.emconfigure = "/opt/emsdk/upstream/emscripten/emconfigure";
    tc.emscripten.emmake = "/opt/emsdk/upstream/emscripten/emmake";
    tc.emscripten.emcc = "/opt/emsdk/upstream/emscripten/emcc";
    tc.emscripten.embuilder = "/opt/emsdk/upstream/emscripten/embuilder";
    tc.emscripten.emar = "/opt/emsdk/upstream/emscripten/emar";
    tc.emscripten.version = "3.1.19";
    tc.wasi_sdk = "/opt/wasi-sdk";
    tc.build_triple = "x86_64-pc-linux-gnu";
    return tc;
}

Request request(std::string_view profile, std::vector<std::string> ops = {}) {
    Request r;
    r.profile = find_profile(profile);
    r.ops = parse_ops(ops).value();
    r.settings.jobs = 2;
    return r;
}

std::vector<std::string> titles(Plan const& p) {
    std::vector<std::string> t;
    for (auto const& s : p.steps) t.push_back(s.title());
    return t;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("plan: a fresh checkout builds the build Python then ports then configure then make") {
    auto plan = make_plan(request("emscripten-browser"), layout_311(), toolchain(), FsState{});
    CHECK(titles(plan) == V{"build configure", "build make", "emscripten-browser emports",
                            "emscripten-browser configure", "emscripten-browser make"});
    CHECK(plan.needs_native);
    CHECK(plan.needs_ports);
    CHECK_FALSE(plan.serve_browser);
}

TEST_CASE("plan: what exists is not redone (build Python and Makefile and offline ports)") {
    FsState st;
    st.native_python = st.native_makefile = st.target_makefile = st.ports_prefix = true;
    auto plan = make_plan(request("emscripten-browser"), layout_311(), toolchain(), st);
    CHECK(titles(plan) == V{"emscripten-browser make"});
    CHECK_FALSE(plan.needs_native);
    CHECK(plan.offline_ports);
    CHECK(plan.notes.size() == 2);
    // With a complete offline prefix configure points at it.
    st.target_makefile = false;
    plan = make_plan(request("emscripten-browser"), layout_311(), toolchain(), st);
    auto const& conf = plan.steps[0].actions.back().cmd;
    CHECK(std::find(conf.argv.begin(), conf.argv.end(),
                    "ZLIB_LIBS=-L/src/cpython/builddir/emports/emscripten-browser/lib -lz") != conf.argv.end());
}

TEST_CASE("plan: --clean cleans the target and the build Python which is then rebuilt") {
    FsState st;
    st.native_python = st.native_makefile = st.target_makefile = true;
    auto req = request("wasi");
    req.clean = true;
    auto plan = make_plan(req, layout_311(), toolchain(), st);
    CHECK(titles(plan) == V{"wasi clean", "build clean", "build make", "wasi make"});
}

TEST_CASE("plan: run on a browser profile runs the page headless after the steps; elsewhere it is repl") {
    FsState st;
    st.native_python = st.native_makefile = st.target_makefile = true;
    auto plan = make_plan(request("emscripten-browser", {"compile", "run"}), layout_311(), toolchain(), st);
    CHECK(titles(plan) == V{"emscripten-browser compile"});
    CHECK(plan.serve_browser);
    CHECK(plan.run_headless);
    plan = make_plan(request("emscripten-browser", {"repl"}), layout_311(), toolchain(), st);
    CHECK(plan.serve_browser);
    CHECK_FALSE(plan.run_headless);
    plan = make_plan(request("emscripten-node-dl", {"run"}), layout_311(), toolchain(), st);
    CHECK(titles(plan) == V{"emscripten-node-dl run"});
    CHECK(plan.steps.back().actions.back().interactive);
    CHECK_FALSE(plan.serve_browser);
    CHECK_FALSE(plan.run_headless);
}

TEST_CASE("plan: ops run in the given order and repl on a browser profile serves afterwards") {
    FsState st;
    st.native_python = st.native_makefile = st.target_makefile = true;
    auto plan =
        make_plan(request("emscripten-browser-debug", {"configure", "compile", "repl"}), layout_311(), toolchain(), st);
    CHECK(titles(plan) == V{"emscripten-browser-debug configure", "emscripten-browser-debug compile"});
    CHECK(plan.serve_browser);
    plan = make_plan(request("emscripten-node-dl", {"pythoninfo", "test", "repl"}), layout_311(), toolchain(), st);
    CHECK(titles(plan) == V{"emscripten-node-dl pythoninfo", "emscripten-node-dl test", "emscripten-node-dl repl"});
    CHECK(plan.steps.back().actions.back().interactive);
    CHECK_FALSE(plan.serve_browser);
}

TEST_CASE("plan: ops that cannot apply are usage errors") {
    auto plan = make_plan(request("emscripten-browser", {"test"}), layout_311(), toolchain(), FsState{});
    CHECK(plan.error.find("browser") != std::string::npos);
    plan = make_plan(request("wasi", {"emports"}), layout_311(), toolchain(), FsState{});
    CHECK(plan.error.find("not an Emscripten profile") != std::string::npos);
}

TEST_CASE("plan: wasi touches Modules/Setup.local once before its first configure") {
    auto plan = make_plan(request("wasi"), layout_311(), toolchain(), FsState{});
    CHECK(titles(plan) == V{"build configure", "build make", "wasi configure", "wasi make"});
    auto touches = [](Step const& s) {
        return std::count_if(s.actions.begin(), s.actions.end(),
                             [](Action const& a) { return a.kind == Action::Kind::touch; });
    };
    CHECK(touches(plan.steps[0]) == 0);
    CHECK(touches(plan.steps[2]) == 1);
    CHECK(touches(plan.steps[3]) == 0);
    CHECK(plan.steps[2].actions[1].path == "/src/cpython/Modules/Setup.local");
}

TEST_CASE("plan: cleanall removes the profile and `build cleanall` without a profile removes every profile") {
    auto plan = make_plan(request("emscripten-browser", {"cleanall"}), layout_311(), toolchain(), FsState{});
    REQUIRE(plan.steps.size() == 1);
    CHECK(plan.steps[0].actions[0].path == "/src/cpython/builddir/emscripten-browser");
    auto req = request("emscripten-browser", {"cleanall"});
    req.every_profile = true;
    plan = make_plan(req, layout_311(), toolchain(), FsState{});
    CHECK(plan.steps[0].actions.size() == all_profiles().size() + 1);
}

TEST_CASE("plan: --ports-src builds the three libraries with emcc before configure") {
    PortsSources src{"/s/zlib-1.2.13", "/s/bzip2-1.0.8", "/s/sqlite3-3.40.1"};
    auto req = request("emscripten-browser");
    req.ports_src = src;
    FsState st;
    st.native_python = st.native_makefile = true;
    auto plan = make_plan(req, layout_311(), toolchain(), st);
    // /s/sqlite3-3.40.1 has no sqlite3.c: its amalgamation is made first, natively.
    CHECK(titles(plan) == V{"emscripten-browser sqlite3 amalgamation", "emscripten-browser emports",
                            "emscripten-browser configure", "emscripten-browser make"});
    CHECK_FALSE(plan.needs_ports);
    auto const& ports = plan.steps[1].actions;
    auto rendered = std::string{};
    for (auto const& a : ports) rendered += render_action(a) + "\n";
    CHECK(rendered.find(
              "/opt/emsdk/upstream/emscripten/emcc -O2 -fPIC -DHAVE_UNISTD_H -DHAVE_STDARG_H -c "
              "/s/zlib-1.2.13/adler32.c -o /src/cpython/builddir/emports/emscripten-browser/obj/zlib/adler32.o") !=
          std::string::npos);
    CHECK(rendered.find("emar rcs /src/cpython/builddir/emports/emscripten-browser/lib/libbz2.a") != std::string::npos);
    CHECK(rendered.find("-DSQLITE_OMIT_LOAD_EXTENSION") != std::string::npos);
    CHECK(rendered.find("cp /s/bzip2-1.0.8/bzlib.h /src/cpython/builddir/emports/emscripten-browser/include/bzlib.h") !=
          std::string::npos);
    auto const& amalg = plan.steps[0].actions;
    CHECK(render_action(amalg[1]) == "/s/sqlite3-3.40.1/configure --disable-tcl --disable-readline");
    CHECK(render_action(amalg[2]) == "make sqlite3.c");
}

TEST_CASE("dry run: the script has each step in a subshell with its env and cd and README-shaped commands") {
    FsState st;
    auto req = request("emscripten-browser");
    auto plan = make_plan(req, layout_311(), toolchain(), st);
    auto script = render_plan(plan, req, layout_311(), toolchain());
    CHECK(script.find("# [4/5] emscripten-browser configure\n(\n") != std::string::npos);
    CHECK(script.find("  export TZ=UTC\n") != std::string::npos);
    CHECK(script.find("  cd /src/cpython/builddir/emscripten-browser\n"
                      "  CONFIG_SITE=../../Tools/wasm/config.site-wasm32-emscripten \\\n"
                      "    /opt/emsdk/upstream/emscripten/emconfigure ../../configure -C \\\n"
                      "        --host=wasm32-unknown-emscripten \\\n") != std::string::npos);
    CHECK(script.find("  /opt/emsdk/upstream/emscripten/emmake make -j2\n)") != std::string::npos);
    CHECK(script.find("nothing has been run") != std::string::npos);
}

namespace {

PreflightInput input(std::string_view profile, Environment env) {
    PreflightInput in;
    in.profile = find_profile(profile);
    in.env = std::move(env);
    in.pkg_config_exists = [](std::string const&) { return true; };
    return in;
}

std::vector<std::string> blocking(std::vector<Problem> const& ps, bool force = false) {
    std::vector<std::string> out;
    for (auto const& p : ps)
        if (p.blocks(force)) out.push_back(p.what);
    return out;
}

}  // namespace

TEST_CASE("preflight: a missing WASI SDK and wasmtime are refused with the fix") {
    auto tc = toolchain();
    tc.wasi_sdk = "/nonexistent/wasi-sdk";
    auto ps = preflight(input("wasi", {{"PATH", "/nonexistent"}}), layout_311(), tc);
    REQUIRE(blocking(ps).size() == 2);
    CHECK(ps[0].fix.find("WASI_SDK_PATH") != std::string::npos);
    CHECK(ps[1].what == "wasmtime");
    CHECK(ps[1].fix.find("https://wasmtime.dev") != std::string::npos);
}

TEST_CASE("preflight: a --env HOSTRUNNER replaces the wasmtime requirement by its own program") {
    auto tc = toolchain();
    tc.wasi_sdk = fs::path(WASMDEV_FIXTURES_DIR) / "fake-cpython" / "wasi-sdk";
    auto in = input("wasi", {{"PATH", "/bin:/usr/bin"}});
    in.extra_env = {"HOSTRUNNER=sh -c"};
    CHECK(blocking(preflight(in, layout_311(), tc)).empty());
    in.extra_env = {"HOSTRUNNER=no-such-runner --x"};
    CHECK(blocking(preflight(in, layout_311(), tc)) == V{"no-such-runner"});
}

TEST_CASE("preflight: Emscripten missing or too old or known broken and --force passes only version refusals") {
    auto tc = toolchain();
    tc.emscripten = Emscripten{};
    CHECK(blocking(preflight(input("emscripten-browser", {}), layout_311(), tc)) == V{"Emscripten"});

    tc = toolchain();
    tc.emscripten.version = "3.1.6";
    auto ps = preflight(input("emscripten-browser", {}), layout_311(), tc);
    CHECK(blocking(ps) == V{"Emscripten 3.1.6"});
    CHECK(ps[0].fix.find("older than the minimum 3.1.19") != std::string::npos);
    CHECK(blocking(ps, true).empty());

    tc.emscripten.version = "3.1.20";
    ps = preflight(input("emscripten-browser", {}), layout_311(), tc);
    CHECK(ps[0].fix.find("known bugs") != std::string::npos);

    tc = toolchain();
    tc.emscripten.emconfigure.clear();
    CHECK(blocking(preflight(input("emscripten-browser", {}), layout_311(), tc), true) == V{"emconfigure"});
}

TEST_CASE("preflight: a frozen cache cannot build ports unless they come from --ports-src") {
    auto tc = toolchain();
    tc.emscripten.frozen_cache = true;
    auto in = input("emscripten-browser", {});
    in.needs_ports = true;
    auto ps = preflight(in, layout_311(), tc);
    REQUIRE(blocking(ps) == V{"Emscripten ports"});
    CHECK(ps[0].fix.find("--ports-src") != std::string::npos);
    in.needs_ports = false;  // offline ports planned instead of embuilder
    CHECK(blocking(preflight(in, layout_311(), tc)).empty());
}

TEST_CASE("preflight: the native build needs a compiler and make and pkg-config and zlib") {
    auto in = input("build", {{"PATH", "/nonexistent"}});
    CHECK(blocking(preflight(in, layout_311(), toolchain())) == V{"cc", "make", "pkg-config"});
    in.env["PATH"] = "/usr/bin:/bin";
    in.pkg_config_exists = [](std::string const& m) { return m != "zlib"; };
    if (!find_executable("pkg-config", "/usr/bin:/bin").empty() && !find_executable("make", "/usr/bin:/bin").empty())
        CHECK(blocking(preflight(in, layout_311(), toolchain())) == V{"zlib"});
}

TEST_CASE("preflight: unknown Python versions are a --force refusal") {
    auto layout = layout_311();
    layout.version = "3.10";
    auto in = input("build", {{"PATH", "/usr/bin:/bin"}});
    auto ps = preflight(in, layout, toolchain());
    CHECK(std::any_of(ps.begin(), ps.end(), [](auto const& p) { return p.what == "Python 3.10" && p.blocks(false); }));
    CHECK(std::none_of(ps.begin(), ps.end(), [](auto const& p) { return p.what == "Python 3.10" && p.blocks(true); }));
}
