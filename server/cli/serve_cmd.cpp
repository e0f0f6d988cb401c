// `wasmdev serve [ROOT]`: turns flags into an http::Config and runs the server (SPEC §2).
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "server/cli/commands.hpp"
#include "server/cli/serve_options.hpp"
#include "server/http/host_check.hpp"
#include "server/http/policy.hpp"
#include "server/net/server.hpp"

extern char** environ;

namespace wasmdev::cli {
namespace {

// --allow-host in lower case, an IPv6 address in brackets as the Host header writes it
// ("::1" and "[::1]" both allow "Host: [::1]:8000").
std::string normalise_allow_host(std::string h) {
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!h.starts_with('[') && std::count(h.begin(), h.end(), ':') > 1) h = "[" + h + "]";
    return h;
}

// Opens url in the user's browser when there is a display; quietly does nothing otherwise.
void open_browser(std::string const& url) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        spdlog::warn("--open: no display found; open {} yourself", url);
        return;
    }
    char const* argv[] = {"xdg-open", url.c_str(), nullptr};
    pid_t pid = 0;
    if (::posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
        spdlog::warn("--open: could not run xdg-open; open {} yourself", url);
}

}  // namespace

void add_serve_options(CLI::App& cmd, ServeOptions& o) {
    cmd.add_option("--bind", o.bind, "Address to listen on (IPv6 literals work)")->capture_default_str();
    cmd.add_option("--port", o.port, "Port to listen on; 0 picks a free one")->capture_default_str()->check(CLI::Range(0, 65535));
    cmd.add_option("--open", o.open_path, "Open the default browser at PATH (default /)")->expected(0, 1)->default_str("/");
    cmd.add_flag("--quiet,-q", o.quiet, "Drop access log lines");
    cmd.add_option("--log-level", o.log_level, "trace, debug, info, warn, error, off")
        ->capture_default_str()
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    cmd.add_option("--threads", o.threads, "Serving threads (default: one per core)")->check(CLI::Range(0, 256));
    cmd.add_option("--header", o.headers, "Add or override a response header, 'Name: value' (repeatable)")
        ->check([](std::string const& v) {
            return http::parse_header_arg(v) ? std::string{} : "--header wants 'Name: value' (a token name other than Content-Length, "
                                                             "Transfer-Encoding, Connection, Date; no CR/LF): " + v;
        });
    cmd.add_option("--coep", o.coep, "Cross-Origin-Embedder-Policy")
        ->capture_default_str()
        ->check(CLI::IsMember({"require-corp", "credentialless", "off"}));
    cmd.add_option("--corp", o.corp, "Cross-Origin-Resource-Policy")
        ->capture_default_str()
        ->check(CLI::IsMember({"same-origin", "same-site", "cross-origin", "off"}));
    cmd.add_option("--allow-host", o.allow_hosts, "Also answer to this Host name (repeatable; DNS-rebinding check)")
        ->check([](std::string const& v) {
            auto const n = normalise_allow_host(v);
            return n == "*" || !http::host_without_port(n).empty()
                       ? std::string{}
                       : "--allow-host wants a host name or address (optionally :port), or *: " + v;
        });
    cmd.add_flag("--follow-symlinks", o.follow_symlinks, "Serve symlinks that lead outside ROOT");
    cmd.add_flag("--no-compress", o.no_compress, "Never compress responses");
    cmd.add_flag("--no-listing", o.no_listing, "Answer 403 instead of listing directories");
    cmd.add_option("--cache-mb", o.cache_mb, "Memory for compressed bodies, MiB")->capture_default_str()->check(CLI::Range(0, 1 << 20));
}

std::optional<http::Config> to_config(ServeOptions const& o, std::string& error) {
    http::Config cfg;
    std::error_code ec;
    auto root = std::filesystem::canonical(o.root, ec);
    if (ec || !std::filesystem::is_directory(root, ec)) {
        error = fmt::format("ROOT {} is not a directory", o.root);
        return std::nullopt;
    }
    cfg.root = root;
    boost::system::error_code aec;
    auto addr = boost::asio::ip::make_address(o.bind, aec);
    if (aec) {
        error = fmt::format("--bind {} is not an IP address", o.bind);
        return std::nullopt;
    }
    cfg.bind = addr.to_string();
    cfg.bind_is_loopback = addr.is_loopback();
    cfg.port = o.port;
    cfg.coep = *http::parse_coep(o.coep);
    cfg.corp = *http::parse_corp(o.corp);
    for (auto const& h : o.headers) cfg.extra_headers.push_back(*http::parse_header_arg(h));
    for (auto const& h : o.allow_hosts) cfg.allow_hosts.push_back(normalise_allow_host(h));
    cfg.follow_symlinks = o.follow_symlinks;
    cfg.compress = !o.no_compress;
    cfg.listing = !o.no_listing;
    cfg.quiet = o.quiet;
    cfg.threads = o.threads;
    cfg.cache_bytes = std::size_t(o.cache_mb) * 1024 * 1024;
    return cfg;
}

void configure_logging(ServeOptions const& o) {
    auto logger = spdlog::stdout_color_mt("wasmdev");
    logger->set_pattern("%^[%H:%M:%S.%e] %v%$");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(o.log_level));
    // --quiet drops access lines (info) but keeps warnings a developer should fix.
    if (o.quiet && spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
}

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
