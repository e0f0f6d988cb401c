// The `serve` flags as parsed strings and numbers, shared by `serve` and `build ... repl`
// (which serves the checkout with the same flags). to_config() validates and converts.
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/http/config.hpp"

namespace wasmdev::cli {

struct ServeOptions {
    std::string root = ".";
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8000;
    std::optional<std::string> open_path{};
    bool quiet = false;
    std::string log_level = "info";
    unsigned threads = 0;
    std::vector<std::string> headers{};
    std::string coep = "require-corp";
    std::string corp = "same-site";
    std::vector<std::string> allow_hosts{};
    bool follow_symlinks = false;
    bool no_compress = false;
    bool no_listing = false;
    unsigned cache_mb = 256;
};

void add_serve_options(CLI::App& cmd, ServeOptions& o);
std::optional<http::Config> to_config(ServeOptions const& o, std::string& error);
void configure_logging(ServeOptions const& o);
int serve(ServeOptions const& o);

}  // namespace wasmdev::cli
