#include "server/net/transport.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/sys/socket_send.hpp"

namespace wasmdev::net {

ssize_t TcpTransport::write_now(std::span<iovec const> iov) {
    if (!socket().native_non_blocking()) socket().native_non_blocking(true);
    for (;;) {
        auto const n = sys::send_vector(socket().native_handle(), iov.data(), iov.size());
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        return errno == EAGAIN ? 0 : -1;
    }
}

// After EAGAIN: waits for room in the socket, with the whole stall allowance for each wait.
// False when the sweeper closed the socket (the client stalled) or the peer did.
Task<bool> TcpTransport::wait_writable() {
    control_.arm(stall_);
    auto [ec] = co_await socket().async_wait(Socket::wait_write, use_tuple);
    co_return !ec;
}

Task<bool> TcpTransport::write_all(std::span<iovec> iov) {
    if (!socket().native_non_blocking()) socket().native_non_blocking(true);
    std::size_t first = 0;
    while (first < iov.size()) {
        control_.arm(stall_);  // a body that keeps moving is never a stall, however long it takes
        auto n = sys::send_vector(socket().native_handle(), iov.data() + first, iov.size() - first);
        if (n >= 0) {
            auto left = std::size_t(n);
            for (; first < iov.size() && left >= iov[first].iov_len; ++first) left -= iov[first].iov_len;
            if (first < iov.size()) {
                iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
                iov[first].iov_len -= left;
            }
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN || !co_await wait_writable()) co_return false;
    }
    co_return true;
}

Task<bool> TcpTransport::write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written) {
    if (!socket().native_non_blocking()) socket().native_non_blocking(true);
    while (length > 0) {
        control_.arm(stall_);
        auto n = sys::send_file(socket().native_handle(), fd, offset, std::min<std::uint64_t>(length, 1u << 22));
        if (n > 0) {
            offset += std::uint64_t(n);
            length -= std::uint64_t(n);
            written += std::uint64_t(n);
            continue;
        }
        if (n == 0) co_return false;  // truncated under us: the promised length cannot be kept
        if (errno == EINTR) continue;
        if (errno != EAGAIN || !co_await wait_writable()) co_return false;
    }
    co_return true;
}

void TcpTransport::cork(bool on) { sys::set_cork(socket().native_handle(), on); }

// Encrypts and sends n bytes. False when the client vanished, the sweeper closed the socket
// (a stall), or TLS failed.
Task<bool> TlsTransport::send(void const* data, std::size_t n) {
    control_.arm(stall_);  // each write gets the whole allowance: a body that keeps moving is no stall
    co_return co_await tls_.write(data, n, control_, stall_);
}

Task<bool> TlsTransport::write_all(std::span<iovec> iov) {
    std::size_t small = 0;  // what is gathered: the parts under chunk_bytes
    for (auto const& part : iov)
        if (part.iov_len < chunk_bytes) small += part.iov_len;
    std::size_t const room = std::min(small, chunk_bytes);
    auto const owned = room > 0 ? std::make_unique_for_overwrite<char[]>(room) : nullptr;
    char* const buf = owned.get();
    std::size_t first = 0;
    while (first < iov.size()) {
        // An empty part (a HEAD's body) may have no pointer at all: memcpy from null is
        // undefined even for 0 bytes.
        if (iov[first].iov_len == 0) {
            ++first;
            continue;
        }
        // A large part (a compressed body held in memory) is encrypted where it lies: no copy.
        if (iov[first].iov_len >= chunk_bytes) {
            if (!co_await send(iov[first].iov_base, iov[first].iov_len)) co_return false;
            iov[first].iov_len = 0;
            ++first;
            continue;
        }
        std::size_t n = 0;
        for (; first < iov.size() && n < room && (n == 0 || iov[first].iov_len < chunk_bytes);) {
            if (iov[first].iov_len == 0) {
                ++first;
                continue;
            }
            auto const take = std::min(iov[first].iov_len, room - n);
            std::memcpy(buf + n, iov[first].iov_base, take);
            n += take;
            iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + take;
            iov[first].iov_len -= take;
            if (iov[first].iov_len == 0) ++first;
        }
        if (n > 0 && !co_await send(buf, n)) co_return false;
    }
    co_return true;
}

Task<bool> TlsTransport::write_file(int fd, std::uint64_t offset, std::uint64_t length, std::uint64_t& written) {
    if (length == 0) co_return true;
    auto const owned =
        std::make_unique_for_overwrite<char[]>(std::size_t(std::min<std::uint64_t>(length, chunk_bytes)));
    char* const buf = owned.get();
    while (length > 0) {
        auto const n = ::pread(fd, buf, std::min<std::uint64_t>(length, chunk_bytes), off_t(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) co_return false;  // truncated under us (or unreadable): the promised length cannot be kept
        if (!co_await send(buf, std::size_t(n))) co_return false;
        offset += std::uint64_t(n);
        length -= std::uint64_t(n);
        written += std::uint64_t(n);
    }
    co_return true;
}

}  // namespace wasmdev::net
