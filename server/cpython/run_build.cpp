#include "server/cpython/run_build.hpp"

#include <fmt/format.h>
#include <netdb.h>

#include <algorithm>
#include <filesystem>

#include "server/cpython/deps.hpp"
#include "server/cpython/driver.hpp"
#include "server/cpython/emports.hpp"
#include "server/cpython/layout.hpp"
#include "server/cpython/pinned.hpp"
#include "server/cpython/preflight.hpp"
#include "server/cpython/process.hpp"
#include "server/cpython/progress.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view default_profile = "emscripten-browser";

// The checkout: --srcdir, else found from the current directory upwards.
std::optional<CPythonLayout> find_layout(BuildRunOptions const& o, int& exit_code) {
    fs::path srcdir;
    if (!o.srcdir.empty()) {
        srcdir = o.srcdir;
    } else {
        std::error_code ec;
        auto cwd = fs::current_path(ec);
        auto found = find_checkout(cwd);
        if (!found) {
            fmt::print(stderr,
                       "error: no CPython checkout at or above {}: run wasmdev build inside one, or pass --srcdir DIR\n",
                       cwd.string());
            exit_code = 1;
            return std::nullopt;
        }
        srcdir = *found;
    }
    std::string error;
    auto layout = load_layout(srcdir, error);
    if (!layout) {
        fmt::print(stderr, "wasmdev: error: --srcdir: {}\n", error);
        exit_code = 2;
    }
    return layout;
}

bool resolves(std::string const& host) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    bool ok = ::getaddrinfo(host.c_str(), "443", &hints, &res) == 0;
    if (res) ::freeaddrinfo(res);
    return ok;
}

}  // namespace

BuildWords parse_build_words(std::vector<std::string> const& words) {
    BuildWords out;
    std::size_t i = 0;
    if (!words.empty() && find_profile(words[0])) {
        out.profile = find_profile(words[0]);
        i = 1;
    }
    for (; i < words.size(); ++i) out.ops.push_back(words[i]);
    if (!out.profile) {
        // wasm_build.py's `cleanall` platform: every build directory.
        if (out.ops.size() == 1 && out.ops[0] == "cleanall") out.every_profile = true;
        out.profile = find_profile(default_profile);
    }
    if (out.ops.empty()) out.ops.push_back("build");
    return out;
}

bool needs_preflight(Plan const& plan, BuildWords const& words) {
    bool const only_cleaning = std::all_of(words.ops.begin(), words.ops.end(),
                                           [](auto const& op) { return op == "clean" || op == "cleanall"; });
    return !plan.steps.empty() && !words.every_profile && !only_cleaning;
}

