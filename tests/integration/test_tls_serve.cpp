// What `serve` answers over TLS, in-process on 127.0.0.1: a HEAD, whose empty body is a null
// pointer that TlsTransport gathers into its buffer, gets the GET's headers and no body; and
// handshakes in progress are capped (docs/https.md, "Handshakes in progress"): a client that
// stalls mid-ClientHello holds no slot, stalled handshakes beyond the cap wait without TLS
// state, and a browser's request is still answered once the stalled ones time out.
#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <memory>
#include <vector>

#include "tests/integration/support.hpp"
#include "tests/integration/tls_client.hpp"

using namespace wasmdev;
using namespace wasmdev::test;

TEST_CASE("serve over TLS: a HEAD is answered with the GET's headers and no body") {
    TlsSite site;
    TestServer srv(site.cfg);
    TlsClient c(srv.port());
    REQUIRE(c.handshake());
    REQUIRE(c.send(request_line("HEAD", "/app.js", {"Connection: close"})));
    auto const response = c.read_all();
    CAPTURE(response);
    CHECK(response.starts_with("HTTP/1.1 200 "));
    CHECK(response.find("\r\nContent-Length: 14\r\n") != std::string::npos);
    CHECK(response.ends_with("\r\n\r\n"));  // the head, and nothing after it
}

namespace {

// The bytes of a real ClientHello (OpenSSL's own), made without a socket: a client that sends
// them and then nothing is a handshake in progress that never ends.
std::string client_hello() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL* ssl = SSL_new(ctx);
    BIO* out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, BIO_new(BIO_s_mem()), out);
    SSL_set_connect_state(ssl);
    SSL_do_handshake(ssl);  // wants to read the ServerHello: the ClientHello is written
    char* data = nullptr;
    auto const n = BIO_get_mem_data(out, &data);
    std::string hello(data, std::size_t(n));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return hello;
}

// A number from stats.json (a response read whole), or -1 when it is not there.
long stat(std::string const& response, std::string const& name) {
    return json_number(response, name == "open" ? "connections.open" : "tls." + name);
}

// True when the server ends the connection before the deadline, whatever it sent before
// (a stalled handshake has the server's first flight to read).
bool ended_by_server(boost::asio::ip::tcp::socket& s, std::chrono::milliseconds deadline) {
    auto const until = std::chrono::steady_clock::now() + deadline;
    char sink[4096];
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{s.native_handle(), POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        auto const n = ::recv(s.native_handle(), sink, sizeof sink, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return true;
    }
    return false;
}

std::string tls_stats(std::uint16_t port, std::chrono::milliseconds deadline = 5s) {
    TlsClient c(port, deadline);
    if (!c.handshake()) return "(handshake failed)";
    c.send(request_line("GET", "/__wasmdev/stats.json", {"Connection: close"}));
    return c.read_all();
}

}  // namespace

TEST_CASE("serve over TLS: a client that stalls before its ClientHello is whole holds no handshake slot") {
    TlsSite site;
    TestServer srv(site.cfg);
    auto const hello = client_hello();
    REQUIRE(hello.size() > 5);
    std::vector<std::unique_ptr<RawClient>> partial;
    for (int i = 0; i < 3; ++i) {
        partial.push_back(std::make_unique<RawClient>(srv.port()));
        partial.back()->send(std::string_view(hello).substr(0, hello.size() - 1));  // all but its last byte
    }
    RawClient connect_only(srv.port());
    auto const stats = tls_stats(srv.port());
    CAPTURE(stats);
    CHECK(stat(stats, "open") == 5);                    // the three, the silent one and this request: all accepted
    CHECK(stat(stats, "handshakes_in_progress") == 0);  // this request's handshake is over by now
    CHECK(stat(stats, "handshakes_waiting") == 0);
    CHECK(stat(stats, "handshakes_peak") == 1);  // only this request's handshake ever held one
}

TEST_CASE(
    "serve over TLS: stalled handshakes never exceed the cap, and a browser's request is answered once they time out") {
    TlsSite site;
    site.cfg.server.max_connections = 16;  // a cap of 4 handshakes in progress
    site.cfg.server.header_timeout_s = 1;
    TestServer srv(site.cfg);
    auto const hello = client_hello();
    std::vector<std::unique_ptr<RawClient>> stalled;
    for (int i = 0; i < 10; ++i) {
        stalled.push_back(std::make_unique<RawClient>(srv.port()));
        stalled.back()->send(hello);  // and never the client's second flight
    }
    // Behind them in the queue: each group of four holds the slots for the 1 s header deadline
    // (plus the sweeper's 250 ms), so this waits about three rounds; 20 s bounds a hang.
    auto const started = std::chrono::steady_clock::now();
    auto const stats = tls_stats(srv.port(), 20s);
    auto const took = std::chrono::steady_clock::now() - started;
    CAPTURE(stats);
    CAPTURE(std::chrono::duration<double>(took).count());
    CHECK(stat(stats, "handshake_cap") == 4);
    CHECK(stat(stats, "handshakes_peak") == 4);  // the stalled ones filled the cap, never more
    CHECK(took < 12s);
    for (auto& s : stalled) CHECK(ended_by_server(s->socket(), 5s));  // each dropped at its deadline
}
