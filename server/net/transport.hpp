// A connection's byte pipe for the writer: plain TCP through non-blocking sendmsg(2) and
// sendfile(2), TCP_CORK, and the write-stall deadline the sweeper enforces (a stalled client
// costs a deadline, not a thread). The writer uses only the members below, so a TLS stream,
// which cannot sendfile (it reads the file and encrypts), is a second class with the same
// members and write_file done by pread + write_all.
#pragma once
#include <sys/uio.h>

#include <chrono>
#include <cstdint>
#include <span>

#include "server/net/connections.hpp"
#include "server/net/task.hpp"

namespace wasmdev::net {

class TcpTransport {
public:
    TcpTransport(Stream& stream, SessionControl& control, std::chrono::seconds stall)
        : stream_(stream), control_(control), stall_(stall) {}

    // Sends what the socket takes now, without waiting: the bytes sent (maybe 0), or -1 when
    // the connection is gone.
    ssize_t write_now(std::span<iovec const> iov);
    // Writes every byte of iov, as much per call as the socket takes (asio's async_write
    // stops each call at 64 KiB). False when the client vanished or stalled. iov is consumed.
    Task<bool> write_all(std::span<iovec> iov);
    // Writes [offset, offset+length) of fd, zero-copy. False when the client vanished or
    // stalled, or the file shrank (the promised length cannot be kept). written counts the
    // bytes that went out, also when it fails.
    Task<bool> write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written);
    // Holds partial segments back while on (full-size segments for a file body).
    void cork(bool on);
    // Waiting for something other than the client (the compressor) is not a stall.
    void not_waiting_for_client() { control_.disarm(); }
    Executor executor() { return stream_.get_executor(); }

private:
    Task<bool> wait_writable();
    Socket& socket() { return stream_.socket(); }

    Stream& stream_;
    SessionControl& control_;
    std::chrono::seconds stall_;
};

using Transport = TcpTransport;

}  // namespace wasmdev::net
