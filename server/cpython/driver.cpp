// Plans for CPython's own WebAssembly drivers: one driver subcommand per step, with the
// skip rules wasm_build.py-style plans use (a build Python that exists is not rebuilt,
// configure runs when there is no Makefile) and offline libffi/mpdecimal when asked.
#include "server/cpython/driver.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "server/cpython/commands.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

DriverPaths driver_paths(PipelineChoice const& c, BuildProfile const& p, CPythonLayout const& layout,
                         std::string const& build_triple, PinnedConfig const& pins) {
    DriverPaths d;
    d.cross_build = layout.srcdir / "cross-build";
    bool const wasi_driver = c.driver.find("wasi") != std::string::npos || c.driver.find("WASI") != std::string::npos;
    // Platforms/WASI keeps the build Python in cross-build/BUILD_GNU_TYPE; the others in cross-build/build.
    d.native_dir = c.pipeline == Pipeline::platforms && wasi_driver ? d.cross_build / build_triple : d.cross_build / "build";
    if (is_wasi(p.host)) {
        d.host_triple = pins.host_triple.value_or("wasm32-wasip1");
        d.host_dir = d.cross_build / d.host_triple;
    } else if (is_emscripten(p.host)) {
        d.host_triple = "wasm32-emscripten";
        d.deps_dir = d.cross_build / d.host_triple / "build";
        d.host_dir = d.deps_dir / "python";
        d.prefix = d.cross_build / d.host_triple / "prefix";
    } else {
        d.host_dir = d.native_dir;
    }
    d.log = d.cross_build / ("wasmdev-" + std::string(p.name) + ".log");
    return d;
}

DriverState probe_driver_state(DriverPaths const& d) {
    std::error_code ec;
    DriverState s;
    s.native_makefile = fs::exists(d.native_dir / "Makefile", ec);
    s.native_python = fs::exists(d.native_dir / "python", ec);
    s.host_makefile = fs::exists(d.host_dir / "Makefile", ec);
    s.deps_built = !d.prefix.empty() && fs::exists(d.prefix / "lib" / "libffi.a", ec) &&
                   fs::exists(d.prefix / "lib" / "libmpdec.a", ec);
    return s;
}

std::string profile_unavailable(BuildProfile const& p, PipelineChoice const& c, std::string const& py_version) {
    if (!is_script_driven(c.pipeline) || p.host == Host::native) return {};
    if (is_wasi(p.host)) {
        if (p.name == "wasi") return {};
        return fmt::format("profile {} does not exist in CPython {}'s {}, which builds one WASI Python: use wasi", p.name,
                           py_version, c.driver);
    }
    if (p.name == "emscripten-browser" || p.name == "emscripten-node-dl") return {};
    return fmt::format("profile {} does not exist in CPython {}'s {}, which makes one Emscripten build (dynamic "
                       "linking, for the browser and Node): use emscripten-browser (repl serves its web_example) or "
                       "emscripten-node-dl (repl runs it in Node); for a debug build, configure the build Python with "
                       "`wasmdev build build --configure-arg=--with-pydebug` (configure-host follows it)",
                       p.name, py_version, c.driver);
}

std::vector<std::string> driver_argv(PipelineChoice const& c, Host host, std::string_view sub, DriverArgs const& a) {
    std::vector<std::string> argv{"python3", c.driver, std::string(sub)};
    bool const configure = sub == "configure-build-python" || sub == "configure-host";
    if (configure && a.clean) argv.push_back("--clean");
    if (sub == "configure-host") {
        if (is_wasi(host) && a.wasi_sdk) {
            argv.push_back("--wasi-sdk");
            argv.push_back(a.wasi_sdk->string());
        }
        if (a.host_runner) {
            argv.push_back("--host-runner");
            argv.push_back(*a.host_runner);
        }
    }
    bool const platforms_em = c.pipeline == Pipeline::platforms && is_emscripten(host);
    if (platforms_em && a.emsdk_cache && sub != "run") {
        argv.push_back("--emsdk-cache");
        argv.push_back(a.emsdk_cache->string());
    }
    if (sub == "run") argv.insert(argv.end(), a.run_args.begin(), a.run_args.end());
    if (configure && !a.configure_args.empty()) {
        argv.push_back("--");
        argv.insert(argv.end(), a.configure_args.begin(), a.configure_args.end());
    }
    return argv;
}

