// The lines printed once a server listens: see serve_banner.hpp.
#include "server/cli/serve_banner.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "server/http/host_check.hpp"

namespace wasmdev::cli {
namespace {

// A host as it stands in a URL: an IPv6 literal in brackets.
std::string url_host(std::string const& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

// What a user needs to reach the HTTPS server from a phone or another machine (docs/design.md#https).
void print_tls_lines(http::Config const& cfg, std::uint16_t port) {
    auto const& t = cfg.tls;
    if (!t.enabled) return;
    // Listening on every interface: the addresses a phone can use (the certificate names them).
    if (cfg.server.bind == "0.0.0.0" || cfg.server.bind == "::") {
        for (auto const& n : t.names) {
            if (n == "localhost" || http::is_loopback_address(n)) continue;
            fmt::print("  from other devices: https://{}:{}/\n", url_host(n), port);
        }
    }
    if (t.ca_file.empty()) {
        fmt::print("HTTPS with {}\n", t.cert_file.native());
        return;
    }
    std::string names;
    for (auto const& n : t.names) names += (names.empty() ? "" : ", ") + n;
    fmt::print(
        "HTTPS certificate for {} from wasmdev's local CA: {}\n"
        "  To trust it on a phone or another machine, copy that CA file there and install it as a trusted\n"
        "  certificate authority (iOS: open it, install the profile, then enable it in Settings > General >\n"
        "  About > Certificate Trust Settings; Android: Settings > Security > Encryption & credentials >\n"
        "  Install a certificate > CA certificate). docs/https.md has more.\n",
        names, t.ca_file.native());
}

// The address another device would type: the bind address, or for a wildcard bind this
// machine's own name (0.0.0.0 reaches nothing from elsewhere).
std::string address_for_others(http::Config const& cfg) {
    std::string a = cfg.server.bind;
    if (a == "0.0.0.0" || a == "::") {
        auto const named = std::find_if(cfg.machine_names.begin(), cfg.machine_names.end(), [](auto const& n) {
            return n != "localhost" && !http::is_loopback_address(n);
        });
        a = named != cfg.machine_names.end() ? *named : "THIS-MACHINE";
    }
    return url_host(a);
}

}  // namespace

void announce_server(http::Config const& cfg, std::string const& url, std::uint16_t port) {
    fmt::print("wasmdev serving {} at {}\n", cfg.root.native(), url);
    print_tls_lines(cfg, port);
    std::fflush(stdout);
    spdlog::info("self-check page: {}__wasmdev/", url);
    bool const any_host = std::find(cfg.allow_hosts.begin(), cfg.allow_hosts.end(), "*") != cfg.allow_hosts.end();
    if (any_host) spdlog::warn("answering to any Host (--allow-host '*'): no defence against DNS rebinding");
    if (!cfg.bind_is_loopback) {
        spdlog::warn("bound to {}: anyone on your network can read {}", cfg.server.bind, cfg.root.native());
        if (!any_host) {
            std::string names;
            for (auto const& n : cfg.machine_names) names += ", " + n;
            for (auto const& n : cfg.allow_hosts) names += ", " + n;
            spdlog::info("answering to Host localhost, IP addresses{}; allow another name with --allow-host NAME",
                         names);
        }
    }
    // Browsers grant cross-origin isolation only to secure contexts, and http:// is one
    // only on localhost.
    if (!cfg.bind_is_loopback && !cfg.tls.enabled)
        spdlog::warn(
            "other devices reach http://{}:{}/ without a secure context, so SharedArrayBuffer and "
            "wasm threads will not work there (only http://localhost is secure); serve with --tls",
            address_for_others(cfg), port);
}

}  // namespace wasmdev::cli
