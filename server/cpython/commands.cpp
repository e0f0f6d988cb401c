// argv and environment generation, following wasm_build.py's BuildProfile.configure_cmd,
// make_cmd and getenv(), with the README's relative CONFIG_SITE and `make -jN`.
#include "server/cpython/commands.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

namespace {

std::string relative_to_builddir(CPythonLayout const& layout, fs::path const& rel_to_src) {
    // builddir/PROFILE is always two levels below srcdir.
    return (fs::path("../..") / rel_to_src).string();
}

}  // namespace

std::vector<std::string> configure_argv(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                                        BuildSettings const& s, bool is_target) {
    std::vector<std::string> argv;
    if (is_emscripten(p.host))
        argv.push_back(tc.emscripten.emconfigure.empty() ? "emconfigure" : tc.emscripten.emconfigure.string());
    if (is_wasi(p.host)) argv.push_back(relative_to_builddir(layout, layout.wasi_env));
    // Relative, so WASI tests find the lib prefix (wasm_build.py does the same).
    argv.push_back("../../configure");
    argv.push_back("-C");
    if (p.host != Host::native) {
        argv.push_back("--host=" + std::string(host_triple(p.host)));
        argv.push_back("--build=" + tc.build_triple);
        if (p.target != EmscriptenTarget::none)
            argv.push_back("--with-emscripten-target=" + std::string(target_name(p.target)));
        if (p.dynamic_linking)
            argv.push_back(std::string(*p.dynamic_linking ? "--enable" : "--disable") + "-wasm-dynamic-linking");
        if (p.pthreads) argv.push_back(std::string(*p.pthreads ? "--enable" : "--disable") + "-wasm-pthreads");
        argv.push_back("--with-build-python=" +
                       (layout.profile_dir(native_profile().name) / python_exe(Host::native)).string());
    }
    if (s.silent) argv.push_back("--silent");
    if (is_target) {
        if (s.ports_prefix && is_emscripten(p.host))
            for (auto& a : ports_prefix_configure_args(*s.ports_prefix)) argv.push_back(std::move(a));
        argv.insert(argv.end(), s.configure_args.begin(), s.configure_args.end());
    }
    return argv;
}

Command configure_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                          BuildSettings const& s, bool is_target) {
    Command c;
    c.argv = configure_argv(p, layout, tc, s, is_target);
    c.cwd = layout.profile_dir(p.name);
    if (is_emscripten(p.host))
        c.assignments.emplace_back("CONFIG_SITE", relative_to_builddir(layout, layout.config_site_emscripten));
    if (is_wasi(p.host))
        c.assignments.emplace_back("CONFIG_SITE", relative_to_builddir(layout, layout.config_site_wasi));
    c.env = profile_env(p, layout, tc, s);
    return c;
}

std::vector<std::string> make_argv(BuildProfile const& p, Toolchain const& tc, BuildSettings const& s,
                                   std::vector<std::string> const& targets, bool is_target) {
    std::vector<std::string> argv;
    if (is_emscripten(p.host)) argv.push_back(tc.emscripten.emmake.empty() ? "emmake" : tc.emscripten.emmake.string());
    argv.push_back("make");
    if (targets.empty()) argv.push_back("-j" + std::to_string(s.jobs));
    if (s.silent) argv.push_back("--silent");
    argv.insert(argv.end(), targets.begin(), targets.end());
    // With the offline ports, libz.a reaches the dynamic-linking link twice under
    // --whole-archive (binascii and zlib): "duplicate symbol: adler32". zlib's copy suffices.
    if (is_target && s.ports_prefix && is_emscripten(p.host) && p.dynamic_linking.value_or(false))
        argv.push_back("MODULE_BINASCII_LDFLAGS=");
    if (is_target) argv.insert(argv.end(), s.make_vars.begin(), s.make_vars.end());
    return argv;
}

Command make_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc, BuildSettings const& s,
                     std::vector<std::string> const& targets, bool is_target) {
    Command c;
    c.argv = make_argv(p, tc, s, targets, is_target);
    c.cwd = layout.profile_dir(p.name);
    c.env = profile_env(p, layout, tc, s);
    return c;
}

std::vector<std::string> make_targets_for(Op op, BuildProfile const& p, BuildSettings const& s) {
    auto testopts = [&] { return "TESTOPTS=" + s.testopts.value_or(std::string(p.default_testopts)); };
    switch (op) {
        case Op::pythoninfo: return {"pythoninfo"};
        case Op::test: return {"buildbottest", testopts()};
        case Op::hostrunnertest: return {"hostrunnertest", testopts()};
        case Op::clean: return {"clean"};
        case Op::repl:
        case Op::run: return {"--eval", "run: all; $(HOSTRUNNER) ./$(PYTHON) ", "run"};
        case Op::build:
        case Op::configure:
        case Op::compile:
        case Op::cleanall:
        case Op::emports: return {};
    }
    return {};
}

std::string wasi_hostrunner(BuildProfile const& p, CPythonLayout const& layout) {
    auto rel = fs::path("builddir") / p.name;
    auto lib = "/" + (rel / "build" / ("lib.wasi-wasm32-" + layout.version)).string();
    if (layout.version == "3.11")
        return "wasmtime run --env PYTHONPATH=" + lib + ":/Lib --mapdir /::" + layout.srcdir.string() + " --";
    // 3.12 and later: wasmtime 14's CLI.
    return "wasmtime run --wasm max-wasm-stack=16777216 --dir " + layout.srcdir.string() +
           "::/ --env PYTHONPATH=" + lib + ":" + lib + "-pydebug:/Lib";
}

