// Test support for integration tests: an in-process server on 127.0.0.1 port 0, and a raw
// HTTP/1.1 client whose every call has a deadline (blocking Beast calls have none, so all
// I/O is async and driven with run_for).
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/http/config.hpp"
#include "server/net/server.hpp"
#include "tests/support/temp_tree.hpp"

namespace wasmdev::test {

using namespace std::chrono_literals;

struct Response {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};
    bool keep_alive = true;
    std::string header(std::string_view name) const;  // "" when absent; first of that name
    bool has(std::string_view name) const;
};

http::Config config_for(std::filesystem::path const& root);

class TestServer {
public:
    explicit TestServer(http::Config cfg);
    ~TestServer();
    std::uint16_t port() const { return server_.port(); }

private:
    net::Server server_;
};

// A client whose every step (connect, send, read one response) is bounded by `deadline`. The
// default bounds a hang, not the server's speed: a cold brotli of a 32 MB module takes over 5 s
// on a loaded 2-core CI machine, and a step that ends early (a close, a reset) never waits it out.
class RawClient {
public:
    explicit RawClient(std::uint16_t port, std::chrono::milliseconds deadline = 30s);
    void send(std::string_view bytes);
    // Reads one response; nullopt when the connection closed or the deadline passed.
    std::optional<Response> read(bool head_request = false);
    // Reads until the bytes received so far contain `marker` (kept for read() to parse):
    // false when the connection closed or the deadline passed first. Lets a test act at a
    // moment on the wire ("the head is out") instead of after a sleep.
    bool wait_for(std::string_view marker);
    // True when the server closes the connection (EOF) before the deadline.
    bool closed_by_peer(std::chrono::milliseconds deadline = 5s);
    boost::asio::ip::tcp::socket& socket() { return socket_; }

private:
    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::socket socket_{ioc_};
    boost::beast::flat_buffer buffer_;
    std::chrono::milliseconds deadline_;
};

// One GET (or other method) on a new connection; extra is a list of "Name: value" lines.
Response request(std::uint16_t port, std::string_view method, std::string_view target,
                 std::vector<std::string> const& extra = {});
std::string request_line(std::string_view method, std::string_view target, std::vector<std::string> const& extra = {},
                         std::string_view host = "127.0.0.1");

// The number at a dotted path ("connections.open") of /__wasmdev/stats.json, asked on a new
// connection; -1 when absent.
long long stats_number(std::uint16_t port, std::string_view path);

// Asks `holds` every 10 ms until it is true or `bound` (scaled like a client's deadline) has
// passed, and returns the answer that ended the wait: for a state a test can see only by
// asking (a counter in stats.json), instead of a sleep that stands for it.
bool eventually(std::function<bool()> const& holds, std::chrono::milliseconds bound);

std::string read_file(std::filesystem::path const& p);
// The number at a dotted path ("connections.open") of a JSON document such as
// /__wasmdev/stats.json, parsed with Boost.JSON; `text` may be a whole response (its head is
// skipped). -1 when the text is not JSON or the path leads to no number.
long long json_number(std::string_view text, std::string_view path);
std::string pseudo_random_bytes(std::size_t n, unsigned seed);

}  // namespace wasmdev::test
