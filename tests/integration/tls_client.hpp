// Test support for TLS integration tests: a site served over TLS with a certificate from a
// CA made for the test, and a TLS client whose every step has a deadline (async operations
// driven with run_for), like RawClient for plain HTTP.
#pragma once
#include <doctest/doctest.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <ctime>
#include <functional>
#include <string>

#include "server/tls/local_ca.hpp"
#include "tests/integration/support.hpp"

namespace wasmdev::test {

// A site and a config serving it over TLS with a certificate from a CA made for the test.
struct TlsSite {
    TempTree dir;
    http::Config cfg;
    TlsSite() {
        dir.write("root/app.js", "console.log(1)");
        dir.write("root/huge.bin", std::string(32 << 20, 'x'));
        cfg = config_for(dir.path / "root");
        std::string error;
        auto made = tls::ensure_local_certificates(dir.path / "tls", {"127.0.0.1", "::1", "localhost"},
                                                   std::time(nullptr), "wasmdev test CA", error);
        REQUIRE_MESSAGE(made, error);
        cfg.tls = {true, made->cert, made->key, made->ca_cert, made->names};
    }
};

// A TLS client whose every step has a deadline (async operations run with run_for).
class TlsClient {
public:
    explicit TlsClient(std::uint16_t port, std::chrono::milliseconds deadline = 5s) : deadline_(deadline) {
        ctx_.set_verify_mode(
            boost::asio::ssl::verify_none);  // trust is tls_serve.sh's subject; these tests time things
        stream_.next_layer().connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    }
    bool handshake() {
        boost::system::error_code result = boost::asio::error::timed_out;
        stream_.async_handshake(boost::asio::ssl::stream_base::client, [&](auto ec) { result = ec; });
        run();
        return !result;
    }
    bool send(std::string_view bytes) {
        boost::system::error_code result = boost::asio::error::timed_out;
        boost::asio::async_write(stream_, boost::asio::buffer(bytes), [&](auto ec, std::size_t) { result = ec; });
        run();
        return !result;
    }
    // Everything until the server closes (a request sent with Connection: close); ended says
    // how: boost::asio::error::eof after the server's close_notify, boost::asio::ssl::error::stream_truncated without.
    std::string read_all(boost::system::error_code* ended = nullptr) {
        std::string out;
        boost::system::error_code result = boost::asio::error::timed_out;
        boost::asio::async_read(stream_, boost::asio::dynamic_buffer(out), [&](auto ec, std::size_t) { result = ec; });
        run();
        if (ended) *ended = result;
        return out;
    }
    // True when the server ends the connection (any read error) before the deadline.
    bool closed_by_peer(std::chrono::milliseconds deadline) {
        bool closed = false;
        std::array<char, 4096> sink;
        std::function<void(boost::system::error_code, std::size_t)> on_read = [&](auto ec, std::size_t) {
            if (ec)
                closed = true;
            else
                stream_.async_read_some(boost::asio::buffer(sink), on_read);
        };
        stream_.async_read_some(boost::asio::buffer(sink), on_read);
        ioc_.restart();
        ioc_.run_for(deadline);
        return closed;
    }
    boost::asio::ip::tcp::socket& socket() { return stream_.next_layer(); }

private:
    void run() {
        ioc_.restart();
        ioc_.run_for(deadline_);
    }
    boost::asio::io_context ioc_;
    boost::asio::ssl::context ctx_{boost::asio::ssl::context::tls_client};
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_{ioc_, ctx_};
    std::chrono::milliseconds deadline_;
};

inline std::string tls_get(std::uint16_t port, std::string_view target) {
    TlsClient c(port);
    if (!c.handshake()) return "(handshake failed)";
    c.send(request_line("GET", target, {"Connection: close"}));
    return c.read_all();
}

}  // namespace wasmdev::test
