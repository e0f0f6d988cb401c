#include "server/net/tls_opening.hpp"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace wasmdev::net {

std::size_t opening_bytes_wanted(unsigned char const* first, std::size_t have) {
    if (have == 0) return 1;
    if (first[0] != 0x16) return 0;
    if (have < 5) return 5;
    std::size_t const length = std::size_t(first[3]) << 8 | first[4];
    return 5 + std::min<std::size_t>(length, 1u << 14);
}

namespace {

// SO_RCVLOWAT: the kernel reports the socket readable only once this many bytes wait (or at
// EOF or an error), so the wait for a whole record costs no wake-up per segment.
bool set_low_water(int fd, std::size_t bytes) {
    int const v = int(bytes);
    return ::setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v) == 0;
}

}  // namespace

Task<Opening> wait_for_opening(Stream& stream) {
    auto& socket = stream.socket();
    int const fd = socket.native_handle();
    std::size_t low_water = 1;
    auto const done = [&](Opening o) {
        if (low_water != 1) set_low_water(fd, 1);  // the reads after this wait for any byte
        return o;
    };
    for (;;) {
        auto [ec] = co_await socket.async_wait(Socket::wait_read, use_tuple);
        if (ec) co_return done(Opening::gone);
        std::array<unsigned char, 5> head{};
        auto const n = ::recv(fd, head.data(), head.size(), MSG_PEEK | MSG_DONTWAIT);
        if (n == 0) co_return done(Opening::gone);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            co_return done(Opening::gone);
        }
        auto const wanted = opening_bytes_wanted(head.data(), std::size_t(n));
        if (wanted == 0) co_return done(Opening::plain);
        int queued = 0;
        if (::ioctl(fd, FIONREAD, &queued) != 0) co_return done(Opening::gone);
        if (std::size_t(queued) >= wanted) co_return done(Opening::tls);
        // Readable with fewer bytes than the low-water mark asked for: the client half-closed
        // (or the socket failed) before its ClientHello was whole.
        if (low_water == wanted) co_return done(Opening::gone);
        // Without the mark the wait would spin: go on as before it, with the record unfinished.
        if (!set_low_water(fd, wanted)) co_return done(Opening::tls);
        low_water = wanted;
    }
}

}  // namespace wasmdev::net
