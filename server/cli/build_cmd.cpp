// `wasmdev build [PROFILE] [OP...]`: CPython's WebAssembly build pipeline (SPEC §3), then,
// for `repl` on a browser profile, the same server as `wasmdev serve` on the checkout root.
// Turns flags into a cpython::Request, prints preflight problems, the dry-run script or the
// run's progress and summary; server/cpython/ does the work.
#include <fmt/format.h>
#include <netdb.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "server/cpython/checkout.hpp"
#include "server/cpython/deps.hpp"
#include "server/cpython/driver.hpp"
#include "server/cpython/layout.hpp"
#include "server/cpython/pinned.hpp"
#include "server/cpython/emports.hpp"
#include "server/cpython/pipeline.hpp"
#include "server/cpython/preflight.hpp"
#include "server/cpython/process.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/progress.hpp"
#include "server/cpython/toolchain.hpp"
#include "server/cli/commands.hpp"
#include "server/doctor/hints.hpp"
#include "server/cli/serve_options.hpp"
#include "server/net/server.hpp"

namespace wasmdev::cli {
namespace {

namespace fs = std::filesystem;
namespace b = wasmdev::cpython;

constexpr std::string_view default_profile = "emscripten-browser";

struct BuildOptions {
    std::vector<std::string> words{};  // [PROFILE] [OP...]
    std::string srcdir{};
    bool clean = false;
    bool verbose = false;
    bool silent = false;
    std::optional<std::string> testopts{};
    unsigned jobs = 0;
    bool dry_run = false;
    bool force = false;
    bool all_profiles = false;
    std::string ports_src{};
    std::string deps_src{};
    std::optional<std::string> host_runner{};
    std::string emsdk_cache{};
    std::vector<std::string> configure_args{};
    std::vector<std::string> make_vars{};
    std::vector<std::string> extra_env{};
    ServeOptions serve{};
};

std::string profiles_help(bool all) {
    std::string out = "Profiles (default emscripten-browser):\n";
    for (auto const& p : b::all_profiles()) {
        if (!all && !b::listed_in_help(p)) continue;
        std::string what = p.host == b::Host::native ? "native build Python (builddir/build/python)"
                                                     : std::string(b::host_triple(p.host));
        if (p.target != b::EmscriptenTarget::none) what += ", " + std::string(b::target_name(p.target));
        if (p.dynamic_linking.value_or(false)) what += ", dynamic linking";
        if (p.pthreads.value_or(false)) what += ", pthreads";
        out += fmt::format("  {:<34} {} [{}]\n", p.name, what, b::support_text(p.support));
    }
    if (!all) out += "  (--all-profiles --help lists the experimental and broken ones too)\n";
    out += "\nOps (default build; run in the order given):\n"
           "  build           build Python first if missing, Emscripten ports, configure if no Makefile, make\n"
           "  configure       run ../../configure in builddir/PROFILE\n"
           "  compile         run make\n"
           "  pythoninfo      run 'make pythoninfo' (not browser profiles)\n"
           "  test            run 'make buildbottest TESTOPTS=...'\n"
           "  hostrunnertest  run 'make hostrunnertest TESTOPTS=...'\n"
           "  repl            browser: serve the checkout and print the python.html URL; node/wasi: run python\n"
           "  clean           run 'make clean'\n"
           "  cleanall        remove builddir/PROFILE ('wasmdev build cleanall' removes every profile's)\n"
           "  emports         build Emscripten's zlib, bzip2, sqlite3 ports (from --ports-src when given)\n"
           "\nThe checkout is found from the current directory upwards, or --srcdir. Each run appends to\n"
           "builddir/PROFILE/wasmdev-build.log (CPython's own drivers: cross-build/wasmdev-PROFILE.log).\n"
           "Long options take values starting with '-' as --configure-arg=--with-pydebug.\n";
    return out;
}

// What --help says about the checkout in the current directory: its CPython version and the
// pipeline each kind of profile drives there.
std::string checkout_help() {
    std::error_code ec;
    auto found = b::find_checkout(fs::current_path(ec));
    if (!found) return "No CPython checkout at or above the current directory (cd into one, or pass --srcdir).\n";
    auto facts = b::probe_layout_facts(*found);
    std::string version = facts.py_version;
    if (version.empty()) {
        std::string error;
        if (auto l = b::load_layout(*found, error)) version = l->version;
    }
    std::string out = fmt::format("This checkout: CPython {} at {}\n", version.empty() ? "?" : version, found->string());
    for (auto [what, host] : {std::pair{"emscripten-*", b::Host::wasm32_emscripten}, std::pair{"wasi", b::Host::wasm32_wasi},
                              std::pair{"build", b::Host::native}})
        out += fmt::format("  {:<14} {}\n", what, b::describe_pipeline(b::choose_pipeline(facts, host)));
    return out;
}

// Words are PROFILE? OP*: the first word is the profile when it names one.
struct Parsed {
    b::BuildProfile const* profile = nullptr;
    std::vector<std::string> ops{};
    bool every_profile = false;
};

Parsed parse_words(std::vector<std::string> const& words) {
    Parsed out;
    std::size_t i = 0;
    if (!words.empty() && b::find_profile(words[0])) {
        out.profile = b::find_profile(words[0]);
        i = 1;
    }
    for (; i < words.size(); ++i) out.ops.push_back(words[i]);
    if (!out.profile) {
        // wasm_build.py's `cleanall` platform: every build directory.
        if (out.ops.size() == 1 && out.ops[0] == "cleanall") out.every_profile = true;
        out.profile = b::find_profile(default_profile);
    }
    if (out.ops.empty()) out.ops.push_back("build");
    return out;
}

bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }

void open_in_browser(std::string const& url) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        fmt::print(stderr, "warning: --open: no display found; open {} yourself\n", url);
        return;
    }
    if (!b::ProcessRunner::spawn_detached({"xdg-open", url}))
        fmt::print(stderr, "warning: --open: could not run xdg-open; open {} yourself\n", url);
}

