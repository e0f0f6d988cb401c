// `wasmdev serve [ROOT]`: the serve flags (serve_options.cpp) into an http::Config, then the
// server (SPEC §2), and --open once it listens.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <memory>
#include <thread>

#include "server/cli/commands.hpp"
#include "server/cli/serve_options.hpp"
#include "server/net/server.hpp"

extern char** environ;

namespace wasmdev::cli {
namespace {

// Opens url in the user's browser when there is a display; quietly does nothing otherwise.
void open_browser(std::string const& url) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        spdlog::warn("--open: no display found; open {} yourself", url);
        return;
    }
    char const* argv[] = {"xdg-open", url.c_str(), nullptr};
    pid_t pid = 0;
    if (::posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
        spdlog::warn("--open: could not run xdg-open; open {} yourself", url);
        return;
    }
    // Reaped when it exits (xdg-open hands the URL to the browser and returns), never a zombie.
    std::thread([pid] { ::waitpid(pid, nullptr, 0); }).detach();
}

}  // namespace

int serve(ServeOptions const& o) {
    std::string error;
    auto cfg = to_config(o, error);
    if (!cfg) {
        fmt::print(stderr, "wasmdev: error: {}\n", error);
        return 2;
    }
    configure_logging(o);
    std::function<void(std::string const&)> on_ready;
    if (o.open_path) {
        auto path = *o.open_path;
        on_ready = [path](std::string const& url) {
            open_browser(url.substr(0, url.size() - 1) + (path.starts_with('/') ? path : "/" + path));
        };
    }
    return net::run_server(*cfg, on_ready);
}

Command add_serve_command(CLI::App& root) {
    auto opts = std::make_shared<ServeOptions>();
    auto* cmd = root.add_subcommand("serve", "Serve ROOT (default .) with the headers WebAssembly builds need");
    cmd->add_option("ROOT", opts->root, "Directory to serve")->capture_default_str();
    add_serve_options(*cmd, *opts);
    return {cmd, [opts] { return serve(*opts); }};
}

}  // namespace wasmdev::cli
