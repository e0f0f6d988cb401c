// What `wasmdev serve` was asked to do, as plain values (the `serve` options).
// Filled by server/cli/ from flags; read by the handler and the network layer.
// Holds no behaviour beyond defaults.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "server/http/header_policy.hpp"

namespace wasmdev::http {

// A response's headers. Names are views: of string literals, or of Config::extra_headers,
// so the Config must outlive the list. Spares an allocation per long name per response.
using ResponseHeaders = std::vector<std::pair<std::string_view, std::string>>;

// The header policy (coep, corp, extra_headers, min_compress_bytes) is the base, so the
// config writers can take it without the server's settings.
struct Config : HeaderPolicy {
    std::filesystem::path root{};  // canonical, absolute
    int root_fd = -1;              // search-only descriptor of root (resolve's fast path), or -1
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8000;
    bool bind_is_loopback = true;  // beyond loopback the Host check also answers IP literals and machine_names
    std::vector<std::string> allow_hosts{};    // --allow-host, lower case
    std::vector<std::string> machine_names{};  // this machine's host names, lower case; the CLI collects them
    bool follow_symlinks = false;
    bool listing = true;
    bool compress = true;
    std::size_t cache_bytes = 256u * 1024 * 1024;  // compressed bodies kept in memory
    bool quiet = false;
    unsigned threads = 0;             // 0: one per usable CPU (sys/cpus.hpp)
    std::size_t max_connections = 0;  // 0: derived from the descriptor limit (net/server.cpp)
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;       // a GET body beyond this closes the connection (read and dropped)
    std::size_t max_read_buffer_bytes = 64 * 1024;  // unparsed bytes one connection holds: head, chunk lines, trailers
    unsigned header_timeout_s = 15;                 // idle keep-alive and slow headers
    unsigned write_stall_timeout_s = 30;            // a client that stops reading

    // HTTPS (--tls, --cert, --key; docs/design.md#https). The CLI fills it: with --tls alone from the
    // certificate wasmdev issued itself (server/tls/), with --cert/--key from the user's files.
    struct Tls {
        bool enabled = false;
        std::filesystem::path cert_file{};  // PEM: the leaf, then its chain
        std::filesystem::path key_file{};   // PEM, unencrypted
        std::filesystem::path ca_file{};    // wasmdev's local CA (to trust on a phone); empty for --cert
        std::vector<std::string> names{};   // what wasmdev's leaf covers; empty for --cert
    } tls{};

    // Live reload (docs/design.md#live-reload, docs/reload.md): ROOT is watched, HTML pages get the client.
    bool reload = false;
    std::string reload_token{};           // per process; net/server.cpp makes one when empty
    std::size_t max_event_streams = 256;  // open tabs; each holds a descriptor
    unsigned reload_quiet_ms = 200;       // writes settle this long before an event
    unsigned heartbeat_s = 20;            // a comment on an idle stream, so proxies keep it
};

}  // namespace wasmdev::http
