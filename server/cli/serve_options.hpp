// The `serve` flags as parsed strings and numbers, shared by `serve` and `build ... repl` (which
// serves the checkout with the same flags), and the policy flags (--coep, --corp, --header),
// defined once here for those two and `deploy`/`htaccess`. Defaults come from http::Config's parts; to_config()
// validates and converts. Running the server is serve_wiring.cpp's job (serve_cmd.cpp calls it).
#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/http/config.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::cli {

// The header policy as flags: what every response (or a generated config) carries.
struct PolicyOptions {
    std::string coep = std::string(http::to_string(http::Config{}.coep));
    std::string corp = std::string(http::to_string(http::Config{}.corp));
    std::vector<std::string> headers{};  // "Name: value", checked by parse_header_arg
};

// Adds --coep, --corp and --header (repeatable) to cmd, each value checked while parsing.
void add_policy_options(CLI::App& cmd, PolicyOptions& o);
// Writes the parsed policy into cfg's coep, corp and extra_headers (add_policy_options checked it).
void apply_policy(PolicyOptions const& o, http::HeaderPolicy& cfg);

// Every repeatable option of cmd (its option groups' too) takes one value each time it is
// given: `--header 'X-A: b' DIR` is a header and a directory, not two headers.
void take_one_value_each(CLI::App& cmd);

struct ServeOptions {
    std::string root = ".";
    std::string bind = http::ServerOptions{}.bind;
    std::uint16_t port = http::ServerOptions{}.port;
    std::optional<std::string> open_path{};
    bool quiet = false;
    std::string log_level = "info";
    unsigned threads = 0;
    unsigned max_connections = 0;  // hidden --max-connections; 0: from the descriptor limit
    PolicyOptions policy{};
    std::vector<std::string> allow_hosts{};
    bool follow_symlinks = false;
    bool no_compress = false;
    bool no_listing = false;
    unsigned cache_mb = unsigned(http::ServerOptions{}.cache_bytes >> 20);

    // ---- HTTPS: --tls, --cert, --key; checked and turned into Config::tls by to_config ----
    bool tls = false;
    std::string cert_file{};  // --cert (implies --tls; needs --key)
    std::string key_file{};   // --key
    // ---- end of HTTPS ----
    // Live reload (docs/reload.md). Unset: the command's default (serve: off; build repl: on).
    std::optional<bool> reload{};
    unsigned reload_quiet_ms = http::ReloadOptions{}.quiet_ms;
};

// The serve flags; then take_one_value_each() on the command they join (cmd itself, or the
// command that owns cmd when cmd is an option group), so its own repeatable options before a
// positional behave too.
void add_serve_options(CLI::App& cmd, ServeOptions& o);
std::optional<http::Config> to_config(ServeOptions const& o, std::string& error);
void configure_logging(ServeOptions const& o);
int serve(ServeOptions const& o);

}  // namespace wasmdev::cli
