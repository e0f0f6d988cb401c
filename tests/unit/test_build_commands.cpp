// wasmdev build's profile table and its configure/make argv and environment, for every
// profile, against the seed README's commands and wasm_build.py's switches.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "server/cpython/commands.hpp"
#include "server/cpython/profiles.hpp"

using namespace wasmdev::cpython;

namespace {

CPythonLayout layout_311() {
    CPythonLayout l;
    l.srcdir = "/src/cpython";
    l.version = "3.11";
    return l;
}

// An emsdk as the README installs it, with the tool names the README writes.
Toolchain readme_toolchain() {
    Toolchain tc;
    tc.emscripten.found = true;
    tc.emscripten.root = "/opt/emsdk/upstream/emscripten";
    tc.emscripten.node_js = "/opt/emsdk/node/14.18.2_64bit/bin/node";
    tc.emscripten.emconfigure = "emconfigure";
    tc.emscripten.emmake = "emmake";
    tc.emscripten.emcc = "emcc";
    tc.emscripten.embuilder = "embuilder";
    tc.emscripten.version = "3.1.19";
    tc.wasi_sdk = "/opt/wasi-sdk";
    tc.build_triple = "x86_64-pc-linux-gnu";
    return tc;
}

BuildSettings jobs4() {
    BuildSettings s;
    s.jobs = 4;
    return s;
}

std::string env_value(EnvChanges const& env, std::string const& name) {
    auto it = std::find_if(env.begin(), env.end(), [&](auto const& e) { return e.name == name; });
    return it == env.end() ? "<absent>" : it->value;
}

bool env_unsets(EnvChanges const& env, std::string const& name) {
    return std::any_of(env.begin(), env.end(),
                       [&](auto const& e) { return e.name == name && e.op == EnvChange::Op::unset; });
}

}  // namespace

TEST_CASE("profiles: the table has wasm_build.py's eleven profiles with their switches") {
    struct Row {
        std::string_view name, triple, target;
        int dl, pthreads;  // -1: not passed
        SupportLevel support;
    };
    Row const rows[] = {
        {"build", "", "", -1, -1, SupportLevel::working},
        {"emscripten-browser", "wasm32-unknown-emscripten", "browser", 1, -1, SupportLevel::supported},
        {"emscripten-browser-debug", "wasm32-unknown-emscripten", "browser-debug", 1, -1, SupportLevel::working},
        {"emscripten-node-dl", "wasm32-unknown-emscripten", "node", 1, -1, SupportLevel::supported},
        {"emscripten-node-dl-debug", "wasm32-unknown-emscripten", "node-debug", 1, -1, SupportLevel::working},
        {"emscripten-node-pthreads", "wasm32-unknown-emscripten", "node", -1, 1, SupportLevel::supported},
        {"emscripten-node-pthreads-debug", "wasm32-unknown-emscripten", "node-debug", -1, 1, SupportLevel::working},
        {"emscripten-node-dl-pthreads-debug", "wasm32-unknown-emscripten", "node-debug", 1, 1, SupportLevel::broken},
        {"wasm64-emscripten-node-debug", "wasm64-unknown-emscripten", "node-debug", 0, 0, SupportLevel::experimental},
        {"wasi", "wasm32-unknown-wasi", "", -1, -1, SupportLevel::supported},
        {"wasi-threads", "wasm32-unknown-wasi", "", -1, 1, SupportLevel::experimental},
    };
    CHECK(all_profiles().size() == std::size(rows));
    for (auto const& row : rows) {
        CAPTURE(row.name);
        auto const* p = find_profile(row.name);
        REQUIRE(p);
        CHECK(host_triple(p->host) == row.triple);
        CHECK(target_name(p->target) == row.target);
        CHECK((p->dynamic_linking ? int(*p->dynamic_linking) : -1) == row.dl);
        CHECK((p->pthreads ? int(*p->pthreads) : -1) == row.pthreads);
        CHECK(p->support == row.support);
        CHECK(listed_in_help(*p) == (row.support == SupportLevel::supported || row.support == SupportLevel::working));
    }
    CHECK(find_profile("emscripten-browser-dl") == nullptr);
    CHECK(&native_profile() == find_profile("build"));
}

