// The network server behind `serve` (docs/design.md#connections): listener, sessions, threads, shutdown.
// Owns sockets and threads only; every HTTP decision is server/http/handler.cpp's. What other
// folders add (the doctor's module diagnosis, live reload's watcher) and what the user is told
// is the command's (cli/serve_wiring.hpp): the server is handed interfaces only.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "server/http/config.hpp"
#include "server/http/services.hpp"
#include "server/net/change_feed.hpp"

namespace wasmdev::compress {
class CompressCache;
}

namespace wasmdev::net {

// Startup failed in a way the user can fix; what() is the sentence to print.
struct StartupError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the command that starts a server plugs into it; all optional (tests pass none). Each
// must outlive the server.
struct Hooks {
    // The serve-time module diagnosis (docs/design.md#serve-diagnosis); without it modules.json lists none.
    http::ModuleWatch module_watch{};
    // Live reload's changes under ROOT; without it (or without a watcher) event streams only
    // get heartbeats. Used only with cfg.reload.enabled.
    ChangeFeed reload_feed{};
};

class Server {
public:
    // Binds and listens (throws StartupError); serving starts with start().
    explicit Server(http::Config cfg, Hooks hooks = {});
    ~Server();
    Server(Server const&) = delete;
    Server& operator=(Server const&) = delete;

    std::uint16_t port() const;
    std::string url() const;  // "http://127.0.0.1:8000/" ("https://" with TLS), brackets for IPv6
    http::Config const& config() const;

    void start();  // serve on background threads; returns at once
    void wait();   // block until the server has stopped
    // Stop accepting, let in-flight responses finish (up to grace), close idle connections.
    // Safe from any thread, signal handlers excluded; returns at once.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Starts server and serves until SIGINT/SIGTERM, then stops it and returns once it has
// drained. The signals are caught from before `started` runs, so a script (or a test) that
// signals as soon as it reads the URL line `started` prints is heard, not lost.
void serve_until_signal(Server& server, std::function<void()> const& started = {});

}  // namespace wasmdev::net
