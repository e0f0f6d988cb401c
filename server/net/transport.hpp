// A connection's byte pipe, as the writer sees it. The writer (writer.cpp) uses only these
// members, so a TLS stream is a second implementation: it cannot sendfile, so its write_file
// reads the file and encrypts (pread + write_all), its write_now may return 0 (then the
// writer waits in write_all), and cork does nothing.
#pragma once
#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>

#include "server/net/connections.hpp"
#include "server/net/task.hpp"
#include "server/net/tls_connection.hpp"

namespace wasmdev::net {

class Transport {
public:
    virtual ~Transport() = default;
    // Sends what the connection takes now, without waiting: the bytes sent (maybe 0), or -1
    // when the connection is gone.
    virtual ssize_t write_now(std::span<iovec const> iov) = 0;
    // Writes every byte of iov. False when the client vanished or stalled. iov is consumed.
    virtual Task<bool> write_all(std::span<iovec> iov) = 0;
    // Writes [offset, offset+length) of fd. False when the client vanished or stalled, or the
    // file shrank (the promised length cannot be kept). written counts the bytes that went
    // out, also when it fails.
    virtual Task<bool> write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written) = 0;
    // Holds partial segments back while on (full-size segments for a file body).
    virtual void cork(bool on) = 0;
    // Waiting for something other than the client (the compressor) is not a stall.
    virtual void not_waiting_for_client() = 0;
    virtual Executor executor() = 0;
};

// Plain TCP: non-blocking sendmsg(2) (as much per call as the socket takes; asio's
// async_write stops each call at 64 KiB), files by sys::send_file (zero-copy sendfile where the
// OS has one), corking (sys/socket_send.hpp), and the
// write-stall deadline the sweeper enforces (a stalled client costs a deadline, not a thread).
class TcpTransport final : public Transport {
public:
    TcpTransport(Stream& stream, SessionControl& control, std::chrono::seconds stall)
        : stream_(stream), control_(control), stall_(stall) {}

    ssize_t write_now(std::span<iovec const> iov) override;
    Task<bool> write_all(std::span<iovec> iov) override;
    Task<bool> write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written) override;
    void cork(bool on) override;
    void not_waiting_for_client() override { control_.disarm(); }
    Executor executor() override { return stream_.get_executor(); }

private:
    Task<bool> wait_writable();
    Socket& socket() { return stream_.socket(); }

    Stream& stream_;
    SessionControl& control_;
    std::chrono::seconds stall_;
};

// TLS: OpenSSL encrypts from user memory, so there is no sendfile and no cork. Small writes
// are gathered into one buffer of up to 64 KiB (a small response's head and body in one TLS
// record and one send); a file is pread into it; a part of 64 KiB or more is encrypted from
// where it lies. The buffer, sized to what one call writes, lives only while that call does:
// an idle keep-alive connection holds none, as it holds none of OpenSSL's
// (SSL_MODE_RELEASE_BUFFERS). write_now sends nothing (0): every write goes through write_all, under the
// same write-stall deadline as TCP. The connection (tls_connection.hpp) writes each record
// straight to the socket.
class TlsTransport final : public Transport {
public:
    TlsTransport(TlsConnection& tls, SessionControl& control, std::chrono::seconds stall)
        : tls_(tls), control_(control), stall_(stall) {}

    ssize_t write_now(std::span<iovec const>) override { return 0; }
    Task<bool> write_all(std::span<iovec> iov) override;
    Task<bool> write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written) override;
    void cork(bool) override {}
    void not_waiting_for_client() override { control_.disarm(); }
    Executor executor() override { return tls_.get_executor(); }

private:
    static constexpr std::size_t chunk_bytes = 64 * 1024;
    Task<bool> send(void const* data, std::size_t n);

    TlsConnection& tls_;
    SessionControl& control_;
    std::chrono::seconds stall_;
};

}  // namespace wasmdev::net
