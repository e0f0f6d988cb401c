// One HTTP/1.x connection (docs/design.md#connections): read a request, handle() it, write the plan, log what
// was sent, repeat. Pipelined requests are answered in order because each is read after the
// previous answer is written. HTTP decisions are handle()'s (and, for a request that does not
// parse, http::answer_parse_failure's); bytes on the wire are writer.cpp's.
// Over TLS (docs/design.md#https) the same loop runs on the TLS stream after the handshake, which counts
// against the header deadline; plain HTTP on the TLS port is answered with a redirect.
#pragma once
#include "server/net/connections.hpp"
#include "server/net/task.hpp"

namespace boost::asio::ssl {
class context;
}

namespace wasmdev::net {

// tls: the server's TLS context, or nullptr for plain HTTP.
Task<void> run_session(Stream stream, SessionHost& host, boost::asio::ssl::context* tls);

}  // namespace wasmdev::net
