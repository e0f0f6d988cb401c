// Writes a response, head and body, to a transport: the one place that turns each kind of
// http::Body into writes (one std::visit), frames chunked bodies, batches a small file with
// its head, corks sendfile, and streams a compressed body as the compressor produces it.
// Decides nothing about HTTP semantics: the plan says what to send.
#pragma once
#include <cstdint>
#include <string>

#include "server/http/request.hpp"
#include "server/net/task.hpp"
#include "server/net/transport.hpp"

namespace wasmdev::net {

// How a response went out.
enum class Sent {
    whole,    // every byte
    cut,      // not whole: the connection must be dropped (client gone or stalled, body cut short)
    nothing,  // not one byte: the file changed before the body began (a compressed body failed,
              // a small file shrank); the request can be decided again
};

struct WriteResult {
    Sent sent = Sent::whole;
    std::uint64_t body_bytes = 0;  // body bytes written (framing excluded), for the access log
};

// Buffers a connection reuses across its responses.
struct WriteScratch {
    std::string head{};
    std::string rest{};  // the unsent rest of a small file when the socket was full
};

// version and keep_alive are the request's and the session's (they shape the head).
Task<WriteResult> write_response(Transport& t, http::ResponsePlan const& plan, unsigned version, bool keep_alive,
                                 WriteScratch& scratch);

}  // namespace wasmdev::net