int serve_checkout(BuildOptions const& o, b::CPythonLayout const& layout, b::BuildProfile const& p, std::string rel,
                   std::string const& missing_hint, bool pydebug = false) {
    ServeOptions so = o.serve;
    so.root = layout.srcdir.string();
    if (!so.reload) so.reload = true;  // the edit-rebuild loop is what repl is for (#14)
    std::string error;
    auto cfg = to_config(so, error);
    if (!cfg) {
        fmt::print(stderr, "wasmdev: error: {}\n", error);
        return 2;
    }
    std::error_code ec;
    if (!fs::exists(layout.srcdir / rel, ec))
        fmt::print(stderr, "warning: {} does not exist yet: run `wasmdev build {}` first\n",
                   missing_hint.empty() ? (layout.srcdir / rel).string() : missing_hint, p.name);
    configure_logging(so);
    bool const debug = b::is_debug(p) || pydebug;
    auto srcdir = layout.srcdir.string();
    auto open_path = so.open_path;
    return net::run_server(*cfg, [rel, debug, srcdir, open_path](std::string const& url) {
        auto page = url + rel;
        fmt::print("{}: {}\n", fs::path(rel).filename().string(), page);
        if (debug) {
            // The doctor reads the build's own DWARF (#11): the substitutions it computes are the
            // ones DevTools needs. Before the module exists, the checkout-root mapping is the guess.
            std::error_code exists_ec;
            auto module = fs::path(srcdir) / fs::path(rel).parent_path() / "python.wasm";
            if (fs::exists(module, exists_ec)) {
                fmt::print("{}\n", doctor::repl_hint(module, srcdir, url).paragraph);
            } else {
                auto base = url.substr(0, url.size() - 1);
                fmt::print("C/C++ DevTools Support (DWARF) path substitution: {} -> {}\n", srcdir, base);
            }
        }
        std::fflush(stdout);
        if (open_path) {
            auto target = (*open_path == "/" || open_path->empty())
                              ? page
                              : url.substr(0, url.size() - 1) + (open_path->starts_with('/') ? *open_path : "/" + *open_path);
            open_in_browser(target);
        }
    });
}