namespace {

Action file_action(Action::Kind kind, fs::path path, std::string content = {}, fs::path from = {}) {
    Action a;
    a.kind = kind;
    a.path = std::move(path);
    a.content = std::move(content);
    a.from = std::move(from);
    return a;
}

// What wasmdev adds to the driver's environment: Debian's Emscripten needs NODE_PATH for
// acorn and EMSDK_PYTHON; then --env values.
EnvChanges driver_env(BuildProfile const& p, Toolchain const& tc, BuildSettings const& s) {
    using Op = EnvChange::Op;
    EnvChanges env;
    if (is_emscripten(p.host)) {
        auto const& em = tc.emscripten;
        // The driver calls emconfigure and emcc from PATH: the Emscripten preflight checked
        // (EM_CONFIG, EMSDK) comes first there, with its Node. A package's wrappers are there already.
        if (em.found && !em.packaged) {
            std::string path = em.root.string();
            if (!em.node_js.empty()) path = em.node_js.parent_path().string() + ":" + path;
            env.push_back({Op::prepend_path, "PATH", path});
        }
        if (!em.node_path.empty()) env.push_back({Op::prepend_path, "NODE_PATH", em.node_path});
        if (em.packaged) env.push_back({Op::set_default, "EMSDK_PYTHON", "/usr/bin/python3"});
    }
    for (auto const& kv : s.extra_env) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) continue;
        env.push_back({Op::set, kv.substr(0, eq), kv.substr(eq + 1)});
    }
    return env;
}

}  // namespace