TEST_CASE("configure and make: every profile's commands match the README and wasm_build.py") {
    struct Row {
        std::string_view profile, configure, make;
    };
    std::string const bp = "--with-build-python=/src/cpython/builddir/build/python";
    std::string const em =
        "CONFIG_SITE=../../Tools/wasm/config.site-wasm32-emscripten emconfigure ../../configure -C "
        "--host=wasm32-unknown-emscripten --build=x86_64-pc-linux-gnu ";
    std::string const em64 =
        "CONFIG_SITE=../../Tools/wasm/config.site-wasm32-emscripten emconfigure ../../configure -C "
        "--host=wasm64-unknown-emscripten --build=x86_64-pc-linux-gnu ";
    std::string const wasi =
        "CONFIG_SITE=../../Tools/wasm/config.site-wasm32-wasi ../../Tools/wasm/wasi-env "
        "../../configure -C --host=wasm32-unknown-wasi --build=x86_64-pc-linux-gnu ";
    struct Expect {
        std::string profile, configure, make;
    };
    Expect const rows[] = {
        {"build", "../../configure -C", "make -j4"},
        {"emscripten-browser", em + "--with-emscripten-target=browser --enable-wasm-dynamic-linking " + bp,
         "emmake make -j4"},
        {"emscripten-browser-debug", em + "--with-emscripten-target=browser-debug --enable-wasm-dynamic-linking " + bp,
         "emmake make -j4"},
        {"emscripten-node-dl", em + "--with-emscripten-target=node --enable-wasm-dynamic-linking " + bp,
         "emmake make -j4"},
        {"emscripten-node-dl-debug", em + "--with-emscripten-target=node-debug --enable-wasm-dynamic-linking " + bp,
         "emmake make -j4"},
        {"emscripten-node-pthreads", em + "--with-emscripten-target=node --enable-wasm-pthreads " + bp,
         "emmake make -j4"},
        {"emscripten-node-pthreads-debug", em + "--with-emscripten-target=node-debug --enable-wasm-pthreads " + bp,
         "emmake make -j4"},
        {"emscripten-node-dl-pthreads-debug",
         em + "--with-emscripten-target=node-debug --enable-wasm-dynamic-linking --enable-wasm-pthreads " + bp,
         "emmake make -j4"},
        {"wasm64-emscripten-node-debug",
         em64 + "--with-emscripten-target=node-debug --disable-wasm-dynamic-linking --disable-wasm-pthreads " + bp,
         "emmake make -j4"},
        {"wasi", wasi + bp, "make -j4"},
        {"wasi-threads", wasi + "--enable-wasm-pthreads " + bp, "make -j4"},
    };
    auto layout = layout_311();
    auto tc = readme_toolchain();
    for (auto const& row : rows) {
        CAPTURE(row.profile);
        auto const& p = *find_profile(row.profile);
        auto conf = configure_command(p, layout, tc, jobs4(), true);
        CHECK(render_command(conf) == row.configure);
        CHECK(conf.cwd == "/src/cpython/builddir/" + row.profile);
        auto make = make_command(p, layout, tc, jobs4(), {}, true);
        CHECK(render_command(make) == row.make);
        CHECK(make.cwd == conf.cwd);
    }
}

TEST_CASE(
    "environment: emscripten profiles get TZ and MAKEFLAGS and PATH and the ccache wrapper as CPython sets them") {
    auto layout = layout_311();
    auto tc = readme_toolchain();
    auto env = profile_env(*find_profile("emscripten-browser"), layout, tc, jobs4());
    CHECK(env_value(env, "TZ") == "UTC");
    CHECK(env_value(env, "MAKEFLAGS") == "-j4");
    CHECK(env_unsets(env, "EM_COMPILER_WRAPPER"));
    CHECK(env_value(env, "PATH") == "/opt/emsdk/node/14.18.2_64bit/bin:/opt/emsdk/upstream/emscripten");
    CHECK(env_value(env, "NODE_PATH") == "<absent>");
    tc.ccache = true;
    env = profile_env(*find_profile("emscripten-browser"), layout, tc, jobs4());
    CHECK(env_value(env, "EM_COMPILER_WRAPPER") == "ccache");
    // wasm64 needs a newer node than emsdk's: only the Emscripten root goes first on PATH.
    env = profile_env(*find_profile("wasm64-emscripten-node-debug"), layout, tc, jobs4());
    CHECK(env_value(env, "PATH") == "/opt/emsdk/upstream/emscripten");

    // MAKEFLAGS only when the user has none, as wasm_build.py's setdefault().
    auto applied = apply_env({{"MAKEFLAGS", "-j9"}, {"PATH", "/usr/bin"}, {"EM_COMPILER_WRAPPER", "x"}},
                             profile_env(*find_profile("emscripten-browser"), layout, readme_toolchain(), jobs4()));
    CHECK(applied["MAKEFLAGS"] == "-j9");
    CHECK(applied["PATH"] == "/opt/emsdk/node/14.18.2_64bit/bin:/opt/emsdk/upstream/emscripten:/usr/bin");
    CHECK(applied.count("EM_COMPILER_WRAPPER") == 0);
}

