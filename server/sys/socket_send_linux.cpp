// Linux: sendmsg with MSG_NOSIGNAL, zero-copy sendfile(2), TCP_CORK.
#include "server/sys/socket_send.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

namespace wasmdev::sys {

ssize_t send_vector(int socket, iovec const* iov, std::size_t count) {
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(iov);
    msg.msg_iovlen = count;
    return ::sendmsg(socket, &msg, MSG_NOSIGNAL);
}

ssize_t send_file(int socket, int fd, std::uint64_t offset, std::size_t count) {
    off_t off = off_t(offset);
    return ::sendfile(socket, fd, &off, count);
}

void set_cork(int socket, bool on) {
    int v = on ? 1 : 0;
    ::setsockopt(socket, IPPROTO_TCP, TCP_CORK, &v, sizeof v);  // best effort, see the header
}

}  // namespace wasmdev::sys