Plan make_driver_plan(Request const& req, CPythonLayout const& layout, PipelineChoice const& choice,
                      DriverPaths const& paths, PinnedConfig const& pins, Toolchain const& tc, DriverState const& initial) {
    Plan plan;
    auto const& p = *req.profile;
    auto state = initial;
    if (auto why = profile_unavailable(p, choice, layout.version); !why.empty()) {
        plan.error = why;
        return plan;
    }
    std::vector<std::string> ops = req.ops.empty() ? std::vector<std::string>{"build"} : req.ops;
    auto has_op = [&](std::string_view op) { return std::find(ops.begin(), ops.end(), op) != ops.end(); };
    bool const target_is_native = p.host == Host::native;
    bool const em = is_emscripten(p.host);
    auto env = driver_env(p, tc, req.settings);

    auto command = [&](std::vector<std::string> argv, fs::path cwd) {
        Command c;
        c.argv = std::move(argv);
        c.cwd = std::move(cwd);
        c.env = env;
        return c;
    };
    auto run = [&](Command c, bool interactive = false) {
        Action a;
        a.cmd = std::move(c);
        a.interactive = interactive;
        return a;
    };
    auto add = [&](std::string name, std::vector<Action> actions) {
        plan.steps.push_back({std::string(p.name), std::move(name), std::move(actions)});
    };
    auto driver_step = [&](std::string_view sub, DriverArgs a = {}) {
        a.emsdk_cache = req.emsdk_cache;
        add(std::string(sub), {run(command(driver_argv(choice, p.host, sub, a), layout.srcdir))});
        plan.needs_python = true;
        if (sub == "configure-host" || sub == "make-host" || sub == "make-libffi" || sub == "make-mpdec")
            plan.builds_host = true;
    };

    auto native_steps = [&](bool for_target) {
        if (req.clean || !state.native_makefile) {
            DriverArgs a;
            a.clean = req.clean;
            if (for_target) a.configure_args = req.settings.configure_args;
            driver_step("configure-build-python", a);
            state.native_makefile = true;
            plan.needs_native = true;
        }
        if (req.clean || !state.native_python) {
            driver_step("make-build-python");
            state.native_python = true;
            plan.needs_native = true;
        } else {
            plan.notes.push_back(fmt::format("build Python {} exists, not rebuilt (--clean rebuilds it)",
                                             (paths.native_dir / "python").string()));
        }
    };

    auto deps_steps = [&] {
        if (state.deps_built && !req.clean) {
            plan.notes.push_back(fmt::format("libffi and mpdecimal are in {}, not rebuilt", paths.prefix.string()));
            return;
        }
        if (!req.deps_src) {
            driver_step("make-libffi");
            driver_step("make-mpdec");
            plan.needs_deps_download = true;
            state.deps_built = true;
            return;
        }
        auto const& src = *req.deps_src;
        auto driver_dir = layout.srcdir / choice.driver;
        struct Dep {
            std::string name, marker;
            fs::path from;
            std::string version;
            std::optional<PinnedDep> pin;
        };
        for (auto const& d : {Dep{"libffi", "libffi", src.libffi, src.libffi_version, pins.libffi},
                              Dep{"mpdecimal", "mpdec", src.mpdecimal, src.mpdecimal_version, pins.mpdec}}) {
            auto work = paths.deps_dir / d.from.filename();
            std::vector<Action> a{file_action(Action::Kind::mkdir, paths.prefix),
                                  file_action(Action::Kind::remove_tree, work),
                                  file_action(Action::Kind::copy_tree, work, {}, d.from)};
            if (d.name == "libffi") {
                auto c = command({(driver_dir / "make_libffi.sh").string()}, work);
                c.env.push_back({EnvChange::Op::set, "PREFIX", paths.prefix.string()});
                a.push_back(run(std::move(c)));
            } else {
                a.push_back(run(command({"emconfigure", (work / "configure").string(), "CFLAGS=-fPIC", "--prefix",
                                         paths.prefix.string(), "--disable-shared"},
                                        work)));
                a.push_back(run(command({"make", "install"}, work)));
            }
            if (d.pin) {
                a.push_back(file_action(Action::Kind::write_file, paths.prefix / (d.marker + ".json"), dep_marker_json(*d.pin)));
                if (!d.version.empty() && d.version != d.pin->version)
                    plan.notes.push_back(fmt::format("{} {} from {} stands in for the pinned {} ({})", d.name, d.version,
                                                     d.from.string(), d.pin->version, pins.file.string()));
            }
            add(d.name + " (local source)", std::move(a));
            plan.builds_host = true;
        }
        state.deps_built = true;
    };

    auto host_configure = [&](bool force) {
        if (!state.native_python) native_steps(false);
        if (em) deps_steps();
        if (force || req.clean || !state.host_makefile) {
            DriverArgs a;
            a.clean = req.clean;
            a.configure_args = req.settings.configure_args;
            a.host_runner = req.host_runner;
            a.wasi_sdk = req.wasi_sdk;
            driver_step("configure-host", a);
            state.host_makefile = true;
        }
    };

    if (has_op("build") && target_is_native) native_steps(true);
    if (em && req.emsdk_cache && choice.pipeline == Pipeline::platforms && has_op("build")) driver_step("install-emscripten");

    for (auto const& op : ops) {
        if (op == "build") {
            if (target_is_native) continue;
            if (req.clean) state.native_python = state.native_makefile = false;
            native_steps(false);
            host_configure(false);
            driver_step("make-host");
        } else if (target_is_native) {
            if (op == "configure") {
                DriverArgs a;
                a.clean = req.clean;
                a.configure_args = req.settings.configure_args;
                driver_step("configure-build-python", a);
            } else if (op == "compile") {
                driver_step("make-build-python");
            } else if (op == "clean" || op == "cleanall") {
                add(op, {file_action(Action::Kind::remove_tree, paths.native_dir)});
            } else {
                plan.error = fmt::format("{} does not apply to the build Python profile with {}", op, choice.driver);
                return plan;
            }
        } else if (op == "configure") {
            host_configure(true);
        } else if (op == "compile") {
            driver_step("make-host");
        } else if (op == "pythoninfo" || op == "test" || op == "hostrunnertest") {
            if (is_browser(p)) {
                plan.error = fmt::format("{} runs Python, which a browser build ({}) cannot do here: use {}, or `repl` to "
                                         "open it in a browser",
                                         op, p.name, em ? "emscripten-node-dl" : "a node or wasi profile");
                return plan;
            }
            if (em && choice.pipeline == Pipeline::platforms) {
                DriverArgs a;
                a.run_args = {op == "pythoninfo" ? "--pythoninfo" : "--test"};
                driver_step("run", a);
            } else {
                auto targets = make_targets_for(op, p, req.settings);
                std::vector<std::string> argv{"make"};
                argv.insert(argv.end(), targets.begin(), targets.end());
                add(op, {run(command(argv, paths.host_dir))});
            }
        } else if (op == "repl" || op == "run") {
            if (is_browser(p)) {
                plan.serve_browser = true;
                plan.run_headless = plan.run_headless || op == "run";
            } else {
                add(op, {run(command({(paths.host_dir / "python.sh").string()}, paths.host_dir), true)});
            }
        } else if (op == "clean") {
            driver_step("clean");
            state = {};
        } else if (op == "cleanall") {
            add("cleanall", {file_action(Action::Kind::remove_tree, paths.cross_build)});
            state = {};
        } else if (op == "emports") {
            plan.error = fmt::format("emports is wasm_build.py's step for Emscripten ports; {} builds its own "
                                     "dependencies (make-libffi, make-mpdec): pass --deps-src DIR to build them from "
                                     "local sources",
                                     choice.driver);
            return plan;
        }
    }
    return plan;
}

bool driver_build_is_pydebug(DriverPaths const& d) {
    std::error_code ec;
    for (auto const& e : fs::directory_iterator(d.native_dir / "build", ec)) {
        auto name = e.path().filename().string();
        if (name.starts_with("lib.") && name.ends_with("-pydebug")) return true;
    }
    return false;
}

std::optional<fs::path> find_web_page(DriverPaths const& d, fs::path const& srcdir) {
    std::error_code ec;
    for (auto const& dir : {d.host_dir / "web_example", d.deps_dir / "web_example"})
        for (auto name : {"index.html", "python.html"})
            if (!dir.empty() && fs::is_regular_file(dir / name, ec)) return (dir / name).lexically_relative(srcdir);
    return std::nullopt;
}

}  // namespace wasmdev::cpython
