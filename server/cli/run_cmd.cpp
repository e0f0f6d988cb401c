// `wasmdev run PAGE [-- ARG...]`: runs a WebAssembly page headless and makes its console our
// stdout/stderr and its exit code ours (docs/run.md). run_page (run_page.hpp) serves ROOT
// in-process with exactly serve's policy on a free loopback port, then hands the page's URL to
// run::run_session, which drives a private headless Chromium; the server stops when the run
// ends. add_run_command turns the flags into RunOptions.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "server/browser/chromium.hpp"
#include "server/cli/commands.hpp"
#include "server/cli/run_page.hpp"
#include "server/cli/serve_options.hpp"
#include "server/cli/serve_wiring.hpp"
#include "server/net/server.hpp"
#include "server/run/limits.hpp"
#include "server/run/page_url.hpp"
#include "server/run/session.hpp"
#include "server/run/url_map.hpp"
#include "server/text/ascii.hpp"

namespace wasmdev::cli {

namespace fs = std::filesystem;

int run_page(RunOptions const& o) {
    std::error_code ec;
    if (!fs::is_regular_file(o.page, ec)) {
        fmt::print(stderr, "wasmdev: error: PAGE {} does not exist (or is not a file)\n", o.page);
        return 2;
    }
    char const* env_browser = std::getenv("WASMDEV_BROWSER");
    char const* path = std::getenv("PATH");
    auto browser = browser::locate_browser(o.browser, env_browser ? env_browser : "", path ? path : "");
    if (browser.path.empty()) {
        fmt::print(stderr, "wasmdev: error: {}\n", browser.error);
        return 2;
    }
    // The validator checked each value when parsing; DIR is made canonical once, here, since
    // the paths below it are resolved against it for every request.
    std::vector<run::UrlMap> maps;
    std::string error;
    for (auto const& value : o.maps) {
        auto m = run::parse_url_map(value, error);
        std::error_code dir_ec;
        auto dir = m ? fs::canonical(m->dir, dir_ec) : fs::path();
        if (!m || dir_ec || !fs::is_directory(dir, dir_ec)) {
            fmt::print(stderr, "wasmdev: error: --map: {}: '{}'\n", m ? "DIR is not a directory" : error,
                       text::escape_controls(value));
            return 2;
        }
        m->dir = dir;
        maps.push_back(std::move(*m));
    }
    // serve's policy exactly: its defaults and the same policy flags, on loopback, port 0.
    ServeOptions so;
    so.root = o.root;
    so.bind = "127.0.0.1";
    so.port = 0;
    so.quiet = true;  // no access log: our stdout is the program's
    so.threads = 2;   // one page and its workers: no need for a thread per CPU
    so.policy = o.policy;
    so.reload = false;
    auto cfg = to_config(so, error);
    if (!cfg) {
        fmt::print(stderr, "wasmdev: error: --root: {}\n", error);
        return 2;
    }
    // The server's own warnings go to stderr, errors only: stdout carries the page's output.
    auto logger = spdlog::stderr_color_mt("wasmdev-run");
    logger->set_pattern("wasmdev: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::err);

    std::unique_ptr<WiredServer> wired;
    try {
        wired = std::make_unique<WiredServer>(*cfg);
    } catch (net::StartupError const& e) {
        fmt::print(stderr, "wasmdev: error: {}\n", e.what());
        return 1;
    }
    auto& server = wired->server();
    auto url = run::page_url(cfg->root, o.page, server.port(), error);
    if (url.empty()) {
        fmt::print(stderr, "wasmdev: error: {}\n", error);
        return 2;
    }
    server.start();
    run::SessionOptions s;
    s.browser = browser.path;
    s.as_root = ::geteuid() == 0;
    s.url = url;
    if (!o.args.empty()) s.args = o.args;
    s.json = o.json;
    s.limits = {o.timeout_s, o.silence_timeout_s};
    s.verbose = o.verbose;
    s.trace = o.trace;
    s.maps = std::move(maps);
    int code = run::run_session(s);
    server.stop();
    server.wait();
    return code;
}

void add_map_option(CLI::App& cmd, std::vector<std::string>& maps) {
    cmd.add_option("--map", maps,
                   "Answer requests under URL-PREFIX from DIR, in the browser (repeatable; e.g. "
                   "https://unpkg.com/xterm@4.18.0/=node_modules/xterm/ for a CDN script offline)")
        ->type_name("URL-PREFIX=DIR")
        ->check([](std::string const& v) {
            std::string error;
            auto m = run::parse_url_map(v, error);
            std::error_code ec;
            if (m && !fs::is_directory(m->dir, ec)) error = "DIR " + m->dir.string() + " is not a directory";
            return error.empty() ? std::string{} : error + ": '" + text::escape_controls(v) + "'";
        });
}

Command add_run_command(CLI::App& root) {
    auto o = std::make_shared<RunOptions>();
    auto* cmd = root.add_subcommand("run",
                                    "Run a WebAssembly page in a private headless Chromium: its console on "
                                    "stdout/stderr, its exit code as wasmdev's");
    cmd->add_option("PAGE", o->page, "The .html page to run, inside ROOT")->required();
    cmd->add_option("ARGS", o->args, "After --: the program's arguments (Emscripten's Module.arguments)");
    cmd->add_option("--root", o->root, "The directory to serve (default: the current directory)")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--browser", o->browser, "The Chromium to run (default: $WASMDEV_BROWSER, then /usr/bin/chromium)");
    cmd->add_flag("--json", o->json, "One JSON object per line on stdout: stream, url, time, text");
    cmd->add_option("--timeout", o->timeout_s, "End the run after S seconds, exit 124 (default: 600; 0: no limit)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--silence-timeout", o->silence_timeout_s, "End the run after S seconds without output, exit 124")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("-v,--verbose", o->verbose,
                  "Print the browser's command, the page's URL, the browser's pid and its profile directory to stderr");
    cmd->add_flag("--trace-devtools", o->trace,
                  "Print every DevTools message from the browser to stderr (to debug run itself)");
    add_map_option(*cmd, o->maps);
    add_policy_options(*cmd, o->policy);
    take_one_value_each(*cmd);  // `--header 'X: y' page.html`: a header and the PAGE
    cmd->footer(
        "Exit codes: the program's (exit(n), main's return, emrun's, wasmdevRun.exit(n)); 1 for an uncaught\n"
        "exception or a browser that died; 124 for a timeout (--timeout, 600 s unless given); 2 for bad usage, a "
        "missing PAGE or no Chromium.\n"
        "docs/run.md has the details.");
    return {cmd, [o] { return run_page(*o); }};
}

}  // namespace wasmdev::cli
