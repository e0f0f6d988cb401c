// What `wasmdev serve` was asked to do, as plain values (the `serve` options).
// Filled by server/cli/ from flags; read by the handler, which takes it whole, and by the
// network layer, whose parts each take only their piece (ServerOptions, TlsSettings, ReloadOptions).
// Holds no behaviour beyond defaults.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "server/http/config_reload.hpp"
#include "server/http/config_server.hpp"
#include "server/http/config_tls.hpp"
#include "server/http/header_policy.hpp"

namespace wasmdev::http {

// A response's headers. Names are views: of string literals, or of Config::extra_headers,
// so the Config must outlive the list. Spares an allocation per long name per response.
using ResponseHeaders = std::vector<std::pair<std::string_view, std::string>>;

// The header policy (coep, corp, extra_headers, min_compress_bytes) is the base, so the
// config writers can take it without the server's settings, and the handler's many policy
// calls take the Config as it is. The other parts are members, one per reader.
struct Config : HeaderPolicy {
    // What is served, and to whom: the handler's own settings.
    std::filesystem::path root{};  // canonical, absolute
    int root_fd = -1;              // search-only descriptor of root (resolve's fast path), or -1
    bool bind_is_loopback = true;  // beyond loopback the Host check also answers IP literals and machine_names
    std::vector<std::string> allow_hosts{};    // --allow-host, lower case
    std::vector<std::string> machine_names{};  // this machine's host names, lower case; the CLI collects them
    bool follow_symlinks = false;
    bool listing = true;
    bool compress = true;

    ServerOptions server{};  // listening, threads, limits, timeouts, the body cache, the access log
    TlsSettings tls{};       // HTTPS
    ReloadOptions reload{};  // live reload
};

}  // namespace wasmdev::http
