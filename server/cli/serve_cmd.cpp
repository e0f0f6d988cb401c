// `wasmdev serve [ROOT]`: the serve flags (serve_options.cpp) into an http::Config, then the
// server with its wiring (serve_wiring.cpp), and --open once it listens.
#include <fmt/format.h>

#include <memory>

#include "server/cli/commands.hpp"
#include "server/cli/open_browser.hpp"
#include "server/cli/serve_options.hpp"
#include "server/cli/serve_wiring.hpp"

namespace wasmdev::cli {

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
            open_in_browser(url.substr(0, url.size() - 1) + (path.starts_with('/') ? path : "/" + path));
        };
    }
    return run_server(*cfg, on_ready);
}

Command add_serve_command(CLI::App& root) {
    auto opts = std::make_shared<ServeOptions>();
    auto* cmd = root.add_subcommand("serve", "Serve ROOT (default .) with the headers WebAssembly builds need");
    cmd->add_option("ROOT", opts->root, "Directory to serve")->capture_default_str();
    add_serve_options(*cmd, *opts);
    return {cmd, [opts] { return serve(*opts); }};
}

}  // namespace wasmdev::cli