TEST_CASE("environment: a packaged Emscripten gets NODE_PATH for acorn and EMSDK_PYTHON") {
    auto tc = readme_toolchain();
    tc.emscripten.root = "/usr/share/emscripten";
    tc.emscripten.node_js = "/usr/bin/node";
    tc.emscripten.packaged = true;
    tc.emscripten.node_path = "/usr/share/nodejs";
    auto env = profile_env(*find_profile("emscripten-browser"), layout_311(), tc, jobs4());
    CHECK(env_value(env, "NODE_PATH") == "/usr/share/nodejs");
    CHECK(env_value(env, "EMSDK_PYTHON") == "/usr/bin/python3");
    auto applied = apply_env({{"PATH", "/bin"}, {"NODE_PATH", "/mine"}}, env);
    CHECK(applied["NODE_PATH"] == "/usr/share/nodejs:/mine");
    CHECK(applied["PATH"] == "/usr/bin:/usr/share/emscripten:/bin");
}

TEST_CASE("environment: wasi gets WASI_SDK_PATH and the HOSTRUNNER of its CPython version") {
    auto layout = layout_311();
    auto tc = readme_toolchain();
    auto env = profile_env(*find_profile("wasi"), layout, tc, jobs4());
    CHECK(env_value(env, "WASI_SDK_PATH") == "/opt/wasi-sdk");
    CHECK(env_value(env, "PATH") == "/opt/wasi-sdk/bin");
    CHECK(env_value(env, "HOSTRUNNER") ==
          "wasmtime run --env PYTHONPATH=/builddir/wasi/build/lib.wasi-wasm32-3.11:/Lib --mapdir /::/src/cpython --");
    CHECK(env_value(env, "TZ") == "<absent>");
    layout.version = "3.12";
    CHECK(wasi_hostrunner(*find_profile("wasi"), layout).find("--dir /src/cpython::/") != std::string::npos);
    // --env comes last and wins.
    BuildSettings s = jobs4();
    s.extra_env = {"HOSTRUNNER=node runner.mjs", "FOO=a=b"};
    env = profile_env(*find_profile("wasi"), layout, tc, s);
    auto applied = apply_env({}, env);
    CHECK(applied["HOSTRUNNER"] == "node runner.mjs");
    CHECK(applied["FOO"] == "a=b");
}

TEST_CASE("configure and make: --silent and extra arguments and make variables reach only the target profile") {
    auto layout = layout_311();
    auto tc = readme_toolchain();
    BuildSettings s = jobs4();
    s.silent = true;
    s.configure_args = {"--with-pydebug"};
    s.make_vars = {"MODULE_BINASCII_LDFLAGS="};
    auto const& p = *find_profile("emscripten-browser");
    auto conf = configure_argv(p, layout, tc, s, true);
    CHECK(conf.back() == "--with-pydebug");
    CHECK(std::count(conf.begin(), conf.end(), "--silent") == 1);
    CHECK(make_argv(p, tc, s, {}, true) ==
          std::vector<std::string>{"emmake", "make", "-j4", "--silent", "MODULE_BINASCII_LDFLAGS="});
    // The native build Python never gets them.
    CHECK(configure_argv(native_profile(), layout, tc, s, false) ==
          std::vector<std::string>{"../../configure", "-C", "--silent"});
    CHECK(make_argv(native_profile(), tc, s, {}, false) == std::vector<std::string>{"make", "-j4", "--silent"});
}

TEST_CASE("make targets: each op's make arguments as wasm_build.py runs them") {
    auto const& p = *find_profile("emscripten-node-dl");
    BuildSettings s = jobs4();
    CHECK(make_targets_for(Op::build, p, s).empty());
    CHECK(make_targets_for(Op::pythoninfo, p, s) == std::vector<std::string>{"pythoninfo"});
    CHECK(make_targets_for(Op::test, p, s) == std::vector<std::string>{"buildbottest", "TESTOPTS=-j2"});
    s.testopts = "-v test_os";
    CHECK(make_targets_for(Op::hostrunnertest, p, s) ==
          std::vector<std::string>{"hostrunnertest", "TESTOPTS=-v test_os"});
    CHECK(make_targets_for(Op::repl, p, s) ==
          std::vector<std::string>{"--eval", "run: all; $(HOSTRUNNER) ./$(PYTHON) ", "run"});
    // Without a build target make runs on MAKEFLAGS alone, as wasm_build.py's make does.
    CHECK(make_argv(p, readme_toolchain(), s, make_targets_for(Op::test, p, s), true) ==
          std::vector<std::string>{"emmake", "make", "buildbottest", "TESTOPTS=-v test_os"});
}

