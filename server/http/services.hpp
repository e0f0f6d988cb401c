// The long-lived helpers handle() and its stages may use (caches, counters, the serve-time
// module diagnosis), as plain pointers and callbacks: http/ names what it needs, the command
// that starts a server (cli/serve_wiring.cpp) supplies them. All optional: tests pass none.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::compress {
class CompressCache;
}
namespace wasmdev::fs {
class OpenFileCache;
}

namespace wasmdev::http {

// Serve-time diagnosis of debug files (docs/design.md#serve-diagnosis): told of each wasm module answered and of
// each 404, so a missing debug file a module names is explained in the log; and the list of
// modules for the self-check page. Paths are decoded ("/dir/app.wasm"). cli/serve_wiring.cpp wires it to
// doctor::ServedModules; http knows only these three calls.
struct ModuleWatch {
    std::function<void(std::string_view url_path, std::string_view relative)> served{};
    std::function<std::optional<std::string>(std::string_view url_path)> not_found{};
    std::function<std::string(std::string_view origin)> modules_json{};
};

// TLS handshakes in progress against their cap, for /__wasmdev/stats.json (kept by
// net/handshake_slots.cpp; docs/https.md, "Handshakes in progress").
struct HandshakeStats {
    std::size_t cap = 0;
    std::atomic<std::size_t> in_progress{0};  // holding TLS state: a whole ClientHello came, not done
    std::atomic<std::size_t> peak{0};         // the most in progress at once since the start
    std::atomic<std::size_t> waiting{0};      // a whole ClientHello came, waiting for a slot
};

// The allocator's free memory and how often it was given back, for /__wasmdev/stats.json (kept
// by net/give_back.cpp; docs/design.md#memory).
struct MemoryStats {
    std::atomic<std::uint64_t> give_backs{0};       // times memory was given back to the OS
    std::atomic<std::uint64_t> free_held_bytes{0};  // what the allocator held free at the last look
};

// Long-lived helpers the handler may use; all optional (tests can pass none).
struct Services {
    compress::CompressCache* cache = nullptr;
    fs::OpenFileCache* open_files = nullptr;                         // spares openat2+fstat+close on repeat requests
    std::atomic<std::size_t> const* open_connections = nullptr;      // for /__wasmdev/stats.json
    std::atomic<std::size_t> const* responses_being_sent = nullptr;  // for /__wasmdev/stats.json
    ModuleWatch const* modules = nullptr;
    std::atomic<std::size_t> const* open_event_streams = nullptr;  // live reload's open streams
    HandshakeStats const* tls_handshakes = nullptr;                // nullptr: no --tls
    MemoryStats const* memory = nullptr;                           // nullptr: not counted
};

}  // namespace wasmdev::http
