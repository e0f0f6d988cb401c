// `wasmdev build [PROFILE] [OP...]`: CPython's WebAssembly build pipeline (docs/build.md), then,
// for `repl` on a browser profile, the same server as `wasmdev serve` on the checkout root, and
// for `run`, the page headless as `wasmdev run` runs it (run_page.hpp).
// Turns flags into cpython::BuildRunOptions and calls run_build(), which decides and prints
// everything up to the summary; serves the checkout when it says to.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "server/cli/commands.hpp"
#include "server/cli/open_browser.hpp"
#include "server/cli/run_page.hpp"
#include "server/cli/serve_options.hpp"
#include "server/cli/serve_wiring.hpp"
#include "server/cpython/checkout.hpp"
#include "server/cpython/layout.hpp"
#include "server/cpython/ops.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/run_build.hpp"
#include "server/cpython/step.hpp"
#include "server/doctor/hints.hpp"

namespace wasmdev::cli {
namespace {

namespace fs = std::filesystem;
namespace b = wasmdev::cpython;

// The build flags (server/cpython/run_build.hpp), how `repl` serves and how `run` runs.
struct BuildOptions : b::BuildRunOptions {
    bool all_profiles = false;
    ServeOptions serve{};
    double run_timeout_s = run::default_timeout_s;
    double run_silence_timeout_s = 0;
    std::vector<std::string> run_maps;
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
    out += "\nOps (default build; run in the order given):\n" + b::ops_help();
    out +=
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
    std::string out =
        fmt::format("This checkout: CPython {} at {}\n", version.empty() ? "?" : version, found->string());
    for (auto [what, host] : {std::pair{"emscripten-*", b::Host::wasm32_emscripten},
                              std::pair{"wasi", b::Host::wasm32_wasi}, std::pair{"build", b::Host::native}})
        out += fmt::format("  {:<14} {}\n", what, b::describe_pipeline(b::choose_pipeline(facts, host)));
    return out;
}

bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }

int serve_checkout(BuildOptions const& o, b::CPythonLayout const& layout, b::BuildProfile const& p, std::string rel,
                   std::string const& missing_hint, bool pydebug = false) {
    ServeOptions so = o.serve;
    so.root = layout.srcdir.string();
    if (!so.reload) so.reload = true;  // the edit-rebuild loop is what repl is for
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
    return run_server(*cfg, [rel, debug, srcdir, open_path](std::string const& url) {
        auto page = url + rel;
        fmt::print("{}: {}\n", fs::path(rel).filename().string(), page);
        if (debug) {
            // The doctor reads the build's own DWARF: the substitutions it computes are the
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
            auto target =
                (*open_path == "/" || open_path->empty())
                    ? page
                    : url.substr(0, url.size() - 1) + (open_path->starts_with('/') ? *open_path : "/" + *open_path);
            open_in_browser(target);
        }
    });
}

int run(BuildOptions const& o) {
    auto outcome = b::run_build(o, stdout_is_tty());
    if (!outcome.serve) return outcome.exit_code;
    auto const& s = *outcome.serve;
    if (s.headless) {
        // The page headless, with the policy flags `repl` would serve it with (--coep, ...).
        RunOptions r;
        r.root = s.layout.srcdir.string();
        r.page = (s.layout.srcdir / s.page).string();
        r.policy = o.serve.policy;
        r.timeout_s = o.run_timeout_s;
        r.silence_timeout_s = o.run_silence_timeout_s;
        r.maps = o.run_maps;
        return run_page(r);
    }
    return serve_checkout(o, s.layout, *s.profile, s.page, s.missing_hint, s.pydebug);
}

}  // namespace

Command add_build_command(CLI::App& root) {
    auto o = std::make_shared<BuildOptions>();
    auto* cmd = root.add_subcommand("build",
                                    "Build CPython for WebAssembly (Tools/wasm/wasm_build.py's pipeline), "
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
    cmd->add_option("-j,--jobs", o->jobs, "Parallel make jobs (default: the CPUs available)")
        ->check(CLI::Range(1, 1024));
    cmd->add_flag("-n,--dry-run", o->dry_run, "Print the commands and environment as a shell script; run nothing");
    cmd->add_flag("--force", o->force,
                  "Go on despite version refusals (Emscripten too old or known broken, Python version)");
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
    auto* serve_group =
        cmd->add_option_group("repl (browser profiles)", "How `repl` serves the checkout: as wasmdev serve");
    add_serve_options(*serve_group, o->serve);
    auto* run_group = cmd->add_option_group("run (browser profiles)", "How `run` runs the page: as wasmdev run");
    run_group
        ->add_option("--timeout", o->run_timeout_s, "End the run after S seconds, exit 124 (default: 600; 0: no limit)")
        ->check(CLI::NonNegativeNumber);
    run_group
        ->add_option("--silence-timeout", o->run_silence_timeout_s,
                     "End the run after S seconds without output, exit 124")
        ->check(CLI::PositiveNumber);
    add_map_option(*run_group, o->run_maps);
    cmd->footer(profiles_help(false));
    cmd->footer(std::function<std::string()>(checkout_help));
    return {cmd, [o] { return run(*o); }};
}

}  // namespace wasmdev::cli
