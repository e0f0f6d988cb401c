// The network server behind `serve` (docs/design.md#connections): listener, sessions, threads, shutdown.
// Owns sockets and threads only; every HTTP decision is server/http/handler.cpp's.
// run_server() is the one entry point the CLI (serve, build repl) calls.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "server/http/config.hpp"
#include "server/http/services.hpp"

namespace wasmdev::compress {
class CompressCache;
}

namespace wasmdev::net {

// Startup failed in a way the user can fix; what() is the sentence to print.
struct StartupError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Server {
public:
    // Binds and listens (throws StartupError); serving starts with start() or run().
    // module_watch: the serve-time module diagnosis (docs/design.md#serve-diagnosis), which the
    // command wires to the doctor (cli/serve_wiring.hpp); without it modules.json lists none.
    explicit Server(http::Config cfg, http::ModuleWatch module_watch = {});
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

// Serves until SIGINT/SIGTERM: prints the URL line, logs, returns the exit code (0 on a
// clean stop, 1 when startup fails — after printing "error: ..." to stderr).
// on_ready runs once the server is listening, with its URL (used by --open).
int run_server(http::Config const& cfg, std::function<void(std::string const& url)> const& on_ready = {},
               http::ModuleWatch module_watch = {});

}  // namespace wasmdev::net