int run(BuildOptions const& o) {
    auto words = parse_words(o.words);
    auto const& profile = *words.profile;

    // Checkout.
    fs::path srcdir;
    if (!o.srcdir.empty()) {
        srcdir = o.srcdir;
    } else {
        std::error_code ec;
        auto cwd = fs::current_path(ec);
        auto found = b::find_checkout(cwd);
        if (!found) {
            fmt::print(stderr,
                       "error: no CPython checkout at or above {}: run wasmdev build inside one, or pass --srcdir DIR\n",
                       cwd.string());
            return 1;
        }
        srcdir = *found;
    }
    std::string error;
    auto layout = b::load_layout(srcdir, error);
    if (!layout) {
        fmt::print(stderr, "wasmdev: error: --srcdir: {}\n", error);
        return 2;
    }

    auto env = b::current_environment();
    auto tc = b::discover_toolchain(env);
    auto facts = b::probe_layout_facts(layout->srcdir);
    auto choice = b::choose_pipeline(facts, profile.host);
    auto pins = b::read_pinned_config(layout->srcdir, choice);
    auto const full_version = facts.py_version.empty() ? layout->version : facts.py_version;
    bool const driven = b::is_script_driven(choice.pipeline) && !words.every_profile;

    b::Request req;
    req.profile = &profile;
    req.ops = words.ops;
    req.every_profile = words.every_profile;
    req.clean = o.clean;
    req.settings.jobs = o.jobs ? o.jobs : b::default_jobs();
    req.settings.silent = o.silent;
    req.settings.testopts = o.testopts;
    req.settings.configure_args = o.configure_args;
    req.settings.make_vars = o.make_vars;
    req.settings.extra_env = o.extra_env;
    req.host_runner = o.host_runner;
    if (!o.emsdk_cache.empty()) req.emsdk_cache = fs::absolute(o.emsdk_cache);
    if (!o.ports_src.empty()) {
        if (driven) {
            fmt::print(stderr, "wasmdev: error: --ports-src builds wasm_build.py's Emscripten ports; {} builds its own "
                               "dependencies: use --deps-src DIR (libffi and mpdecimal sources)\n", choice.driver);
            return 2;
        }
        auto src = b::find_ports_sources(o.ports_src, error);
        if (!src) {
            fmt::print(stderr, "wasmdev: error: {}\n", error);
            return 2;
        }
        req.ports_src = *src;
    }
    if (!o.deps_src.empty()) {
        if (!driven || !b::is_emscripten(profile.host)) {
            fmt::print(stderr, "wasmdev: error: --deps-src is for the Emscripten drivers of CPython 3.14+ (make-libffi, "
                               "make-mpdec); {} {} uses {}\n", profile.name, full_version, b::describe_pipeline(choice));
            return 2;
        }
        auto src = b::find_deps_sources(o.deps_src, error);
        if (!src) {
            fmt::print(stderr, "wasmdev: error: {}\n", error);
            return 2;
        }
        req.deps_src = *src;
    }

    if (driven && !o.make_vars.empty()) {
        fmt::print(stderr, "wasmdev: error: --make-var does not reach {}: the driver runs make itself (use "
                           "--configure-arg or --env)\n", choice.driver);
        return 2;
    }
    if (driven && (o.jobs || o.silent))
        fmt::print(stderr, "warning: {} runs make --jobs $(nproc) itself and prints everything: -j and --silent do not "
                           "reach it\n", choice.driver);

    b::Plan plan;
    b::DriverPaths dpaths;
    if (driven) {
        if (b::is_wasi(profile.host)) {
            tc.wasi_sdk = b::resolve_wasi_sdk(env, pins);
            req.wasi_sdk = tc.wasi_sdk;
        }
        dpaths = b::driver_paths(choice, profile, *layout, tc.build_triple, pins);
        // With --emsdk-cache, Platforms/emscripten keeps its dependencies beside the SDK it installs.
        if (req.emsdk_cache && choice.pipeline == b::Pipeline::platforms && b::is_emscripten(profile.host))
            dpaths.prefix = *req.emsdk_cache / pins.emscripten_version.value_or("") / "prefix";
        plan = b::make_driver_plan(req, *layout, choice, dpaths, pins, tc, b::probe_driver_state(dpaths));
        if (plan.serve_browser) {
            auto page = b::find_web_page(dpaths, layout->srcdir);
            plan.serve_page = (page ? *page : (dpaths.host_dir / "web_example" / "index.html").lexically_relative(layout->srcdir))
                                  .generic_string();
        }
    } else {
        plan = b::make_plan(req, *layout, tc, b::probe_state(*layout, profile));
        // `wasmdev build cleanall` also removes the script drivers' cross-build/.
        if (words.every_profile && !plan.steps.empty()) {
            b::Action rm;
            rm.kind = b::Action::Kind::remove_tree;
            rm.path = layout->srcdir / "cross-build";
            plan.steps.back().actions.push_back(rm);
        }
    }
    if (!plan.error.empty()) {
        fmt::print(stderr, "wasmdev: error: {}\n", plan.error);
        return 2;
    }
    plan.header.push_back(fmt::format("CPython {} at {}", full_version, layout->srcdir.string()));
    if (!words.every_profile)
        plan.header.push_back(fmt::format("pipeline for {}: {}", profile.name, b::describe_pipeline(choice)));
    if (pins.emscripten_version && b::is_emscripten(profile.host))
        plan.header.push_back(fmt::format("pinned: Emscripten {} ({})", *pins.emscripten_version, pins.file.string()));
    if (b::is_wasi(profile.host) && (pins.wasi_sdk || pins.host_triple))
        plan.header.push_back(fmt::format("pinned: {}{}{} ({})", pins.wasi_sdk ? "WASI SDK " + *pins.wasi_sdk : "",
                                          pins.wasi_sdk && pins.host_triple ? ", " : "",
                                          pins.host_triple ? "host triple " + *pins.host_triple : "", pins.file.string()));
    if (driven) plan.header.push_back("log: " + dpaths.log.string());

    // Preflight: nothing is built when a toolchain is missing.
    // A plan without steps (`repl` on a finished browser build) needs no toolchain.
    bool const only_cleaning = plan.steps.empty() || words.every_profile || std::all_of(words.ops.begin(), words.ops.end(), [](auto const& op) {
                                   return op == "clean" || op == "cleanall";
                               });
    if (!only_cleaning) {
        b::ProcessRunner runner;
        b::PreflightInput in;
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
        in.resolves = [](std::string const& host) {
            addrinfo hints{};
            hints.ai_socktype = SOCK_STREAM;
            addrinfo* res = nullptr;
            bool ok = ::getaddrinfo(host.c_str(), "443", &hints, &res) == 0;
            if (res) ::freeaddrinfo(res);
            return ok;
        };
        bool blocked = false;
        for (auto const& pr : b::preflight(in, *layout, tc)) {
            if (pr.kind == b::Problem::Kind::warning) {
                fmt::print(stderr, "warning: {}\n", pr.fix);
            } else if (pr.blocks(o.force)) {
                fmt::print(stderr, "{}: {}\n", o.dry_run ? "warning: a real run would stop here" : "error", pr.fix);
                blocked = true;
            } else {
                fmt::print(stderr, "warning: {} (going on: --force)\n", pr.fix);
            }
        }
        if (blocked && !o.dry_run) return 1;
    }

    if (o.dry_run) {
        fmt::print("{}", b::render_plan(plan, req, *layout, tc));
        return 0;
    }

    auto profile_dir = driven ? dpaths.host_dir : layout->profile_dir(profile.name);
    auto log_path = driven ? dpaths.log
                           : words.every_profile ? layout->builddir() / "wasmdev-build.log" : profile_dir / "wasmdev-build.log";
    int rc = 0;
    {
        b::Progress progress(log_path, o.verbose, stdout_is_tty());
        std::string headline = "wasmdev build " + std::string(profile.name);
        for (auto const& op : words.ops) headline += " " + op;
        progress.begin_run(fmt::format("{} in {} (CPython {}; {})", headline, layout->srcdir.string(), full_version,
                                       b::describe_pipeline(choice)));
        for (auto const& n : plan.notes) progress.note("note: " + n);
        b::ProcessRunner runner;
        auto result = b::execute_plan(plan, env, runner, progress);
        auto summary = b::render_summary(plan, result, progress, profile_dir);
        progress.clear_status();
        if (result.ok) {
            if (!plan.steps.empty()) fmt::print("{}", summary);
        } else {
            fmt::print(stderr, "{}", summary);
            rc = result.interrupted ? 130 : 1;
        }
        std::fflush(stdout);
    }
    if (rc != 0) return rc;
    if (plan.serve_browser) {
        if (driven)
            return serve_checkout(o, *layout, profile, plan.serve_page,
                                  (dpaths.host_dir / "web_example").string() + "/index.html (or python.html)",
                                  b::driver_build_is_pydebug(dpaths));
        return serve_checkout(o, *layout, profile, "builddir/" + std::string(profile.name) + "/python.html", {});
    }
    return 0;
}

}  // namespace

