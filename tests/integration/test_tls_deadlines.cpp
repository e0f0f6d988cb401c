// The deadlines of `serve` over TLS, in-process on 127.0.0.1: a client that never
// finishes its handshake is dropped at the header deadline (the handshake counts against it),
// an idle TLS connection too, a TLS client that stops reading is dropped at the write-stall
// deadline, and stop() (Ctrl-C) does not wait for clients in a handshake or idle over TLS.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <ctime>

#include "tests/integration/support.hpp"
#include "tests/integration/tls_client.hpp"

using namespace wasmdev;
using namespace wasmdev::test;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

TEST_CASE(
    "serve over TLS: a client that never finishes its handshake, or idles after it, is dropped at the header "
    "deadline") {
    TlsSite site;
    site.cfg.server.header_timeout_s = 1;
    TestServer srv(site.cfg);
    RawClient silent(srv.port());
    RawClient half_hello(srv.port());
    half_hello.send(std::string_view("\x16\x03\x01\x00", 4));  // a ClientHello that never completes
    TlsClient idle(srv.port());
    REQUIRE(idle.handshake());
    auto const started = std::chrono::steady_clock::now();
    CHECK(silent.closed_by_peer(5s));
    CHECK(half_hello.closed_by_peer(5s));
    CHECK(idle.closed_by_peer(5s));
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    // And the server still serves.
    CHECK(tls_get(srv.port(), "/app.js").find("\r\n\r\nconsole.log(1)") != std::string::npos);
}

TEST_CASE("serve over TLS: a response that closes the connection ends with close_notify, not a bare TCP close") {
    TlsSite site;
    TestServer srv(site.cfg);
    TlsClient c(srv.port());
    REQUIRE(c.handshake());
    REQUIRE(c.send(request_line("GET", "/app.js", {"Connection: close"})));
    boost::system::error_code ended;
    auto const response = c.read_all(&ended);
    CHECK(response.ends_with("\r\n\r\nconsole.log(1)"));
    CHECK_MESSAGE(ended == asio::error::eof, ended.message());
}

TEST_CASE("serve over TLS: a client that stops reading is dropped after the write-stall timeout") {
    TlsSite site;
    site.cfg.server.write_stall_timeout_s = 1;
    TestServer srv(site.cfg);
    TlsClient stalled(srv.port());
    ::setsockopt(stalled.socket().native_handle(), SOL_SOCKET, SO_RCVBUF, "\0\x10\0\0", 4);
    REQUIRE(stalled.handshake());
    REQUIRE(stalled.send(request_line("GET", "/huge.bin")));
    // The server let go when only the stats request itself is open; asked until then, within
    // 15 s: the 1 s timeout plus the sweeper's period plus slack for a loaded machine. The
    // answer that saw it counts: asking once more could find the previous stats connection
    // not yet closed ("open": 2) and fail a server that did let go.
    CHECK(eventually([&] { return json_number(tls_get(srv.port(), "/__wasmdev/stats.json"), "connections.open") == 1; },
                     15s));
}

TEST_CASE("serve over TLS: stop() does not wait for a client in its handshake or an idle TLS connection") {
    TlsSite site;
    net::Server server(site.cfg);  // the default 15 s header deadline: only the stop can end them
    server.start();
    RawClient half_hello(server.port());
    half_hello.send(std::string_view("\x16\x03\x01\x00", 4));
    TlsClient idle(server.port());
    REQUIRE(idle.handshake());
    REQUIRE(idle.send(request_line("GET", "/app.js")));
    REQUIRE(idle.closed_by_peer(300ms) == false);  // answered and kept alive
    auto const started = std::chrono::steady_clock::now();
    server.stop();
    server.wait();
    auto const took = std::chrono::steady_clock::now() - started;
    CAPTURE(std::chrono::duration<double>(took).count());
    CHECK(took < 1500ms);
}
