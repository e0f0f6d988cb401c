// A TLS connection run by OpenSSL on the socket itself (a socket BIO, the socket non-blocking):
// each record is encrypted into OpenSSL's buffer and sent by one write, with no memory BIO to
// copy it through and no handler round trip per record, as nginx does (docs/design.md#https).
// When OpenSSL wants the socket readable or writable the coroutine waits for it. The
// handshake, reads for Beast's parser (async_read_some), writes, and close_notify.
#pragma once
#include <openssl/ssl.h>

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>

#include "server/net/connections.hpp"
#include "server/net/task.hpp"

namespace wasmdev::net {

class TlsConnection {
public:
    using executor_type = Executor;

    // The socket stays the session's: the sweeper may close it on a deadline, and then every
    // operation here fails without OpenSSL touching the (maybe reused) descriptor again.
    TlsConnection(Socket& socket, SSL_CTX* ctx);
    ~TlsConnection();
    TlsConnection(TlsConnection const&) = delete;
    TlsConnection& operator=(TlsConnection const&) = delete;

    // The server's side of the handshake; an error when it failed or the socket was closed.
    Task<boost::system::error_code> handshake();
    // Encrypts and sends every byte of [data, data + size). Each wait for room in the socket
    // gets the whole stall allowance. False when the client vanished or stalled, or TLS failed.
    Task<bool> write(void const* data, std::size_t size, SessionControl& control, std::chrono::seconds stall);
    // Sends close_notify, then waits for the client's (or its EOF); the caller bounds the wait.
    Task<void> shutdown();

    executor_type get_executor() { return socket_.get_executor(); }

    // Beast's AsyncReadStream: decrypted bytes into the first non-empty buffer. Errors: eof at
    // the client's close_notify, an SSL-category error (or stream_truncated) for a TLS failure
    // or an EOF without close_notify, the socket's for the rest.
    template <class MutableBuffers, class Token>
    auto async_read_some(MutableBuffers const& buffers, Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
            ReadSome<MutableBuffers>{*this, buffers}, token, socket_);
    }

    // One OpenSSL call's outcome: done, or wait for the socket and call again.
    enum class Step { done, want_read, want_write, failed };

private:
    Step read_step(void* data, std::size_t size, std::size_t& got, boost::system::error_code& ec);
    template <class Call>
    Step attempt(Call&& call, boost::system::error_code& ec);
    Step step_of(int ret, boost::system::error_code& ec);
    Task<bool> wait(Step step);

    template <class MutableBuffers>
    struct ReadSome {
        TlsConnection& c;
        MutableBuffers buffers;
        bool waited = false;
        bool posted = false;
        std::size_t got = 0;
        boost::system::error_code result{};

        template <class Self>
        void operator()(Self& self, boost::system::error_code ec = {}) {
            if (posted) return self.complete(result, got);
            if (ec) return self.complete(ec, 0);
            boost::asio::mutable_buffer b;
            for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
                 ++it) {
                if (it->size() == 0) continue;
                b = *it;
                break;
            }
            auto const step = b.size() == 0 ? Step::done : c.read_step(b.data(), b.size(), got, result);
            if (step == Step::done || step == Step::failed) {
                if (step == Step::failed) got = 0;
                if (waited) return self.complete(result, got);
                // Never complete inside the initiating call (Asio's rule): post, as a socket's
                // read that finds bytes at once does.
                posted = true;
                return boost::asio::post(std::move(self));
            }
            waited = true;
            c.socket_.async_wait(step == Step::want_read ? Socket::wait_read : Socket::wait_write, std::move(self));
        }
    };

    Socket& socket_;
    SSL* ssl_ = nullptr;
};

}  // namespace wasmdev::net