TEST_CASE("emports: embuilder and the emcc link select the variant of each profile") {
    auto layout = layout_311();
    auto tc = readme_toolchain();
    struct Row {
        std::string_view profile, embuilder, emcc;
    };
    Row const rows[] = {
        {"emscripten-browser", "embuilder --pic build bzip2 sqlite3 zlib",
         "emcc -sMEMORY64=0 -O2 -sMAIN_MODULE -sUSE_ZLIB -sUSE_BZIP2 -sUSE_SQLITE3 /t/main.c -o /t/main.js"},
        {"emscripten-browser-debug", "embuilder --pic build bzip2 sqlite3 zlib",
         "emcc -sMEMORY64=0 -O0 -sMAIN_MODULE -sUSE_ZLIB -sUSE_BZIP2 -sUSE_SQLITE3 /t/main.c -o /t/main.js"},
        {"emscripten-node-pthreads", "embuilder build bzip2 sqlite3-mt zlib",
         "emcc -sMEMORY64=0 -O2 -sUSE_PTHREADS -sUSE_ZLIB -sUSE_BZIP2 -sUSE_SQLITE3 /t/main.c -o /t/main.js"},
        {"wasm64-emscripten-node-debug", "embuilder --wasm64 build bzip2 sqlite3 zlib",
         "emcc -sMEMORY64=1 -O0 -sUSE_ZLIB -sUSE_BZIP2 -sUSE_SQLITE3 /t/main.c -o /t/main.js"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.profile);
        auto const& p = *find_profile(row.profile);
        auto eb = embuilder_command(p, layout, tc, jobs4(), false);
        CHECK(render_command(eb) == row.embuilder);
        CHECK(eb.cwd == "/src/cpython");
        CHECK(render_command(emcc_ports_command(p, layout, tc, jobs4(), "/t")) == row.emcc);
    }
    CHECK(render_command(embuilder_command(*find_profile("emscripten-browser"), layout, tc, jobs4(), true)) ==
          "embuilder --force --pic build bzip2 sqlite3 zlib");
}

TEST_CASE(
    "offline ports: configure gets the prefix flags and the sqlite3 probe answers and make drops binascii's libz") {
    auto layout = layout_311();
    auto tc = readme_toolchain();
    BuildSettings s = jobs4();
    s.ports_prefix = "/src/cpython/builddir/emports/emscripten-browser";
    auto const& p = *find_profile("emscripten-browser");
    auto conf = configure_argv(p, layout, tc, s, true);
    auto has = [&](std::string const& a) { return std::find(conf.begin(), conf.end(), a) != conf.end(); };
    CHECK(has("ZLIB_CFLAGS=-I/src/cpython/builddir/emports/emscripten-browser/include"));
    CHECK(has("ZLIB_LIBS=-L/src/cpython/builddir/emports/emscripten-browser/lib -lz"));
    CHECK(has("BZIP2_LIBS=-L/src/cpython/builddir/emports/emscripten-browser/lib -lbz2"));
    CHECK(has("LIBSQLITE3_LIBS=-L/src/cpython/builddir/emports/emscripten-browser/lib -lsqlite3"));
    CHECK(has("ac_cv_lib_sqlite3_sqlite3_serialize=yes"));
    CHECK(has("ac_cv_lib_sqlite3_sqlite3_load_extension=no"));
    CHECK(make_argv(p, tc, s, {}, true) ==
          std::vector<std::string>{"emmake", "make", "-j4", "MODULE_BINASCII_LDFLAGS="});
    // Without dynamic linking libz.a is not linked twice.
    CHECK(make_argv(*find_profile("emscripten-node-pthreads"), tc, s, {}, true) ==
          std::vector<std::string>{"emmake", "make", "-j4"});
}

TEST_CASE("shell rendering: words are quoted only when they need it") {
    CHECK(shell_quote("--host=wasm32-unknown-emscripten") == "--host=wasm32-unknown-emscripten");
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("a b") == "'a b'");
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(shell_quote("run: all; $(HOSTRUNNER)") == "'run: all; $(HOSTRUNNER)'");
    CHECK(render_env_change({EnvChange::Op::set, "TZ", "UTC"}) == "export TZ=UTC");
    CHECK(render_env_change({EnvChange::Op::unset, "EM_COMPILER_WRAPPER", ""}) == "unset EM_COMPILER_WRAPPER");
    CHECK(render_env_change({EnvChange::Op::prepend_path, "PATH", "/opt/x"}) ==
          "export PATH=/opt/x\"${PATH:+:$PATH}\"");
    CHECK(render_env_change({EnvChange::Op::set_default, "MAKEFLAGS", "-j4"}) ==
          "export MAKEFLAGS=\"${MAKEFLAGS:--j4}\"");
}
