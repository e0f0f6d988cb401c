// What a connection to the TLS port sends first, read without consuming it: plain HTTP (a
// redirect to https:// answers it) or a TLS record; for TLS, the wait lasts until the whole
// first record (the ClientHello) has arrived, so a client that stalls before that holds no
// TLS state, only its socket (docs/https.md, "Handshakes in progress").
#pragma once
#include "server/net/task.hpp"

namespace wasmdev::net {

enum class Opening {
    gone,   // the client left, the header deadline passed (the sweeper closed the socket), or Ctrl-C
    plain,  // not a TLS handshake record (RFC 8446 §5.1)
    tls,    // a TLS handshake record, whole in the socket's receive queue
};

// The bytes of the first record to wait for, from its first bytes (`have` of them): 0 when
// they are not a TLS handshake record, else the record header's 5 bytes plus its length (the
// length capped at the largest record, 2^14 bytes, RFC 8446 §5.1; more is the handshake's to refuse).
std::size_t opening_bytes_wanted(unsigned char const* first, std::size_t have);

Task<Opening> wait_for_opening(Stream& stream);

}  // namespace wasmdev::net