BuildOutcome run_build(BuildRunOptions const& o, bool stdout_is_tty) {
    auto words = parse_build_words(o.words);
    auto const& profile = *words.profile;
    int exit_code = 0;
    auto layout = find_layout(o, exit_code);
    if (!layout) return {exit_code};

    auto env = current_environment();
    auto tc = discover_toolchain(env);
    auto facts = probe_layout_facts(layout->srcdir);
    auto choice = choose_pipeline(facts, profile.host);
    auto pins = read_pinned_config(layout->srcdir, choice);
    auto const full_version = facts.py_version.empty() ? layout->version : facts.py_version;
    bool const driven = is_script_driven(choice.pipeline) && !words.every_profile;

    // The request, with the flags checked against the pipeline this checkout has.
    Request req;
    req.profile = &profile;
    req.ops = words.ops;
    req.every_profile = words.every_profile;
    req.clean = o.clean;
    req.settings.jobs = o.jobs ? o.jobs : default_jobs();
    req.settings.silent = o.silent;
    req.settings.testopts = o.testopts;
    req.settings.configure_args = o.configure_args;
    req.settings.make_vars = o.make_vars;
    req.settings.extra_env = o.extra_env;
    req.host_runner = o.host_runner;
    std::string error;
    if (!o.emsdk_cache.empty()) req.emsdk_cache = fs::absolute(o.emsdk_cache);
    if (!o.ports_src.empty()) {
        if (driven) {
            fmt::print(stderr, "wasmdev: error: --ports-src builds wasm_build.py's Emscripten ports; {} builds its own "
                               "dependencies: use --deps-src DIR (libffi and mpdecimal sources)\n", choice.driver);
            return {2};
        }
        auto src = find_ports_sources(o.ports_src, error);
        if (!src) {
            fmt::print(stderr, "wasmdev: error: {}\n", error);
            return {2};
        }
        req.ports_src = *src;
    }
    if (!o.deps_src.empty()) {
        if (!driven || !is_emscripten(profile.host)) {
            fmt::print(stderr, "wasmdev: error: --deps-src is for the Emscripten drivers of CPython 3.14+ (make-libffi, "
                               "make-mpdec); {} {} uses {}\n", profile.name, full_version, describe_pipeline(choice));
            return {2};
        }
        auto src = find_deps_sources(o.deps_src, error);
        if (!src) {
            fmt::print(stderr, "wasmdev: error: {}\n", error);
            return {2};
        }
        req.deps_src = *src;
    }
    if (driven && !o.make_vars.empty()) {
        fmt::print(stderr, "wasmdev: error: --make-var does not reach {}: the driver runs make itself (use "
                           "--configure-arg or --env)\n", choice.driver);
        return {2};
    }
    if (driven && (o.jobs || o.silent))
        fmt::print(stderr, "warning: {} runs make --jobs $(nproc) itself and prints everything: -j and --silent do not "
                           "reach it\n", choice.driver);

    // The plan.
    Plan plan;
    DriverPaths dpaths;
    if (driven) {
        if (is_wasi(profile.host)) {
            tc.wasi_sdk = resolve_wasi_sdk(env, pins);
            req.wasi_sdk = tc.wasi_sdk;
        }
        dpaths = driver_paths(choice, profile, *layout, tc.build_triple, pins);
        // With --emsdk-cache, Platforms/emscripten keeps its dependencies beside the SDK it installs.
        if (req.emsdk_cache && choice.pipeline == Pipeline::platforms && is_emscripten(profile.host))
            dpaths.prefix = *req.emsdk_cache / pins.emscripten_version.value_or("") / "prefix";
        plan = make_driver_plan(req, *layout, choice, dpaths, pins, tc, probe_driver_state(dpaths));
        if (plan.serve_browser) {
            auto page = find_web_page(dpaths, layout->srcdir);
            plan.serve_page = (page ? *page : (dpaths.host_dir / "web_example" / "index.html").lexically_relative(layout->srcdir))
                                  .generic_string();
        }
    } else {
        plan = make_plan(req, *layout, tc, probe_state(*layout, profile));
        // `wasmdev build cleanall` also removes the script drivers' cross-build/.
        if (words.every_profile && !plan.steps.empty()) {
            Action rm;
            rm.kind = Action::Kind::remove_tree;
            rm.path = layout->srcdir / "cross-build";
            plan.steps.back().actions.push_back(rm);
        }
    }
    if (!plan.error.empty()) {
        fmt::print(stderr, "wasmdev: error: {}\n", plan.error);
        return {2};
    }
    plan.header.push_back(fmt::format("CPython {} at {}", full_version, layout->srcdir.string()));
    if (!words.every_profile)
        plan.header.push_back(fmt::format("pipeline for {}: {}", profile.name, describe_pipeline(choice)));
    if (pins.emscripten_version && is_emscripten(profile.host))
        plan.header.push_back(fmt::format("pinned: Emscripten {} ({})", *pins.emscripten_version, pins.file.string()));
    if (is_wasi(profile.host) && (pins.wasi_sdk || pins.host_triple))
        plan.header.push_back(fmt::format("pinned: {}{}{} ({})", pins.wasi_sdk ? "WASI SDK " + *pins.wasi_sdk : "",
                                          pins.wasi_sdk && pins.host_triple ? ", " : "",
                                          pins.host_triple ? "host triple " + *pins.host_triple : "", pins.file.string()));
    if (driven) plan.header.push_back("log: " + dpaths.log.string());

    // Preflight: nothing is built when a toolchain is missing.
    if (needs_preflight(plan, words)) {
        ProcessRunner runner;
        PreflightInput in;
        in.profile = &profile;
        in.needs_native = plan.needs_native;
        in.needs_ports = plan.needs_ports;
        in.offline_ports = plan.offline_ports;
        in.env = env;
        in.extra_env = o.extra_env;
        in.pkg_config_exists = [&](std::string const& module) {
            std::string out;
            return runner.capture({"pkg-config", "--exists", module}, {}, env, out).ok();
        };
        if (driven) in.choice = choice;
        in.pins = pins;
        in.needs_python = plan.needs_python;
        in.builds_host = plan.builds_host;
        in.needs_deps_download = plan.needs_deps_download;
        in.host_runner = o.host_runner;
        in.emsdk_cache = req.emsdk_cache.has_value();
        in.host_triple = dpaths.host_triple;
        in.resolves = resolves;
        bool blocked = false;
        for (auto const& pr : preflight(in, *layout, tc)) {
            if (pr.kind == Problem::Kind::warning) {
                fmt::print(stderr, "warning: {}\n", pr.fix);
            } else if (pr.blocks(o.force)) {
                fmt::print(stderr, "{}: {}\n", o.dry_run ? "warning: a real run would stop here" : "error", pr.fix);
                blocked = true;
            } else {
                fmt::print(stderr, "warning: {} (going on: --force)\n", pr.fix);
            }
        }
        if (blocked && !o.dry_run) return {1};
    }

    if (o.dry_run) {
        fmt::print("{}", render_plan(plan, req, *layout, tc));
        return {0};
    }

    // The run, its progress and the summary.
    auto profile_dir = driven ? dpaths.host_dir : layout->profile_dir(profile.name);
    auto log_path = driven ? dpaths.log
                           : words.every_profile ? layout->builddir() / "wasmdev-build.log" : profile_dir / "wasmdev-build.log";
    {
        Progress progress(log_path, o.verbose, stdout_is_tty);
        std::string headline = "wasmdev build " + std::string(profile.name);
        for (auto const& op : words.ops) headline += " " + op;
        progress.begin_run(fmt::format("{} in {} (CPython {}; {})", headline, layout->srcdir.string(), full_version,
                                       describe_pipeline(choice)));
        for (auto const& n : plan.notes) progress.note("note: " + n);
        ProcessRunner runner;
        auto result = execute_plan(plan, env, runner, progress);
        auto summary = render_summary(plan, result, progress, profile_dir);
        progress.clear_status();
        if (result.ok) {
            if (!plan.steps.empty()) fmt::print("{}", summary);
        } else {
            fmt::print(stderr, "{}", summary);
            exit_code = result.interrupted ? 130 : 1;
        }
        std::fflush(stdout);
    }
    if (exit_code != 0 || !plan.serve_browser) return {exit_code};
    if (driven)
        return {0, ServeCheckout{*layout, &profile, plan.serve_page,
                                 (dpaths.host_dir / "web_example").string() + "/index.html (or python.html)",
                                 driver_build_is_pydebug(dpaths), plan.run_headless}};
    return {0, ServeCheckout{*layout, &profile, "builddir/" + std::string(profile.name) + "/python.html", {}, false,
                             plan.run_headless}};
}

}  // namespace wasmdev::cpython