Command add_build_command(CLI::App& root) {
    auto o = std::make_shared<BuildOptions>();
    auto* cmd = root.add_subcommand("build", "Build CPython for WebAssembly (Tools/wasm/wasm_build.py's pipeline), "
                                             "then serve python.html with `repl`");
    cmd->add_option("PROFILE_AND_OPS", o->words, "[PROFILE] [OP...]: a profile, then ops (see below)")
        ->check([](std::string const& w) {
            if (b::find_profile(w) || b::is_op(w)) return std::string{};
            return "unknown profile or op '" + w + "' (see wasmdev build --help)";
        });
    cmd->add_option("--srcdir", o->srcdir, "The CPython checkout (default: found from the current directory upwards)")
        ->check(CLI::ExistingDirectory);
    cmd->add_flag("-c,--clean", o->clean, "Run 'make clean' first (the build Python's too with op build)");
    cmd->add_flag("-v,--verbose", o->verbose, "Stream every step's full output (it is always in the log)");
    cmd->add_flag("--silent", o->silent, "Run configure and make with --silent");
    cmd->add_option("--testopts", o->testopts, "TESTOPTS for test and hostrunnertest, e.g. --testopts='-v test_os'");
    cmd->add_option("-j,--jobs", o->jobs, "Parallel make jobs (default: the CPUs available)")->check(CLI::Range(1, 1024));
    cmd->add_flag("-n,--dry-run", o->dry_run, "Print the commands and environment as a shell script; run nothing");
    cmd->add_flag("--force", o->force, "Go on despite version refusals (Emscripten too old or known broken, Python version)");
    cmd->add_flag("--all-profiles", o->all_profiles, "List the experimental and broken profiles in --help too")
        ->trigger_on_parse()
        ->each([cmd](std::string const&) { cmd->footer(profiles_help(true)); });
    cmd->add_option("--ports-src", o->ports_src,
                    "Build zlib, bzip2, sqlite3 with emcc from the source trees in DIR (apt-get source zlib bzip2 "
                    "sqlite3) instead of Emscripten's ports")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--deps-src", o->deps_src,
                    "CPython 3.14+ Emscripten: build libffi and mpdecimal from the source trees in DIR (apt-get source "
                    "libffi mpdecimal) instead of the driver's downloads")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--host-runner", o->host_runner,
                    "CPython 3.13+ drivers: configure-host's --host-runner template (WASI default: wasmtime), e.g. "
                    "--host-runner='node /path/to/wasi_runner.mjs'");
    cmd->add_option("--emsdk-cache", o->emsdk_cache,
                    "CPython 3.15+/main Emscripten: the driver's --emsdk-cache DIR (install-emscripten installs the "
                    "pinned version there)");
    cmd->add_option("--configure-arg", o->configure_args, "Extra configure argument for the profile (repeatable)");
    cmd->add_option("--make-var", o->make_vars, "Extra make variable NAME=VALUE for the profile (repeatable)")
        ->check([](std::string const& v) {
            auto eq = v.find('=');
            return eq != std::string::npos && eq > 0 ? std::string{} : "--make-var wants NAME=VALUE: " + v;
        });
    cmd->add_option("--env", o->extra_env, "Extra environment NAME=VALUE for every step (repeatable)")
        ->check([](std::string const& v) {
            auto eq = v.find('=');
            if (eq == std::string::npos || eq == 0) return "--env wants NAME=VALUE: " + b::comment_text(v);
            if (!b::is_shell_identifier(std::string_view(v).substr(0, eq)))
                return "--env: " + b::comment_text(v.substr(0, eq)) +
                       " is not a variable name (letters, digits and _, not starting with a digit)";
            return std::string{};
        });
    auto* serve_group = cmd->add_option_group("repl (browser profiles)", "How `repl` serves the checkout: as wasmdev serve");
    add_serve_options(*serve_group, o->serve);
    cmd->footer(profiles_help(false));
    cmd->footer(std::function<std::string()>(checkout_help));
    return {cmd, [o] { return run(*o); }};
}

}  // namespace wasmdev::cli
