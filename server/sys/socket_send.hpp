// Sending to a connected, non-blocking TCP socket (docs/design.md#writer): a gather
// write that never raises SIGPIPE, a file's bytes straight from its descriptor, and corking.
// Linux (socket_send_linux.cpp): sendmsg(MSG_NOSIGNAL), sendfile(2), TCP_CORK. Elsewhere
// (socket_send_posix.cpp): the platform's sendfile where its signature is known, else pread+send.
#pragma once
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

namespace wasmdev::sys {

// sendmsg(2) of iov without SIGPIPE where the OS has a flag for it (the server ignores
// SIGPIPE anyway). Bytes sent, or -1 with errno (EAGAIN when the socket is full).
ssize_t send_vector(int socket, iovec const* iov, std::size_t count);

// Up to count bytes of fd from offset to socket. Bytes sent (> 0), 0 when the file ends
// before offset (truncated meanwhile), or -1 with errno (EAGAIN when the socket is full).
ssize_t send_file(int socket, int fd, std::uint64_t offset, std::size_t count);

// Holds partial segments back while on, flushes them when turned off (TCP_CORK on Linux,
// TCP_NOPUSH on the BSDs and macOS). Best effort: without it the bytes are the same, only in
// more segments.
void set_cork(int socket, bool on);

}  // namespace wasmdev::sys
