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
            fmt::print(
                stderr,
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
    for (; i < words.size(); ++i) {
        if (auto op = parse_op(words[i]))
            out.ops.push_back(*op);
        else if (out.unknown.empty())
            out.unknown = words[i];
    }
    if (!out.profile) {
        // wasm_build.py's `cleanall` platform: every build directory.
        if (out.ops.size() == 1 && out.ops[0] == Op::cleanall) out.every_profile = true;
        out.profile = find_profile(default_profile);
    }
    if (out.ops.empty()) out.ops.push_back(Op::build);
    return out;
}

bool needs_preflight(Plan const& plan, BuildWords const& words) {
    bool const only_cleaning =
        std::all_of(words.ops.begin(), words.ops.end(), [](Op op) { return op_info(op).only_cleans; });
    return !plan.steps.empty() && !words.every_profile && !only_cleaning;
}

namespace {

// Everything run_build decides before it runs anything: the checkout, its pipeline and the
// request with the flags checked against that pipeline.
struct BuildContext {
    BuildWords words{};
    CPythonLayout layout{};
    Environment env{};
    Toolchain tc{};
    LayoutFacts facts{};
    PipelineChoice choice{};
    PinnedConfig pins{};
    std::string full_version{};
    bool driven = false;  // CPython's own driver runs the steps (driver.hpp)
    Request req{};
    DriverPaths dpaths{};
};

// The flags as a Request; the sources (--ports-src, --deps-src) are validate's to check.
Request request_from(BuildRunOptions const& o, BuildWords const& words) {
    Request req;
    req.profile = words.profile;
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
    if (!o.emsdk_cache.empty()) req.emsdk_cache = fs::absolute(o.emsdk_cache);
    return req;
}

// validate: the words, the checkout, and the flags against the pipeline it has. Prints the
// error and sets exit_code (2: bad usage, 1: no checkout) when the build cannot start.
std::optional<BuildContext> validate(BuildRunOptions const& o, int& exit_code) {
    BuildContext c;
    c.words = parse_build_words(o.words);
    if (!c.words.unknown.empty()) {
        fmt::print(stderr, "wasmdev: error: unknown profile or op '{}' (see wasmdev build --help)\n", c.words.unknown);
        exit_code = 2;
        return std::nullopt;
    }
    auto const& profile = *c.words.profile;
    auto layout = find_layout(o, exit_code);
    if (!layout) return std::nullopt;
    c.layout = std::move(*layout);
    c.env = current_environment();
    c.tc = discover_toolchain(c.env);
    c.facts = probe_layout_facts(c.layout.srcdir);
    c.choice = choose_pipeline(c.facts, profile.host);
    c.pins = read_pinned_config(c.layout.srcdir, c.choice);
    c.full_version = c.facts.py_version.empty() ? c.layout.version : c.facts.py_version;
    c.driven = is_script_driven(c.choice.pipeline) && !c.words.every_profile;

    c.req = request_from(o, c.words);
    auto& req = c.req;
    auto usage_error = [&](std::string const& message) {
        fmt::print(stderr, "wasmdev: error: {}\n", message);
        exit_code = 2;
        return std::nullopt;
    };
    std::string error;
    if (!o.ports_src.empty()) {
        if (c.driven)
            return usage_error(
                fmt::format("--ports-src builds wasm_build.py's Emscripten ports; {} builds its own "
                            "dependencies: use --deps-src DIR (libffi and mpdecimal sources)",
                            c.choice.driver));
        auto src = find_ports_sources(o.ports_src, error);
        if (!src) return usage_error(error);
        req.ports_src = *src;
    }
    if (!o.deps_src.empty()) {
        if (!c.driven || !is_emscripten(profile.host))
            return usage_error(
                fmt::format("--deps-src is for the Emscripten drivers of CPython 3.14+ (make-libffi, "
                            "make-mpdec); {} {} uses {}",
                            profile.name, c.full_version, describe_pipeline(c.choice)));
        auto src = find_deps_sources(o.deps_src, error);
        if (!src) return usage_error(error);
        req.deps_src = *src;
    }
    if (c.driven && !o.make_vars.empty())
        return usage_error(
            fmt::format("--make-var does not reach {}: the driver runs make itself (use "
                        "--configure-arg or --env)",
                        c.choice.driver));
    if (c.driven && (o.jobs || o.silent))
        fmt::print(stderr,
                   "warning: {} runs make --jobs $(nproc) itself and prints everything: -j and --silent do not "
                   "reach it\n",
                   c.choice.driver);
    return c;
}

// plan, for CPython's own driver.
Plan plan_driven(BuildContext& c) {
    auto const& profile = *c.words.profile;
    if (is_wasi(profile.host)) {
        c.tc.wasi_sdk = resolve_wasi_sdk(c.env, c.pins);
        c.req.wasi_sdk = c.tc.wasi_sdk;
    }
    c.dpaths = driver_paths(c.choice, profile, c.layout, c.tc.build_triple, c.pins);
    // With --emsdk-cache, Platforms/emscripten keeps its dependencies beside the SDK it installs.
    if (c.req.emsdk_cache && c.choice.pipeline == Pipeline::platforms && is_emscripten(profile.host))
        c.dpaths.prefix = *c.req.emsdk_cache / c.pins.emscripten_version.value_or("") / "prefix";
    auto plan = make_driver_plan(c.req, c.layout, c.choice, c.dpaths, c.pins, c.tc, probe_driver_state(c.dpaths));
    if (plan.serve_browser) {
        auto page = find_web_page(c.dpaths, c.layout.srcdir);
        plan.serve_page =
            (page ? *page : (c.dpaths.host_dir / "web_example" / "index.html").lexically_relative(c.layout.srcdir))
                .generic_string();
    }
    return plan;
}

// plan, for wasm_build.py's builddir layout.
Plan plan_builddir(BuildContext const& c) {
    auto plan = make_plan(c.req, c.layout, c.tc, probe_state(c.layout, *c.words.profile));
    // `wasmdev build cleanall` also removes the script drivers' cross-build/.
    if (c.words.every_profile && !plan.steps.empty()) {
        Action rm;
        rm.kind = Action::Kind::remove_tree;
        rm.path = c.layout.srcdir / "cross-build";
        plan.steps.back().actions.push_back(rm);
    }
    return plan;
}

// The dry run's first lines: which CPython, which pipeline, what the checkout pins, the log.
void add_header(Plan& plan, BuildContext const& c) {
    auto const& profile = *c.words.profile;
    auto const& pins = c.pins;
    plan.header.push_back(fmt::format("CPython {} at {}", c.full_version, c.layout.srcdir.string()));
    if (!c.words.every_profile)
        plan.header.push_back(fmt::format("pipeline for {}: {}", profile.name, describe_pipeline(c.choice)));
    if (pins.emscripten_version && is_emscripten(profile.host))
        plan.header.push_back(fmt::format("pinned: Emscripten {} ({})", *pins.emscripten_version, pins.file.string()));
    if (is_wasi(profile.host) && (pins.wasi_sdk || pins.host_triple))
        plan.header.push_back(fmt::format("pinned: {}{}{} ({})", pins.wasi_sdk ? "WASI SDK " + *pins.wasi_sdk : "",
                                          pins.wasi_sdk && pins.host_triple ? ", " : "",
                                          pins.host_triple ? "host triple " + *pins.host_triple : "",
                                          pins.file.string()));
    if (c.driven) plan.header.push_back("log: " + c.dpaths.log.string());
}

// preflight: prints each problem; false when one blocks a real run (a dry run only warns).
bool run_preflight(BuildContext const& c, Plan const& plan, BuildRunOptions const& o) {
    ProcessRunner runner;
    PreflightInput in;
    in.profile = c.words.profile;
    in.needs_native = plan.needs_native;
    in.needs_ports = plan.needs_ports;
    in.offline_ports = plan.offline_ports;
    in.env = c.env;
    in.extra_env = o.extra_env;
    in.pkg_config_exists = [&](std::string const& module) {
        std::string out;
        return runner.capture({"pkg-config", "--exists", module}, {}, c.env, out).ok();
    };
    if (c.driven) in.choice = c.choice;
    in.pins = c.pins;
    in.needs_python = plan.needs_python;
    in.builds_host = plan.builds_host;
    in.needs_deps_download = plan.needs_deps_download;
    in.host_runner = o.host_runner;
    in.emsdk_cache = c.req.emsdk_cache.has_value();
    in.host_triple = c.dpaths.host_triple;
    in.resolves = resolves;
    bool blocked = false;
    for (auto const& pr : preflight(in, c.layout, c.tc)) {
        if (pr.kind == Problem::Kind::warning) {
            fmt::print(stderr, "warning: {}\n", pr.fix);
        } else if (pr.blocks(o.force)) {
            fmt::print(stderr, "{}: {}\n", o.dry_run ? "warning: a real run would stop here" : "error", pr.fix);
            blocked = true;
        } else {
            fmt::print(stderr, "warning: {} (going on: --force)\n", pr.fix);
        }
    }
    return !blocked || o.dry_run;
}

// run: the steps with progress and a log, then the summary. Returns the exit code.
int run_plan(BuildContext const& c, Plan const& plan, BuildRunOptions const& o, bool stdout_is_tty) {
    auto const& profile = *c.words.profile;
    auto profile_dir = c.driven ? c.dpaths.host_dir : c.layout.profile_dir(profile.name);
    auto log_path = c.driven                ? c.dpaths.log
                    : c.words.every_profile ? c.layout.builddir() / "wasmdev-build.log"
                                            : profile_dir / "wasmdev-build.log";
    Progress progress(log_path, o.verbose, stdout_is_tty);
    std::string headline = "wasmdev build " + std::string(profile.name);
    for (auto op : c.words.ops) headline += " " + std::string(op_name(op));
    progress.begin_run(fmt::format("{} in {} (CPython {}; {})", headline, c.layout.srcdir.string(), c.full_version,
                                   describe_pipeline(c.choice)));
    for (auto const& n : plan.notes) progress.note("note: " + n);
    ProcessRunner runner;
    auto result = execute_plan(plan, c.env, runner, progress);
    auto summary = render_summary(plan, result, progress, profile_dir);
    progress.clear_status();
    int exit_code = 0;
    if (result.ok) {
        if (!plan.steps.empty()) fmt::print("{}", summary);
    } else {
        fmt::print(stderr, "{}", summary);
        exit_code = result.interrupted ? 130 : 1;
    }
    std::fflush(stdout);
    return exit_code;
}

// What `repl` (or `run`) on a browser profile serves once the steps succeeded.
ServeCheckout serve_checkout(BuildContext const& c, Plan const& plan) {
    auto const& profile = *c.words.profile;
    if (c.driven)
        return ServeCheckout{c.layout,
                             &profile,
                             plan.serve_page,
                             (c.dpaths.host_dir / "web_example").string() + "/index.html (or python.html)",
                             driver_build_is_pydebug(c.dpaths),
                             plan.run_headless};
    return ServeCheckout{c.layout, &profile, "builddir/" + std::string(profile.name) + "/python.html",
                         {},       false,    plan.run_headless};
}

}  // namespace

BuildOutcome run_build(BuildRunOptions const& o, bool stdout_is_tty) {
    int exit_code = 0;
    auto context = validate(o, exit_code);
    if (!context) return {exit_code};
    auto& c = *context;

    auto plan = c.driven ? plan_driven(c) : plan_builddir(c);
    if (!plan.error.empty()) {
        fmt::print(stderr, "wasmdev: error: {}\n", plan.error);
        return {2};
    }
    add_header(plan, c);

    if (needs_preflight(plan, c.words) && !run_preflight(c, plan, o)) return {1};
    if (o.dry_run) {
        fmt::print("{}", render_plan(plan, c.req, c.layout, c.tc));
        return {0};
    }

    exit_code = run_plan(c, plan, o, stdout_is_tty);
    if (exit_code != 0 || !plan.serve_browser) return {exit_code};
    return {0, serve_checkout(c, plan)};
}

}  // namespace wasmdev::cpython
