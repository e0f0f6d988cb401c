#include "server/net/tls_connection.hpp"

#include <openssl/err.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>

namespace wasmdev::net {

namespace asio = boost::asio;
using boost::system::error_code;

TlsConnection::TlsConnection(Socket& socket, SSL_CTX* ctx) : socket_(socket), ssl_(SSL_new(ctx)) {
    if (!ssl_) return;
    error_code ignored;  // a socket that cannot be made non-blocking fails at its first read instead
    socket_.native_non_blocking(true, ignored);
    // A socket BIO that does not own the descriptor: the session's socket closes it.
    SSL_set_fd(ssl_, socket_.native_handle());
    SSL_set_accept_state(ssl_);
    // Reads take as much as OpenSSL's buffer holds, not a record header and then its body:
    // one recv per record instead of two.
    SSL_set_read_ahead(ssl_, 1);
    // A write retried after the socket filled may pass its bytes from a moved iovec.
    SSL_set_mode(ssl_, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

TlsConnection::~TlsConnection() {
    // Frees OpenSSL's state only: no close_notify (shutdown() sends it when the end is orderly)
    // and, the BIO not owning it, no close of the descriptor.
    SSL_free(ssl_);
}

// Reads OpenSSL's verdict on the call that returned ret; errno is still the call's (each
// caller sets it to 0 before). The thread's error queue is left empty: another connection on
// this thread must not read this one's errors.
TlsConnection::Step TlsConnection::step_of(int ret, error_code& ec) {
    int const sys_error = errno;
    switch (SSL_get_error(ssl_, ret)) {
        case SSL_ERROR_NONE: return Step::done;
        case SSL_ERROR_WANT_READ: return Step::want_read;
        case SSL_ERROR_WANT_WRITE: return Step::want_write;
        case SSL_ERROR_ZERO_RETURN:
            ec = asio::error::eof;  // the client's close_notify
            break;
        case SSL_ERROR_SYSCALL:
            ec = sys_error != 0 ? error_code(sys_error, boost::system::system_category())
                                : error_code(asio::ssl::error::stream_truncated);
            break;
        default: {
            auto const e = ERR_get_error();
            ec = e != 0 ? error_code(int(e), asio::error::get_ssl_category())
                        : error_code(asio::ssl::error::stream_truncated);
        }
    }
    ERR_clear_error();
    return Step::failed;
}

// A closed socket (the sweeper's deadline, Ctrl-C) ends every operation before OpenSSL could
// use its descriptor number, which may belong to another connection by now.
template <class Call>
TlsConnection::Step TlsConnection::attempt(Call&& call, error_code& ec) {
    if (!ssl_ || !socket_.is_open()) {
        ec = asio::error::bad_descriptor;
        return Step::failed;
    }
    ERR_clear_error();
    errno = 0;
    return step_of(call(), ec);
}

TlsConnection::Step TlsConnection::read_step(void* data, std::size_t size, std::size_t& got, error_code& ec) {
    got = 0;
    return attempt([&] { return SSL_read_ex(ssl_, data, size, &got); }, ec);
}

Task<bool> TlsConnection::wait(Step step) {
    auto [ec] =
        co_await socket_.async_wait(step == Step::want_read ? Socket::wait_read : Socket::wait_write, use_tuple);
    co_return !ec;
}

Task<error_code> TlsConnection::handshake() {
    for (;;) {
        error_code ec;
        auto const step = attempt([&] { return SSL_do_handshake(ssl_); }, ec);
        if (step == Step::done) co_return error_code{};
        if (step == Step::failed) co_return ec;
        auto [waited] =
            co_await socket_.async_wait(step == Step::want_read ? Socket::wait_read : Socket::wait_write, use_tuple);
        if (waited) co_return waited;
    }
}

Task<bool> TlsConnection::write(void const* data, std::size_t size, SessionControl& control,
                                std::chrono::seconds stall) {
    auto const* p = static_cast<char const*>(data);
    while (size > 0) {
        // One call encrypts and sends all of it, a record at a time; after a full socket it is
        // called again with the same bytes and then counts them all.
        error_code ec;
        std::size_t n = 0;
        auto const step = attempt([&] { return SSL_write_ex(ssl_, p, size, &n); }, ec);
        if (step == Step::done) {
            p += n;
            size -= n;
            continue;
        }
        if (step == Step::failed) co_return false;
        control.arm(stall);
        if (!co_await wait(step)) co_return false;
    }
    co_return true;
}

Task<void> TlsConnection::shutdown() {
    for (int sent = 0;;) {
        error_code ec;
        if (!ssl_ || !socket_.is_open()) co_return;
        ERR_clear_error();
        errno = 0;
        auto const r = SSL_shutdown(ssl_);
        if (r == 1) co_return;  // both close_notify exchanged
        auto step = Step::want_read;
        if (r == 0) {
            // Ours is sent; the next call reads the client's (a bounded number of times at once).
            if (++sent < 3) continue;
            ERR_clear_error();
        } else {
            step = step_of(r, ec);
            if (step == Step::done || step == Step::failed) co_return;  // EOF or a TLS error ends it too
        }
        if (!co_await wait(step)) co_return;
    }
}

}  // namespace wasmdev::net
