// The network server's own settings (docs/design.md#limits, docs/design.md#connection-limit):
// where it listens, its threads, what each connection may hold and how long it may idle, the
// memory for compressed bodies and the access log. server/net/ reads them; the handler reads
// only `bind` (the Host check answers to the address it listens on).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace wasmdev::http {

struct ServerOptions {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8000;
    unsigned threads = 0;             // 0: one per usable CPU (sys/cpus.hpp)
    std::size_t max_connections = 0;  // 0: derived from the descriptor limit (net/server.cpp)
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;       // a GET body beyond this closes the connection (read and dropped)
    std::size_t max_read_buffer_bytes = 64 * 1024;  // unparsed bytes one connection holds: head, chunk lines, trailers
    unsigned header_timeout_s = 15;                 // idle keep-alive and slow headers
    unsigned write_stall_timeout_s = 30;            // a client that stops reading
    std::size_t cache_bytes = 256u * 1024 * 1024;   // compressed bodies kept in memory
    bool quiet = false;                             // no access log
};

}  // namespace wasmdev::http
