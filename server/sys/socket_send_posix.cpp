// Other POSIX systems: macOS's and FreeBSD's own sendfile(2) (their signatures differ from
// Linux's and from each other), elsewhere pread into a buffer and send it; MSG_NOSIGNAL where
// it is defined; TCP_NOPUSH (or TCP_CORK) for corking.
#include "server/sys/socket_send.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace wasmdev::sys {
namespace {

#if defined(MSG_NOSIGNAL)
constexpr int no_signal = MSG_NOSIGNAL;
#else
constexpr int no_signal = 0;  // macOS: SIGPIPE is ignored process-wide by the server
#endif

#if !defined(__APPLE__) && !defined(__FreeBSD__) && !defined(__DragonFly__)
// The copy route's buffer: one per serving thread, allocated on its first file.
constexpr std::size_t copy_bytes = 256 * 1024;
ssize_t copy_file(int socket, int fd, std::uint64_t offset, std::size_t count) {
    thread_local std::unique_ptr<char[]> buffer;
    if (!buffer) buffer.reset(new char[copy_bytes]);
    ssize_t got = 0;
    do got = ::pread(fd, buffer.get(), std::min(count, copy_bytes), off_t(offset));
    while (got < 0 && errno == EINTR);
    if (got <= 0) return got;
    // A short send leaves the rest in the file: the caller asks again from the new offset.
    return ::send(socket, buffer.get(), std::size_t(got), no_signal);
}
#endif

}  // namespace

ssize_t send_vector(int socket, iovec const* iov, std::size_t count) {
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(iov);
    msg.msg_iovlen = decltype(msg.msg_iovlen)(count);
    return ::sendmsg(socket, &msg, no_signal);
}

ssize_t send_file(int socket, int fd, std::uint64_t offset, std::size_t count) {
#if defined(__APPLE__)
    // macOS: sendfile(fd, s, offset, &len, hdtr, flags); len says what was sent, even with
    // EAGAIN; 0 sent with success means the file ends before offset.
    off_t len = off_t(count);
    int const rc = ::sendfile(fd, socket, off_t(offset), &len, nullptr, 0);
    if (len > 0) return ssize_t(len);
    return rc == 0 ? 0 : -1;
#elif defined(__FreeBSD__) || defined(__DragonFly__)
    // FreeBSD: sendfile(fd, s, offset, nbytes, hdtr, &sbytes, flags); sbytes as above.
    off_t sent = 0;
    int const rc = ::sendfile(fd, socket, off_t(offset), count, nullptr, &sent, 0);
    if (sent > 0) return ssize_t(sent);
    return rc == 0 ? 0 : -1;
#else
    return copy_file(socket, fd, offset, count);
#endif
}

void set_cork(int socket, bool on) {
    int v = on ? 1 : 0;
#if defined(TCP_NOPUSH)
    ::setsockopt(socket, IPPROTO_TCP, TCP_NOPUSH, &v, sizeof v);  // best effort, see the header
#elif defined(TCP_CORK)
    ::setsockopt(socket, IPPROTO_TCP, TCP_CORK, &v, sizeof v);
#else
    (void)socket, (void)v;
#endif
}

}  // namespace wasmdev::sys