EnvChanges profile_env(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                       BuildSettings const& s) {
    using Op = EnvChange::Op;
    EnvChanges env;
    env.push_back({Op::set_default, "MAKEFLAGS", "-j" + std::to_string(s.jobs)});
    if (is_emscripten(p.host)) {
        auto const& em = tc.emscripten;
        // Workaround for emscripten-core/emscripten#17635 (time zone offsets).
        env.push_back({Op::set, "TZ", "UTC"});
        if (tc.ccache)
            env.push_back({Op::set, "EM_COMPILER_WRAPPER", "ccache"});
        else
            env.push_back({Op::unset, "EM_COMPILER_WRAPPER", ""});
        std::string path = em.root.string();
        // Emscripten's own Node for wasm32; wasm64 needs a newer one from PATH.
        if (p.host == Host::wasm32_emscripten && !em.node_js.empty())
            path = em.node_js.parent_path().string() + ":" + path;
        env.push_back({Op::prepend_path, "PATH", path});
        if (!em.node_path.empty()) env.push_back({Op::prepend_path, "NODE_PATH", em.node_path});
        if (em.packaged) env.push_back({Op::set_default, "EMSDK_PYTHON", "/usr/bin/python3"});
    }
    if (is_wasi(p.host)) {
        env.push_back({Op::set, "WASI_SDK_PATH", tc.wasi_sdk.string()});
        // Workaround for python/cpython#95952: tests need the build's lib dir mapped in.
        env.push_back({Op::set, "HOSTRUNNER", wasi_hostrunner(p, layout)});
        env.push_back({Op::prepend_path, "PATH", (tc.wasi_sdk / "bin").string()});
    }
    for (auto const& kv : s.extra_env) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) continue;
        env.push_back({Op::set, kv.substr(0, eq), kv.substr(eq + 1)});
    }
    return env;
}

std::vector<std::string> port_variant_flags(BuildProfile const& p) {
    std::vector<std::string> f;
    f.push_back(p.host == Host::wasm64_emscripten ? "-sMEMORY64=1" : "-sMEMORY64=0");
    f.push_back(is_debug(p) ? "-O0" : "-O2");
    return f;
}

Command embuilder_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                          BuildSettings const& s, bool force) {
    Command c;
    c.argv.push_back(tc.emscripten.embuilder.empty() ? "embuilder" : tc.emscripten.embuilder.string());
    if (p.host == Host::wasm64_emscripten) c.argv.push_back("--wasm64");
    if (force) c.argv.push_back("--force");
    if (p.dynamic_linking.value_or(false)) c.argv.push_back("--pic");
    for (auto t : {"build", "bzip2", p.pthreads.value_or(false) ? "sqlite3-mt" : "sqlite3", "zlib"})
        c.argv.push_back(t);
    c.cwd = layout.srcdir;
    c.env = profile_env(p, layout, tc, s);
    return c;
}

Command emcc_ports_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                           BuildSettings const& s, fs::path const& tmpdir) {
    Command c;
    c.argv.push_back(tc.emscripten.emcc.empty() ? "emcc" : tc.emscripten.emcc.string());
    for (auto& f : port_variant_flags(p)) c.argv.push_back(std::move(f));
    if (p.dynamic_linking.value_or(false)) c.argv.push_back("-sMAIN_MODULE");  // triggers the PIC variants
    if (p.pthreads.value_or(false)) c.argv.push_back("-sUSE_PTHREADS");
    for (auto f : {"-sUSE_ZLIB", "-sUSE_BZIP2", "-sUSE_SQLITE3"}) c.argv.push_back(f);
    c.argv.push_back((tmpdir / "main.c").string());
    c.argv.push_back("-o");
    c.argv.push_back((tmpdir / "main.js").string());
    c.cwd = tmpdir;
    c.env = profile_env(p, layout, tc, s);
    return c;
}

std::vector<std::string> ports_prefix_configure_args(fs::path const& prefix) {
    auto inc = "-I" + (prefix / "include").string();
    auto lib = "-L" + (prefix / "lib").string();
    std::vector<std::string> a{
        "ZLIB_CFLAGS=" + inc,           "ZLIB_LIBS=" + lib + " -lz", "BZIP2_CFLAGS=" + inc,
        "BZIP2_LIBS=" + lib + " -lbz2", "LIBSQLITE3_CFLAGS=" + inc,  "LIBSQLITE3_LIBS=" + lib + " -lsqlite3",
    };
    for (auto fn :
         {"bind_double", "column_decltype", "column_double", "complete", "enable_shared_cache", "progress_handler",
          "result_double", "serialize", "set_authorizer", "trace", "trace_v2", "value_double"})
        a.push_back(std::string("ac_cv_lib_sqlite3_sqlite3_") + fn + "=yes");
    // emports builds sqlite3 with SQLITE_OMIT_LOAD_EXTENSION, as Emscripten's own port does.
    a.push_back("ac_cv_lib_sqlite3_sqlite3_load_extension=no");
    return a;
}

}  // namespace wasmdev::cpython
