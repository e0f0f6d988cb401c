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
    d.native_dir =
        c.pipeline == Pipeline::platforms && wasi_driver ? d.cross_build / build_triple : d.cross_build / "build";
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
        return fmt::format("profile {} does not exist in CPython {}'s {}, which builds one WASI Python: use wasi",
                           p.name, py_version, c.driver);
    }
    if (p.name == "emscripten-browser" || p.name == "emscripten-node-dl") return {};
    return fmt::format(
        "profile {} does not exist in CPython {}'s {}, which makes one Emscripten build (dynamic "
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

namespace {

// make_driver_plan's state: the request, what disk will look like as the steps run, and the
// plan so far. Each member function adds the driver subcommands of one part of the build.
class DriverPlanner {
public:
    DriverPlanner(Request const& req, CPythonLayout const& layout, PipelineChoice const& choice,
                  DriverPaths const& paths, PinnedConfig const& pins, Toolchain const& tc, DriverState const& initial)
        : req_(req),
          layout_(layout),
          choice_(choice),
          paths_(paths),
          pins_(pins),
          p_(*req.profile),
          state_(initial),
          env_(driver_env(p_, tc, req.settings)) {}

    Plan plan(std::vector<Op> const& ops) {
        if (auto why = profile_unavailable(p_, choice_, layout_.version); !why.empty()) {
            plan_.error = why;
            return std::move(plan_);
        }
        bool const builds = std::find(ops.begin(), ops.end(), Op::build) != ops.end();
        if (builds && target_is_native()) native_steps(true);
        if (em() && req_.emsdk_cache && choice_.pipeline == Pipeline::platforms && builds)
            driver_step("install-emscripten");
        for (auto op : ops)
            if (!(target_is_native() ? plan_native_op(op) : plan_op(op))) break;
        return std::move(plan_);
    }

private:
    bool target_is_native() const { return p_.host == Host::native; }
    bool em() const { return is_emscripten(p_.host); }

    Command command(std::vector<std::string> argv, fs::path cwd) const {
        Command c;
        c.argv = std::move(argv);
        c.cwd = std::move(cwd);
        c.env = env_;
        return c;
    }
    static Action run(Command c, bool interactive = false) {
        Action a;
        a.cmd = std::move(c);
        a.interactive = interactive;
        return a;
    }
    void add(std::string name, std::vector<Action> actions) {
        plan_.steps.push_back({std::string(p_.name), std::move(name), std::move(actions)});
    }

    void driver_step(std::string_view sub, DriverArgs a = {}) {
        a.emsdk_cache = req_.emsdk_cache;
        add(std::string(sub), {run(command(driver_argv(choice_, p_.host, sub, a), layout_.srcdir))});
        plan_.needs_python = true;
        if (sub == "configure-host" || sub == "make-host" || sub == "make-libffi" || sub == "make-mpdec")
            plan_.builds_host = true;
    }

    DriverArgs configure_args(bool for_target) const {
        DriverArgs a;
        a.clean = req_.clean;
        if (for_target) a.configure_args = req_.settings.configure_args;
        return a;
    }

    // The build Python: configured when it has no Makefile, built when missing.
    void native_steps(bool for_target) {
        if (req_.clean || !state_.native_makefile) {
            driver_step("configure-build-python", configure_args(for_target));
            state_.native_makefile = true;
            plan_.needs_native = true;
        }
        if (req_.clean || !state_.native_python) {
            driver_step("make-build-python");
            state_.native_python = true;
            plan_.needs_native = true;
        } else {
            plan_.notes.push_back(fmt::format("build Python {} exists, not rebuilt (--clean rebuilds it)",
                                              (paths_.native_dir / "python").string()));
        }
    }

    // libffi and mpdecimal for Emscripten: the driver downloads them, or --deps-src builds them.
    void deps_steps() {
        if (state_.deps_built && !req_.clean) {
            plan_.notes.push_back(fmt::format("libffi and mpdecimal are in {}, not rebuilt", paths_.prefix.string()));
            return;
        }
        if (req_.deps_src) {
            local_deps_steps(*req_.deps_src);
        } else {
            driver_step("make-libffi");
            driver_step("make-mpdec");
            plan_.needs_deps_download = true;
        }
        state_.deps_built = true;
    }

    struct LocalDep {
        std::string name, marker;
        fs::path from;
        std::string version;
        std::optional<PinnedDep> pin;
    };

    void local_deps_steps(DepsSources const& src) {
        for (auto const& d : {LocalDep{"libffi", "libffi", src.libffi, src.libffi_version, pins_.libffi},
                              LocalDep{"mpdecimal", "mpdec", src.mpdecimal, src.mpdecimal_version, pins_.mpdec}})
            local_dep_step(d);
    }

    // Copy the source tree beside where the driver would unpack it, build and install it into
    // the prefix, and write the marker the driver reads to skip its download.
    void local_dep_step(LocalDep const& d) {
        auto work = paths_.deps_dir / d.from.filename();
        std::vector<Action> a{file_action(Action::Kind::mkdir, paths_.prefix),
                              file_action(Action::Kind::remove_tree, work),
                              file_action(Action::Kind::copy_tree, work, {}, d.from)};
        if (d.name == "libffi") {
            auto c = command({(layout_.srcdir / choice_.driver / "make_libffi.sh").string()}, work);
            c.env.push_back({EnvChange::Op::set, "PREFIX", paths_.prefix.string()});
            a.push_back(run(std::move(c)));
        } else {
            a.push_back(run(command({"emconfigure", (work / "configure").string(), "CFLAGS=-fPIC", "--prefix",
                                     paths_.prefix.string(), "--disable-shared"},
                                    work)));
            a.push_back(run(command({"make", "install"}, work)));
        }
        if (d.pin) {
            a.push_back(
                file_action(Action::Kind::write_file, paths_.prefix / (d.marker + ".json"), dep_marker_json(*d.pin)));
            if (!d.version.empty() && d.version != d.pin->version)
                plan_.notes.push_back(fmt::format("{} {} from {} stands in for the pinned {} ({})", d.name, d.version,
                                                  d.from.string(), d.pin->version, pins_.file.string()));
        }
        add(d.name + " (local source)", std::move(a));
        plan_.builds_host = true;
    }

    void host_configure(bool force) {
        if (!state_.native_python) native_steps(false);
        if (em()) deps_steps();
        if (force || req_.clean || !state_.host_makefile) {
            DriverArgs a = configure_args(true);
            a.host_runner = req_.host_runner;
            a.wasi_sdk = req_.wasi_sdk;
            driver_step("configure-host", a);
            state_.host_makefile = true;
        }
    }

    // The build-Python profile: only the native subcommands apply.
    bool plan_native_op(Op op) {
        switch (op) {
            case Op::build: return true;  // native_steps(true), before the loop
            case Op::configure: driver_step("configure-build-python", configure_args(true)); return true;
            case Op::compile: driver_step("make-build-python"); return true;
            case Op::clean:
            case Op::cleanall:
                add(std::string(op_name(op)), {file_action(Action::Kind::remove_tree, paths_.native_dir)});
                return true;
            default:
                plan_.error =
                    fmt::format("{} does not apply to the build Python profile with {}", op_name(op), choice_.driver);
                return false;
        }
    }

    bool runs_python_step(Op op) {
        if (is_browser(p_)) {
            plan_.error = fmt::format(
                "{} runs Python, which a browser build ({}) cannot do here: use {}, or `repl` to "
                "open it in a browser",
                op_name(op), p_.name, em() ? "emscripten-node-dl" : "a node or wasi profile");
            return false;
        }
        if (em() && choice_.pipeline == Pipeline::platforms) {
            DriverArgs a;
            a.run_args = {op == Op::pythoninfo ? "--pythoninfo" : "--test"};
            driver_step("run", a);
        } else {
            auto targets = make_targets_for(op, p_, req_.settings);
            std::vector<std::string> argv{"make"};
            argv.insert(argv.end(), targets.begin(), targets.end());
            add(std::string(op_name(op)), {run(command(argv, paths_.host_dir))});
        }
        return true;
    }

    // The steps of one op on a cross profile; false (with plan_.error) when it cannot apply.
    bool plan_op(Op op) {
        if (op_info(op).runs_python) return runs_python_step(op);
        switch (op) {
            case Op::build:
                if (req_.clean) state_.native_python = state_.native_makefile = false;
                native_steps(false);
                host_configure(false);
                driver_step("make-host");
                return true;
            case Op::configure: host_configure(true); return true;
            case Op::compile: driver_step("make-host"); return true;
            case Op::repl:
            case Op::run:  // run: the page headless instead of served to a person; outside a browser both run python
                if (is_browser(p_)) {
                    plan_.serve_browser = true;
                    plan_.run_headless = plan_.run_headless || op == Op::run;
                } else {
                    add(std::string(op_name(op)),
                        {run(command({(paths_.host_dir / "python.sh").string()}, paths_.host_dir), true)});
                }
                return true;
            case Op::clean:
                driver_step("clean");
                state_ = {};
                return true;
            case Op::cleanall:
                add("cleanall", {file_action(Action::Kind::remove_tree, paths_.cross_build)});
                state_ = {};
                return true;
            case Op::emports:
                plan_.error = fmt::format(
                    "emports is wasm_build.py's step for Emscripten ports; {} builds its own "
                    "dependencies (make-libffi, make-mpdec): pass --deps-src DIR to build them "
                    "from local sources",
                    choice_.driver);
                return false;
            case Op::pythoninfo:
            case Op::test:
            case Op::hostrunnertest: return true;  // runs_python, above
        }
        return true;
    }

    Request const& req_;
    CPythonLayout const& layout_;
    PipelineChoice const& choice_;
    DriverPaths const& paths_;
    PinnedConfig const& pins_;
    BuildProfile const& p_;
    DriverState state_;  // what disk will look like as the steps run
    EnvChanges env_;
    Plan plan_{};
};

}  // namespace

Plan make_driver_plan(Request const& req, CPythonLayout const& layout, PipelineChoice const& choice,
                      DriverPaths const& paths, PinnedConfig const& pins, Toolchain const& tc,
                      DriverState const& initial) {
    DriverPlanner planner(req, layout, choice, paths, pins, tc, initial);
    return planner.plan(req.ops.empty() ? std::vector<Op>{Op::build} : req.ops);
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
